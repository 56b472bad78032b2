/**
 * The installed CLI's module cache in real Node processes: a fake dist/ with a manifest, loaded
 * twice and more, the way bin/herald.js runs. A cache entry must never run code other than the
 * module's current source (V8 itself only compares the source length).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

let dir: string;
let dist: string;
let cacheDir: string;
let runner: string;

/** Writes b.js exporting `value` (same length for every 3-letter value, as a stale cache would see it). */
function writeB(value: string): void {
  writeFileSync(path.join(dist, 'src', 'b.js'), `'use strict';\nexports.value = '${value}';\nexports.box = {};\n`);
}

/** dist/modules.json as scripts/build.js writes it: with `format: 'commonjs'` (Node's package scope lookup skipped), or without. */
function writeManifest(format: 'commonjs' | undefined): void {
  writeFileSync(path.join(dist, 'modules.json'), JSON.stringify({ files: ['src/a.js', 'src/b.js', 'src/dynamic.js'], dependencies: [], ...(format === undefined ? {} : { format }) }));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'herald-module-cache-'));
  dist = path.join(dir, 'node_modules', 'herald', 'dist', 'cjs');
  cacheDir = path.join(dir, 'node_modules', '.cache', 'herald');
  mkdirSync(path.join(dist, 'src'), { recursive: true });
  const source = readFileSync(path.join(__dirname, 'module-cache.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  writeFileSync(path.join(dir, 'module-cache.js'), outputText);
  writeFileSync(
    path.join(dist, 'src', 'a.js'),
    `'use strict';\nconst b = require('./b');\nexports.read = () => b.value;\nexports.box = b.box;\nexports.line = () => new Error('here').stack.split('\\n')[1];\n`,
  );
  writeFileSync(path.join(dist, 'src', 'dynamic.js'), `'use strict';\nexports.load = (url) => import(url);\n`);
  writeB('one');
  writeManifest('commonjs');
  runner = path.join(dir, 'run.js');
  writeFileSync(
    runner,
    `const cache = require('./module-cache.js');
const installed = cache.installModuleCache({ distDir: ${JSON.stringify(dist)}, cacheDir: process.env.HERALD_TEST_CACHE_DIR || ${JSON.stringify(cacheDir)} });
const a = require(${JSON.stringify(path.join(dist, 'src', 'a.js'))});
const b = require(${JSON.stringify(path.join(dist, 'src', 'b.js'))});
require(${JSON.stringify(path.join(dist, 'src', 'dynamic.js'))}).load(${JSON.stringify(path.join(dist, 'src', 'b.js'))}).then((ns) => {
  console.log(JSON.stringify({ installed, value: a.read(), shared: a.box === b.box && ns.default.box === b.box, line: a.line(), stats: cache.moduleCacheStats() }));
});
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  readonly installed: boolean;
  readonly value: string;
  readonly shared: boolean;
  readonly line: string;
  readonly stats: { readonly fromCache: number; readonly compiled: number };
}

function run(env: NodeJS.ProcessEnv = {}): Outcome {
  const result = spawnSync(process.execPath, [runner], { encoding: 'utf8', env: { ...process.env, HERALD_DISABLE_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '', ...env } });
  if (result.status !== 0) throw new Error(`exit ${String(result.status)}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome;
}

const cacheFile = (): string => path.join(cacheDir, `v8-${process.version}-${process.arch}.bin`);

describe('module cache of the installed CLI', () => {
  it('compiles the first time, then runs from the cache, one module instance whoever loads it', () => {
    rmSync(cacheDir, { recursive: true, force: true });
    const first = run();
    expect(first).toMatchObject({ installed: true, value: 'one', shared: true, stats: { fromCache: 0, compiled: 2 } });
    // Stack traces keep the source's file and line.
    expect(first.line).toContain(`${path.join(dist, 'src', 'a.js')}:5:`);
    expect(run()).toMatchObject({ value: 'one', shared: true, stats: { fromCache: 2, compiled: 0 } });
  });

  it('never runs a stale entry: a module whose source changed (same length) is compiled afresh', () => {
    run();
    writeB('two');
    expect(run()).toMatchObject({ value: 'two', stats: { fromCache: 1, compiled: 1 } });
    expect(run()).toMatchObject({ value: 'two', stats: { fromCache: 2, compiled: 0 } });
    writeB('one');
  });

  it('ignores a corrupt cache file and writes a good one', () => {
    run();
    const buffer = readFileSync(cacheFile());
    buffer.writeUInt8(buffer.readUInt8(buffer.length - 10) ^ 0xff, buffer.length - 10);
    writeFileSync(cacheFile(), buffer);
    expect(run()).toMatchObject({ value: 'one', stats: { fromCache: 0, compiled: 2 } });
    expect(run()).toMatchObject({ value: 'one', stats: { fromCache: 2, compiled: 0 } });
  });

  it('runs without a cache where none can be written, and says nothing', () => {
    const blocked = path.join(dir, 'not-a-directory');
    writeFileSync(blocked, '');
    const result = spawnSync(process.execPath, [runner], { encoding: 'utf8', env: { ...process.env, HERALD_DISABLE_COMPILE_CACHE: '', HERALD_TEST_CACHE_DIR: path.join(blocked, 'herald') } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ installed: true, value: 'one', shared: true, stats: { fromCache: 0, compiled: 2 } });
  });

  it("loads the same through Node's own .js loader when the manifest does not say the modules are CommonJS", () => {
    run();
    const withFormat = run();
    writeManifest(undefined);
    try {
      expect(run()).toEqual(withFormat);
    } finally {
      writeManifest('commonjs');
    }
  });

  it('steps aside when turned off', () => {
    expect(run({ HERALD_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({ installed: false, value: 'one', shared: true, stats: { fromCache: 0, compiled: 0 } });
  });
});
