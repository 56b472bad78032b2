/**
 * What the installed, compiled CLI loads for `herald verify`: a plain JSON contract with a
 * JavaScript factories module loads no dependency (no re2js, ajv, avsc, tsx) and none of the
 * compare / diff / AsyncAPI / Avro / registry / broker code; each loads once a contract or an
 * option needs it. The contract schema is checked by validators compiled at build time, so ajv
 * never loads, and a bad contract is still reported with its file, place and fix. The same for a
 * factories module or a test file: `require('herald')` / `import('herald')` load no Avro code until
 * an Avro payload is declared.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeScratchProjects, run, scratchProject, type Run } from './scratch';

const TIMEOUT = 600_000;

/** Runs the script argv[1] (which reads its arguments from argv[2]) and prints every module file it loaded, one per line, on stderr after a "--- loaded" line. */
const TRACE = `
const Module = require('node:module');
const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) { const m = load.apply(this, arguments); try { loaded.add(Module._resolveFilename(request, parent, isMain)); } catch {} return m; };
process.on('exit', () => process.stderr.write('--- loaded\\n' + [...loaded].join('\\n') + '\\n'));
require(process.argv[1]);
`;

const ORDER = { consumer: { name: 'shop' }, provider: { name: 'orders' }, metadata: { pactSpecification: { version: '4.0' } } };
const message = (extra: object): object => ({
  type: 'Asynchronous/Messages',
  description: 'an OrderPlaced event',
  contents: { content: { id: 1, total: 9.5 }, contentType: 'application/json', encoded: false },
  metadata: { contentType: 'application/json' },
  ...extra,
});
const integerId = { body: { '$.id': { combine: 'AND', matchers: [{ match: 'integer' }] }, '$.total': { combine: 'AND', matchers: [{ match: 'type' }] } } };
const CONTRACTS: Record<string, object> = {
  plain: { ...ORDER, interactions: [message({ matchingRules: integerId })] },
  // A regex outside the native subset (linear-regex.ts: \w): RE2 reads it.
  regex: {
    ...ORDER,
    interactions: [
      message({
        contents: { content: { id: 1, total: 9.5, sku: 'ABC-1' }, contentType: 'application/json', encoded: false },
        matchingRules: { body: { ...integerId.body, '$.sku': { combine: 'AND', matchers: [{ match: 'regex', regex: '^\\w{3}-\\d+$' }] } } },
      }),
    ],
  },
  // A regex of the native subset: decided by a native RegExp, which gives RE2's verdict.
  'simple-regex': {
    ...ORDER,
    interactions: [
      message({
        contents: { content: { id: 1, total: 9.5, sku: 'ABC-1' }, contentType: 'application/json', encoded: false },
        matchingRules: { body: { ...integerId.body, '$.sku': { combine: 'AND', matchers: [{ match: 'regex', regex: '^[A-Z]{3}-\\d+$' }] } } },
      }),
    ],
  },
  avro: {
    ...ORDER,
    interactions: [
      message({
        contents: { content: { id: 1, total: 9.5 }, contentType: 'avro/binary', encoded: false },
        metadata: { contentType: 'avro/binary' },
        matchingRules: integerId,
        herald: {
          avro: {
            schema: {
              type: 'record',
              name: 'OrderPlaced',
              fields: [
                { name: 'id', type: 'int' },
                { name: 'total', type: 'double' },
              ],
            },
            framing: 'raw',
            jsonForm: 1,
          },
        },
      }),
    ],
  },
  // contentType must be a string: the schema check fails.
  invalid: { ...ORDER, interactions: [message({ contents: { content: { id: 1 }, contentType: 7, encoded: false } })] },
};
const FACTORIES = "module.exports = { name: 'orders', messages: { 'an OrderPlaced event': () => ({ id: 7, total: 12.25, sku: 'XYZ-42' }) } };\n";

