import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { renderErrorsDoc } from '../../src/errors/catalogue-doc';
import { errorCatalogue } from '../../src/errors/codes';

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

describe('error catalogue', () => {
  it('docs/errors.md lists every code with what happened and how to fix it', () => {
    const doc = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
    expect(doc).toBe(renderErrorsDoc()); // if this fails: npx tsx scripts/errors-doc.ts
  });

  it('every HERALD_* code used in the sources is in the catalogue', () => {
    const used = new Set<string>();
    for (const file of [...sources(path.join(root, 'src')), ...sources(path.join(root, 'adapters'))]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:HeraldError\(\s*|code: |hasErrorCode\([^,]+, )'(HERALD_[A-Z_]+)'/g)) used.add(match[1] as string);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((code) => !(code in errorCatalogue));
    expect(missing).toEqual([]);
  });

  it('every catalogue entry says what happened and how to fix it', () => {
    for (const info of Object.values(errorCatalogue)) {
      expect(info.what.length).toBeGreaterThan(20);
      expect(info.fix.length).toBeGreaterThan(10);
    }
  });
});
