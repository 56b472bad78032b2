import path from 'node:path';
import { decodeCache, defaultCacheDir, encodeCache, joinNormal, mayCallImport, resolveRelative, resolveWithin, wellFormed } from './module-cache';

const entries = new Map([
  ['/p/node_modules/herald/dist/cjs/src/a.js', { hash: 'ha', data: Buffer.from('code cache of a') }],
  ['/p/node_modules/herald/dist/cjs/src/b.js', { hash: 'hb', data: Buffer.from('b') }],
]);

describe('module cache file', () => {
  it('decodes what it encodes', () => {
    const decoded = decodeCache(encodeCache(entries));
    expect([...decoded].map(([file, { hash, data }]) => [file, hash, data.toString()])).toEqual([
      ['/p/node_modules/herald/dist/cjs/src/a.js', 'ha', 'code cache of a'],
      ['/p/node_modules/herald/dist/cjs/src/b.js', 'hb', 'b'],
    ]);
  });

  it('is empty when a byte of the data changed', () => {
    const buffer = encodeCache(entries);
    buffer.writeUInt8(buffer.readUInt8(buffer.length - 3) ^ 1, buffer.length - 3);
    expect(decodeCache(buffer).size).toBe(0);
  });

  it('is empty when truncated, of another format, or not a cache at all', () => {
    const buffer = encodeCache(entries);
    expect(decodeCache(buffer.subarray(0, buffer.length - 1)).size).toBe(0);
    expect(decodeCache(buffer.subarray(0, 30)).size).toBe(0);
    expect(decodeCache(Buffer.from(buffer.toString('latin1').replace('CACHE-1', 'CACHE-2'), 'latin1')).size).toBe(0);
    expect(decodeCache(Buffer.from('{"not":"a cache"}')).size).toBe(0);
    expect(decodeCache(Buffer.alloc(0)).size).toBe(0);
  });
});

describe('resolution between Herald modules', () => {
  const dist = path.join(path.sep, 'p', 'dist', 'cjs');
  const files = new Set(['src/cli/main.js', 'src/errors/herald-error.js', 'src/matchers/index.js', 'src/report/json'].map((f) => path.join(dist, f)));
  const from = path.join(dist, 'src/cli/main.js');

  it('answers x.js, then x, then x/index.js, as Node does for extensionless requests', () => {
    expect(resolveWithin(files, from, '../errors/herald-error')).toBe(path.join(dist, 'src/errors/herald-error.js'));
    expect(resolveWithin(files, from, '../report/json')).toBe(path.join(dist, 'src/report/json'));
    expect(resolveWithin(files, from, '../matchers')).toBe(path.join(dist, 'src/matchers/index.js'));
  });

  it('leaves a module outside the manifest to Node', () => {
    expect(resolveWithin(files, from, './missing')).toBeUndefined();
    expect(resolveWithin(files, from, '../../../package.json')).toBeUndefined();
  });
});

describe('path arithmetic without path.join / path.resolve', () => {
  const bases = ['/p/dist/cjs', '/', '/p', '/p/', '/p//dist', '/p/./dist', '/p/../dist', '/p/dist/..', '/p/.d/...', 'relative/dir', '', '.', '/p/a\\b'];
  const relatives = ['src/a.js', 'a', '.a', '..a', '...', 'src/../a.js', './a', 'a/./b', 'a//b', 'a/', '/a', '', '.', '..', '../a', 'a/..', 'a\\b'];
  const requests = ['./a', '../a', '../../a', '../../../../../a', './a/b', '../a/../b', '.', '..', './', '../', './a/', './/a', 'a', '/a', './.a', './..a', './...', './a\\b'];
  const froms = ['/p/dist/cjs/src/cli/main.js', '/main.js', '/p/main.js', '/p//x/main.js', '/p/./x/main.js', '/p/../x/main.js', 'relative/main.js', '/p/x/'];

  it('joins exactly as path.join does, whatever the inputs', () => {
    for (const base of bases) for (const relative of relatives) expect([base, relative, joinNormal(base, relative)]).toEqual([base, relative, path.join(base, relative)]);
  });

  it("resolves a request exactly as path.resolve from the module's directory does, whatever the inputs", () => {
    for (const from of froms) for (const request of requests) expect([from, request, resolveRelative(from, request)]).toEqual([from, request, path.resolve(path.dirname(from), request)]);
  });
});

describe('cache directory', () => {
  it('is node_modules/.cache/herald beside an installed Herald, scoped or not', () => {
    expect(defaultCacheDir(path.join(path.sep, 'app', 'node_modules', 'herald'))).toBe(path.join(path.sep, 'app', 'node_modules', '.cache', 'herald'));
    expect(defaultCacheDir(path.join(path.sep, 'app', 'node_modules', '@acme', 'herald'))).toBe(path.join(path.sep, 'app', 'node_modules', '.cache', 'herald'));
  });

  it('is none for a checkout outside node_modules', () => {
    expect(defaultCacheDir(path.join(path.sep, 'work', 'herald'))).toBeUndefined();
  });
});

describe('modules left to Node because they may call import()', () => {
  it('finds import() in code', () => {
    expect(mayCallImport("const load = new Function('s', 'return import(s)');")).toBe(true);
    expect(mayCallImport('async function f() {\n  return await import(url);\n}')).toBe(true);
    expect(mayCallImport('foo(); // then import(x)')).toBe(true);
    expect(mayCallImport('/* note */ import(x);')).toBe(true);
    expect(mayCallImport('class A {\n  *load() { return import(x); }\n}')).toBe(true);
  });

  it('ignores import( in line and JSDoc comments', () => {
    expect(mayCallImport("/**\n * @param {import('./index.js').RE2JS} pattern\n */\nfunction f(pattern) {}")).toBe(false);
    expect(mayCallImport('// a dynamic import( is not used here\nmodule.exports = 1;')).toBe(false);
    expect(mayCallImport('/* import(x) */\nmodule.exports = 1;')).toBe(false);
    expect(mayCallImport('module.exports = require("./x");')).toBe(false);
  });
});

describe('sources the cache may key by their UTF-8 hash', () => {
  it('takes text with paired surrogates and refuses a lone one (it would hash like U+FFFD)', () => {
    expect(wellFormed("module.exports = '→ 😀';")).toBe(true);
    expect(wellFormed("module.exports = '\uD83D';")).toBe(false);
    expect(wellFormed("module.exports = '\uFFFD';")).toBe(true);
  });
});

describe('installModuleCache on a Node with its own compile cache (22.1 and later)', () => {
  it("calls module.enableCompileCache with Herald's cache directory and hooks nothing", () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real node:module, patched for this test only
      const Module = require('node:module') as { enableCompileCache?: unknown; _resolveFilename: unknown; prototype: { _compile: unknown } };
      const resolve = Module._resolveFilename;
      const compile = Module.prototype._compile;
      const calls: unknown[] = [];
      const had = Object.hasOwn(Module, 'enableCompileCache');
      const before = Module.enableCompileCache;
      Module.enableCompileCache = (directory: unknown) => void calls.push(directory);
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy: `installed` starts false
        const { installModuleCache } = require('./module-cache') as typeof import('./module-cache');
        expect(installModuleCache({ distDir: '/nowhere', cacheDir: '/p/node_modules/.cache/herald' }, {})).toBe(true);
        expect(calls).toEqual(['/p/node_modules/.cache/herald']);
        expect(Module._resolveFilename).toBe(resolve);
        expect(Module.prototype._compile).toBe(compile);
      } finally {
        if (had) Module.enableCompileCache = before;
        else delete Module.enableCompileCache;
      }
    });
  });
});