/** Modules a plain verify must not load: dependencies, and the code of other commands and options. */
const HEAVY = {
  re2js: /node_modules\/re2js\//,
  ajv: /node_modules\/ajv\//,
  avsc: /node_modules\/avsc\//,
  tsx: /node_modules\/tsx\//,
  compare: /dist\/cjs\/src\/(compare|bidirectional)\b/,
  diff: /dist\/cjs\/src\/(cli\/diff-command|compare\/diff)/,
  asyncapi: /dist\/cjs\/src\/asyncapi\//,
  avro: /dist\/cjs\/src\/avro\/(?!detect\.js|lazy\.js)/,
  broker: /dist\/cjs\/src\/(contract-broker|broker-client|verify\/broker|cli\/broker-source)/,
} as const;
type Heavy = keyof typeof HEAVY;

/** Scripts a user's code runs: load the entries (CommonJS and ESM), or declare an Avro message through the root entry. */
const SCRIPTS: Record<string, string> = {
  'load-cjs.js': "const herald = require('herald'); require('herald/jest'); console.log(typeof herald.consumer);\n",
  'load-esm.js': "Promise.all([import('herald'), import('herald/jest')]).then(([herald]) => console.log(typeof herald.consumer));\n",
  'declare-avro.js': `const { consumer, kafkaTopic, m } = require('herald');
const schema = { type: 'record', name: 'OrderPlaced', fields: [{ name: 'id', type: 'int' }, { name: 'total', type: 'double' }] };
const declared = consumer('shop').expectsFrom('orders').message('an OrderPlaced event').on(kafkaTopic('orders.v1')).withAvroPayload(schema, { id: m.integer(7), total: 9.5 });
const example = declared.example();
console.log(JSON.stringify({ contentType: declared.toInteraction().contents.contentType, payload: example.payload, body: example.body.toString('hex') }));
`,
};

let dir: string;

beforeAll(async () => {
  dir = await scratchProject('cjs');
  for (const [name, contract] of Object.entries(CONTRACTS)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'shop-orders.json'), JSON.stringify(contract, null, 2));
  }
  writeFileSync(path.join(dir, 'plain-factories.js'), FACTORIES);
  for (const [name, source] of Object.entries(SCRIPTS)) writeFileSync(path.join(dir, name), source);
}, TIMEOUT);

afterAll(() => {
  if (process.env['HERALD_KEEP_SCRATCH'] === undefined) removeScratchProjects();
});

