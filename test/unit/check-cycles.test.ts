/** scripts/check-cycles.js on tiny trees written to a temporary directory. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script
const { checkCycles } = require('../../scripts/check-cycles.js') as { checkCycles: (root: string, allowed?: { from: string; to: string }[]) => string[] };

const roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'herald-cycles-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('check-cycles', () => {
  it('reports a cycle between two folders with the file-level imports that make it', () => {
    const root = tree({
      'src/a/one.ts': "import { two } from '../b/two';\nexport const one = two;\n",
      'src/b/two.ts': "import type { Three } from '../a/three';\nexport const two = 2;\nexport type T = Three;\n",
      'src/a/three.ts': 'export type Three = 3;\n',
    });
    expect(checkCycles(root, [])).toEqual(['cycle between src/a, src/b:\n  src/a → src/b\n    src/a/one.ts → src/b/two.ts\n  src/b → src/a\n    src/b/two.ts → src/a/three.ts (type)']);
  });

  it('finds a three-folder cycle through index files, nested folders and herald self-references', () => {
    const root = tree({
      'tsconfig.json': '{ "compilerOptions": { "paths": { "herald": ["src/index.ts"] } } }',
      'src/index.ts': "export * from './c/index';\n",
      'src/c/index.ts': "export { d } from '../d/deep/d';\n",
      'src/d/deep/d.ts': "export const d = require('../../e');\n",
      'src/e.ts': 'export const e = 1;\n',
      'adapters/x/x.ts': "import { d } from 'herald';\n",
      'src/d/deep/back.ts': "import { x } from '../../../adapters/x/x';\n",
    });
    const [cycle] = checkCycles(root, []);
    expect(cycle).toMatch(/^cycle between adapters\/x, src, src\/c, src\/d:/);
    expect(cycle).toContain('adapters/x/x.ts → src/index.ts');
  });

  it('ignores tests, fixtures, imports inside one folder and allowed edges', () => {
    const root = tree({
      'src/a/one.ts': "import { two } from '../b/two';\nimport { own } from './own';\n",
      'src/a/own.ts': 'export const own = 1;\n',
      'src/b/two.ts': 'export const two = 2;\n',
      'src/b/two.test.ts': "import { one } from '../a/one';\n",
      'src/b/__fixtures__/f.ts': "import { one } from '../../a/one';\n",
      'src/b/allowed.ts': "import { own } from '../a/own';\n",
    });
    expect(checkCycles(root, [{ from: 'src/b/allowed.ts', to: 'src/a/' }])).toEqual([]);
    expect(checkCycles(root, [])).toHaveLength(1);
  });

  it('finds no cycle in this repository', () => {
    expect(checkCycles(path.resolve(__dirname, '../..'))).toEqual([]);
  });
});
