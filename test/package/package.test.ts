/**
 * Herald from its packed tarball, in the five project shapes a team starts from (see scratch.ts
 * for how the projects are installed). Each test runs the project's own tools as a user would.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { removeScratchProjects, ROOT, run, scratchProject, tarball, type Run } from './scratch';

const CONTRACT = 'contracts/shipping-orders.json';
/** Each test spawns real tools (jest, vitest, tsc, the CLI) on a shared, loaded machine. */
const TIMEOUT = 600_000;

function descriptions(dir: string): string[] {
  const contract = JSON.parse(readFileSync(path.join(dir, CONTRACT), 'utf8')) as { interactions: { description: string }[] };
  return contract.interactions.map((i) => i.description);
}

const node = (dir: string, script: string, ...args: string[]): Promise<Run> => run(process.execPath, [path.join(dir, script), ...args], dir);
const herald = (dir: string, ...args: string[]): Promise<Run> => run('npx', ['--no-install', 'herald', ...args], dir);

function passed(result: Run): void {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
}

describe('the packed package', () => {
  // HERALD_KEEP_SCRATCH=1 keeps the projects in the temporary directory, to look into a failure.
  afterAll(() => {
    if (process.env['HERALD_KEEP_SCRATCH'] === undefined) removeScratchProjects();
  });

  it(
    'works in a plain-JavaScript CommonJS project with default jest: `npm test` writes the contract, then `herald verify` with .js factories passes',
    async () => {
      const dir = await scratchProject('cjs');
      // README's set-up verbatim: its jest.config.js, and `npm test` = consumer tests, then the provider's verification.
      const test = await run('npm', ['test', '--silent'], dir);
      passed(test);
      expect(descriptions(dir)).toEqual(['an OrderPlaced event']);
      expect(test.stdout).toContain('shipping → orders');
    },
    TIMEOUT,
  );

  it(
    'works in an ES module project: named imports in .mjs, and .ts factories as ES modules',
    async () => {
      const dir = await scratchProject('esm');
      passed(await node(dir, 'consumer.mjs'));
      expect(descriptions(dir)).toEqual(['an OrderPlaced event']);
      passed(await herald(dir, 'verify', '--contracts', CONTRACT, '--factories', 'factories.ts'));
    },
    TIMEOUT,
  );

  it(
    'works in a TypeScript project with ts-jest defaults (type-checked against the published declarations)',
    async () => {
      const dir = await scratchProject('typescript');
      passed(await node(dir, 'node_modules/jest/bin/jest.js', '--ci'));
      expect(descriptions(dir)).toEqual(['an OrderPlaced event']);
      passed(await herald(dir, 'verify', '--contracts', 'contracts/', '--factories', 'factories.js'));
    },
    TIMEOUT,
  );

  it(
    'writes the contract under vitest with no Herald-specific configuration',
    async () => {
      const dir = await scratchProject('vitest');
      passed(await node(dir, 'node_modules/vitest/vitest.mjs', 'run'));
      expect(existsSync(path.join(dir, CONTRACT))).toBe(true);
      expect(descriptions(dir)).toEqual(['an OrderPlaced event']);
      const interaction = (JSON.parse(readFileSync(path.join(dir, CONTRACT), 'utf8')) as { interactions: { comments?: { herald?: { owner?: string } } }[] }).interactions[0];
      expect(interaction?.comments?.herald?.owner).toBe('order-placed.consumer.test.ts');
    },
    TIMEOUT,
  );

  it(
    'type-checks a strict project (skipLibCheck: false) that imports every entry, from CommonJS and ESM, with zero errors',
    async () => {
      const dir = await scratchProject('strict');
      const tsc = await node(dir, 'node_modules/typescript/bin/tsc', '-p', '.');
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.code).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'passes publint (warnings are errors) and arethetypeswrong (every entry, every resolution mode)',
    async () => {
      const publint = await run(process.execPath, [path.join(ROOT, 'node_modules/publint/src/cli.js'), 'run', '--strict', tarball()], ROOT);
      passed(publint);
      expect(publint.stdout).toContain('All good!');
      const attw = await run(process.execPath, [path.join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), '--format', 'ascii', tarball()], ROOT);
      passed(attw);
      expect(attw.stdout).toContain('No problems found');
    },
    TIMEOUT,
  );

  it(
    'starts the CLI without loading command modules, tsx, ajv or avsc for --help',
    async () => {
      const dir = await scratchProject('cjs');
      const trace = await run(process.execPath, ['-e', TRACE, path.join(dir, 'node_modules/herald/bin/herald.js'), '--help'], dir);
      passed(trace);
      const loaded = trace.stderr.split('\n');
      expect(loaded.filter((name) => /compare|diff|asyncapi|avro|registry|tsx|ajv|avsc|verify-command/.test(name))).toEqual([]);
    },
    TIMEOUT,
  );
});

/** Runs a script (argv[1]) and prints every module path it loaded, one per line, on stderr. */
const TRACE = `
const Module = require('node:module');
const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) { const m = load.apply(this, arguments); try { loaded.add(Module._resolveFilename(request, parent, isMain)); } catch {} return m; };
process.on('exit', () => process.stderr.write([...loaded].join('\\n') + '\\n'));
require(process.argv[1]);
`;