/** Runs one of SCRIPTS under TRACE: its run, which HEAVY groups it loaded, and every file it loaded. */
async function script(name: string): Promise<{ run: Run; loaded: Heavy[]; files: string[] }> {
  const result = await run(process.execPath, ['-e', TRACE, path.join(dir, name)], dir);
  const marker = result.stderr.lastIndexOf('--- loaded\n');
  if (marker < 0) throw new Error(`no module list: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  const files = result.stderr.slice(marker).split('\n');
  const loaded = (Object.keys(HEAVY) as Heavy[]).filter((group) => files.some((file) => HEAVY[group].test(file)));
  return { run: { ...result, stderr: result.stderr.slice(0, marker) }, loaded, files };
}

/** `herald verify` on one of CONTRACTS with the plain factories: its run, and which HEAVY groups it loaded. */
async function verify(contracts: string): Promise<{ run: Run; loaded: Heavy[] }> {
  const bin = path.join(dir, 'node_modules/herald/bin/herald.js');
  const result = await run(process.execPath, ['-e', TRACE, bin, 'verify', '--contracts', `${contracts}/`, '--factories', 'plain-factories.js', '--allow-unchecked-channel'], dir);
  const marker = result.stderr.lastIndexOf('--- loaded\n');
  if (marker < 0) throw new Error(`no module list: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  const files = result.stderr.slice(marker).split('\n');
  const loaded = (Object.keys(HEAVY) as Heavy[]).filter((group) => files.some((file) => HEAVY[group].test(file)));
  return { run: { ...result, stderr: result.stderr.slice(0, marker) }, loaded };
}

describe('modules `herald verify` loads (compiled CLI from the packed tarball)', () => {
  it(
    'loads no dependency and no other command or option code for a plain JSON contract',
    async () => {
      const { run: result, loaded } = await verify('plain');
      expect(result.stdout).toContain('✓ shop → orders  1 passed');
      expect(result.code).toBe(0);
      expect(loaded).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'loads re2js for a contract with a regex rule RE2 must read, and nothing else',
    async () => {
      const { run: result, loaded } = await verify('regex');
      expect(result.stdout).toContain('✓ shop → orders  1 passed');
      expect(result.code).toBe(0);
      expect(loaded).toEqual(['re2js']);
    },
    TIMEOUT,
  );

  it(
    'loads no dependency for a contract whose regex rules are all of the native subset',
    async () => {
      const { run: result, loaded } = await verify('simple-regex');
      expect(result.stdout).toContain('✓ shop → orders  1 passed');
      expect(result.code).toBe(0);
      expect(loaded).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'loads avsc and the Avro code for an Avro contract',
    async () => {
      const { run: result, loaded } = await verify('avro');
      expect(result.stdout).toContain('✓ shop → orders  1 passed');
      expect(result.code).toBe(0);
      expect(loaded).toEqual(['avsc', 'avro']);
    },
    TIMEOUT,
  );

  it(
    'reports a contract that fails the schema with file, place, interaction and fix, without loading ajv',
    async () => {
      const { run: result, loaded } = await verify('invalid');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Error HERALD_CONTRACT_INVALID');
      expect(result.stderr).toContain('shop-orders.json: /interactions/0/contents/contentType must be string (found integer)');
      expect(result.stderr).toContain('(interaction "an OrderPlaced event")');
      expect(result.stderr).toContain('Fix the value at /interactions/0/contents/contentType');
      expect(loaded).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'keeps the compiled modules in node_modules/.cache/herald and gives the same verdicts from them',
    async () => {
      const cacheDir = path.join(dir, 'node_modules', '.cache', 'herald');
      const cacheFile = path.join(cacheDir, `v8-${process.version}-${process.arch}.bin`);
      const bin = path.join(dir, 'node_modules/herald/bin/herald.js');
      const cli = (contracts: string): Promise<Run> => run(process.execPath, [bin, 'verify', '--contracts', `${contracts}/`, '--factories', 'plain-factories.js', '--allow-unchecked-channel'], dir);
      rmSync(cacheDir, { recursive: true, force: true });
      const uncached = { regex: await cli('regex'), invalid: await cli('invalid') };
      expect(uncached.regex.code).toBe(0);
      expect(uncached.invalid.code).toBe(2);
      // The first runs wrote the cache (the tarball ships dist/cjs/modules.json); later runs load every module from it, so nothing is rewritten.
      expect(existsSync(cacheFile)).toBe(true);
      const written = statSync(cacheFile).mtimeMs;
      for (const contracts of ['regex', 'invalid'] as const) {
        const cached = await cli(contracts);
        expect({ ...cached, stdout: cached.stdout.replace(/\(\d+ ms\)/g, '') }).toEqual({ ...uncached[contracts], stdout: uncached[contracts].stdout.replace(/\(\d+ ms\)/g, '') });
      }
      expect(statSync(cacheFile).mtimeMs).toBe(written);
    },
    TIMEOUT,
  );

  it.each(['load-cjs.js', 'load-esm.js'])(
    '%s: the root entry and herald/jest load neither avsc nor the Avro code',
    async (name) => {
      const { run: result, loaded, files } = await script(name);
      expect(result).toMatchObject({ code: 0, stdout: 'function\n' });
      // The entries were loaded from the package (not vacuous): the consumer DSL is among the files.
      expect(files.some((file) => /node_modules\/herald\/dist\/cjs\/src\/dsl\/message\.js$/.test(file))).toBe(true);
      expect(loaded).not.toContain('avsc');
      expect(loaded).not.toContain('avro');
    },
    TIMEOUT,
  );

  it(
    'loads avsc and the Avro code once an Avro payload is declared through the root entry, and encodes the example',
    async () => {
      const { run: result, loaded } = await script('declare-avro.js');
      expect(result.code).toBe(0);
      // Avro binary of { id: 7, total: 9.5 }: zig-zag int 7 (0e), then the double 9.5 little-endian.
      expect(JSON.parse(result.stdout)).toEqual({ contentType: 'avro/binary', payload: { id: 7, total: 9.5 }, body: '0e0000000000002340' });
      expect(loaded).toEqual(expect.arrayContaining(['avsc', 'avro']));
    },
    TIMEOUT,
  );
});
