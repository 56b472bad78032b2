/**
 * Start-up of the installed CLI: bin/herald.js installs this before it loads the CLI, so that
 * Herald's own modules (and its dependencies') load without Node's per-file resolution and compile.
 *
 * - Resolution: a relative require() between Herald's modules is answered from dist/cjs/modules.json
 *   (written by scripts/build.js) with path arithmetic instead of Node's stat / realpath probes.
 * - Compile: each such module is compiled with V8 code cache data kept in one file under
 *   node_modules/.cache/herald/ (like v8-compile-cache; Node 20 has no module.enableCompileCache).
 *   An entry is used only for the exact source it was made from (SHA-256 of the text); the whole
 *   file carries a SHA-256 of its data, so a stale, truncated or corrupt cache is never used, only
 *   rewritten. A module that may call import() is left to Node (vm.Script cannot import).
 *
 * Node's loader still does everything else (require.cache, cycles, `module.children`), so a module is
 * loaded once whoever asks for it: the CLI, the factories' require('herald'), an adapter.
 * HERALD_DISABLE_COMPILE_CACHE=1 (or NODE_DISABLE_COMPILE_CACHE) turns it off.
 *
 * The hooks are for Node 20 only (its loader no longer changes); on Node 22.1 and later, Node's own
 * `module.enableCompileCache(dir)` is used instead, with the same directory.
 */
import * as nodeCrypto from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** dist/cjs/modules.json: Herald's compiled modules (relative to dist/cjs) and the dependencies whose files may be cached. */
export interface ModuleManifest {
  readonly files: readonly string[];
  readonly dependencies: readonly string[];
  /**
   * 'commonjs' when the build saw that Node loads every one of `files` as CommonJS (the package's
   * type is commonjs and dist/cjs holds no package.json): Node's `.js` loader then need not look up
   * their package scope.
   */
  readonly format?: 'commonjs';
}

/** One cached module: the hash of the source it was compiled from, and where its data is. */
interface CacheEntry {
  readonly hash: string;
  readonly offset: number;
  readonly length: number;
}

interface CacheHeader {
  /** SHA-256 (base64) of the data section. */
  readonly dataHash: string;
  readonly entries: Readonly<Record<string, CacheEntry>>;
}

/** Node's loader internals this file hooks (Node 20's; each is checked before use, and without one nothing is hooked). */
interface NodeModule {
  filename: string;
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string, format?: string): unknown;
}
type ExtensionLoader = (this: unknown, module: NodeModule, filename: string) => unknown;
interface ModuleInternals {
  _resolveFilename(request: string, parent: NodeModule | null | undefined, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: Record<string, ExtensionLoader | undefined>;
  _cache: Record<string, unknown>;
  prototype: { _compile(this: NodeModule, content: string, filename: string, format?: string): unknown };
}

const MAGIC = 'HERALD-V8-CACHE-1\n';

/** crypto.hash (Node 20.12 and later): the same digest in one call, without a Hash object per module. */
const oneShotHash = (nodeCrypto as { readonly hash?: (algorithm: string, data: string | Uint8Array, encoding: 'base64') => string }).hash;

const sha256 = (data: string | Uint8Array): string => (typeof oneShotHash === 'function' ? oneShotHash('sha256', data, 'base64') : nodeCrypto.createHash('sha256').update(data).digest('base64'));

/** Encodes cache entries (file → hash and code cache data) as one buffer: magic, header length, header, data. */
export function encodeCache(modules: ReadonlyMap<string, { readonly hash: string; readonly data: Uint8Array }>): Buffer {
  const entries: Record<string, CacheEntry> = {};
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [file, { hash, data }] of modules) {
    entries[file] = { hash, offset, length: data.length };
    parts.push(data);
    offset += data.length;
  }
  const data = Buffer.concat(parts);
  const header = Buffer.from(JSON.stringify({ dataHash: sha256(data), entries } satisfies CacheHeader));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([Buffer.from(MAGIC), length, header, data]);
}

/** Decodes a cache buffer: file → hash and data. Anything malformed or whose data does not match its hash is an empty cache. */
export function decodeCache(buffer: Buffer): Map<string, { readonly hash: string; readonly data: Buffer }> {
  const modules = new Map<string, { hash: string; data: Buffer }>();
  try {
    if (buffer.length < MAGIC.length + 4 || buffer.toString('latin1', 0, MAGIC.length) !== MAGIC) return modules;
    const headerLength = buffer.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4 + headerLength;
    if (start > buffer.length) return modules;
    const header = JSON.parse(buffer.toString('utf8', MAGIC.length + 4, start)) as CacheHeader;
    const data = buffer.subarray(start);
    if (typeof header.dataHash !== 'string' || sha256(data) !== header.dataHash) return modules;
    for (const [file, entry] of Object.entries(header.entries)) {
      const { hash, offset, length } = entry;
      if (typeof hash !== 'string' || !Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > data.length) return new Map();
      modules.set(file, { hash, data: data.subarray(offset, offset + length) });
    }
  } catch {
    return new Map();
  }
  return modules;
}

/**
 * A POSIX path (after its leading `/`, if any) with an empty, `.` or `..` segment, or a trailing `/`:
 * one that path.join would rewrite. Matching it sends a path to path.join / path.resolve instead of
 * the concatenation below.
 */
const UNNORMAL = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** Whether `file` is an absolute POSIX path already in the form path.join gives (not the root). */
const normalAbsolute = (file: string): boolean => path.sep === '/' && file.length > 1 && file.startsWith('/') && !UNNORMAL.test(file.slice(1));

/**
 * path.join(base, relative), by concatenation when both are already in the form path.join gives
 * (Node's own path.join walks every character, and start-up runs it cold for each of Herald's modules).
 */
export function joinNormal(base: string, relative: string): string {
  return normalAbsolute(base) && !UNNORMAL.test(relative) ? `${base}/${relative}` : path.join(base, relative);
}

/** path.resolve(path.dirname(fromFile), request), segment by segment for the requests a build writes (`./x`, `../x/y`). */
export function resolveRelative(fromFile: string, request: string): string {
  const fallback = (): string => path.resolve(path.dirname(fromFile), request);
  if (!normalAbsolute(fromFile)) return fallback();
  let dir = fromFile.slice(0, fromFile.lastIndexOf('/'));
  for (const segment of request.split('/')) {
    // An empty segment (`a//b`, a trailing or leading `/`) is path.resolve's to interpret.
    if (segment === '') return fallback();
    if (segment === '..') dir = dir.slice(0, dir.lastIndexOf('/'));
    else if (segment !== '.') dir = `${dir}/${segment}`;
  }
  // '' is the root, which path.resolve writes '/'.
  return dir === '' ? fallback() : dir;
}

/** What a relative require() from a module of `files` names, as Node would resolve it (x.js, x, x/index.js), or undefined when it is not one of them. */
export function resolveWithin(files: ReadonlySet<string>, fromFile: string, request: string): string | undefined {
  const base = resolveRelative(fromFile, request);
  if (files.has(`${base}.js`)) return `${base}.js`;
  if (files.has(base)) return base;
  const index = joinNormal(base, 'index.js');
  return files.has(index) ? index : undefined;
}

/**
 * Whether `source` may call import(): an `import(` that is not in a line comment or a block
 * comment's line (`/*`, or ` * ` as in JSDoc `{import('x').T}`). When unsure it says yes, and Node
 * compiles the module as usual.
 */
export function mayCallImport(source: string): boolean {
  for (let at = source.indexOf('import('); at !== -1; at = source.indexOf('import(', at + 1)) {
    const before = source.slice(source.lastIndexOf('\n', at) + 1, at);
    const line = before.trimStart();
    const commented = line.startsWith('//') || ((line.startsWith('/*') || /^\*(?:\s|$)/.test(line)) && !before.includes('*/'));
    if (!commented) return true;
  }
  return false;
}

/**
 * Whether `text` has no lone surrogate: then its UTF-8 bytes, which the hash reads, tell it apart from
 * any other text (a lone surrogate becomes U+FFFD). Text Node read from a file always is.
 */
export function wellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  // Without String.prototype.isWellFormed, any surrogate at all counts as doubtful.
  return typeof native === 'function' ? native.call(text) : !/[\uD800-\uDFFF]/.test(text);
}

/** Node options under which the hooks step aside: other resolution or loading rules than the ones they shortcut. */
const STEP_ASIDE = /--(?:preserve-symlinks|experimental-policy|experimental-loader|loader|import|experimental-default-type)\b/;

export interface ModuleCacheOptions {
  /** Herald's dist/cjs directory (holding modules.json). */
  readonly distDir: string;
  /** Where the cache file goes; undefined: resolution only, no code cache. */
  readonly cacheDir: string | undefined;
}

/**
 * The cache directory for a Herald installed at `packageRoot`: node_modules/.cache/herald in the
 * node_modules that holds it (the find-cache-dir convention), or undefined outside node_modules.
 */
export function defaultCacheDir(packageRoot: string): string | undefined {
  const parent = path.dirname(packageRoot);
  const nodeModules = path.basename(parent).startsWith('@') ? path.dirname(parent) : parent;
  return path.basename(nodeModules) === 'node_modules' ? path.join(nodeModules, '.cache', 'herald') : undefined;
}

let installed = false;
const stats = { fromCache: 0, compiled: 0 };

/** How many modules this process compiled with cache data, and without (for benchmarks and tests). */
export function moduleCacheStats(): { readonly fromCache: number; readonly compiled: number } {
  return { ...stats };
}

/**
 * Installs the resolution and compile hooks for Herald's modules; returns false (and changes nothing)
 * when turned off, under Node options it does not handle, or without a readable manifest.
 */
export function installModuleCache(options: ModuleCacheOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  if (installed) return true;
  const off = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0';
  if (off(env['HERALD_DISABLE_COMPILE_CACHE']) || off(env['NODE_DISABLE_COMPILE_CACHE'])) return false;
  // Node 22.1 and later have a compile cache of their own (which checks each module's source, too): use it, with no hook.
  const enable = (Module as unknown as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  if (typeof enable === 'function') {
    if (options.cacheDir === undefined) return false;
    enable(options.cacheDir);
    installed = true;
    return true;
  }
  if (STEP_ASIDE.test(`${process.execArgv.join(' ')} ${env['NODE_OPTIONS'] ?? ''}`)) return false;
  const internals = Module as unknown as Partial<ModuleInternals>;
  const originalResolve = internals._resolveFilename;
  const originalCompile = internals.prototype?._compile;
  const lookupPaths = internals._resolveLookupPaths;
  if (typeof originalResolve !== 'function' || typeof originalCompile !== 'function' || typeof lookupPaths !== 'function' || internals.prototype === undefined) return false;

  let manifest: ModuleManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(options.distDir, 'modules.json'), 'utf8')) as ModuleManifest;
    if (!Array.isArray(manifest.files) || !Array.isArray(manifest.dependencies)) return false;
  } catch {
    return false;
  }
  const files = new Set(manifest.files.map((file) => joinNormal(options.distDir, file)));
  const dependencyDirs = manifest.dependencies.map((name) => `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`);
  const cacheable = (filename: string): boolean => files.has(filename) || dependencyDirs.some((dir) => filename.includes(dir));

  const cacheFile = options.cacheDir === undefined ? undefined : path.join(options.cacheDir, `v8-${process.version}-${process.arch}.bin`);
  let cached = new Map<string, { readonly hash: string; readonly data: Buffer }>();
  if (cacheFile !== undefined) {
    try {
      cached = decodeCache(readFileSync(cacheFile));
    } catch {
      // No cache yet (or unreadable): this run writes one.
    }
  }
  const compiled = new Map<string, { readonly hash: string; readonly script: vm.Script }>();
  let missed = false;

  internals._resolveFilename = function resolveFilename(this: unknown, request, parent, isMain, resolveOptions) {
    if (resolveOptions === undefined && parent != null && request.startsWith('.') && files.has(parent.filename)) {
      const found = resolveWithin(files, parent.filename, request);
      if (found !== undefined) return found;
    }
    return originalResolve.call(this, request, parent, isMain, resolveOptions);
  };

  const { _extensions: extensions, _cache: cache } = internals;
  // Node's `.js` loader looks up each module's package scope (package.json files up the tree) for its
  // type, and then reads the file; for Herald's modules the build already knows that type.
  const loadJs = extensions?.['.js'];
  if (manifest.format === 'commonjs' && extensions !== undefined && typeof loadJs === 'function') {
    extensions['.js'] = function loadHeraldJs(this: unknown, module, filename) {
      if (!files.has(filename)) return loadJs.call(this, module, filename);
      return module._compile(readFileSync(filename, 'utf8'), filename, 'commonjs');
    };
  }
  internals.prototype._compile = function compile(this: NodeModule, content, filename, format) {
    if ((format !== undefined && format !== 'commonjs') || !cacheable(filename) || mayCallImport(content) || !wellFormed(content)) {
      return originalCompile.call(this, content, filename, format);
    }
    const hash = sha256(content);
    const entry = cached.get(filename);
    const cachedData = entry !== undefined && entry.hash === hash ? entry.data : undefined;
    // Node's CommonJS wrapper, on the source's first line so that stack traces keep its line numbers.
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${content}\n})`, { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected === true) {
      missed = true;
      stats.compiled += 1;
    } else stats.fromCache += 1;
    compiled.set(filename, { hash, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const module = this;
    const require = Object.assign((id: string) => module.require(id), {
      resolve: Object.assign((request: string, resolveOptions?: unknown) => internals._resolveFilename!(request, module, false, resolveOptions), {
        paths: (request: string) => lookupPaths.call(internals, request, module),
      }),
      main: mainModule(),
      extensions,
      cache,
    });
    return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  };

  if (cacheFile !== undefined) {
    process.on('exit', () => {
      if (!missed) return;
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      let fd: number | undefined;
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true });
        // Opened before anything is serialised: a read-only node_modules costs one failed open per run.
        fd = openSync(temporary, 'w');
        const next = new Map<string, { hash: string; data: Uint8Array }>();
        for (const [file, entry] of cached) if (!compiled.has(file)) next.set(file, entry);
        for (const [file, { hash, script }] of compiled) next.set(file, { hash, data: script.createCachedData() });
        writeSync(fd, encodeCache(next));
        closeSync(fd);
        fd = undefined;
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only node_modules, a full disk: the next run compiles as Node would.
        try {
          if (fd !== undefined) closeSync(fd);
          rmSync(temporary, { force: true });
        } catch {
          // Nothing more to undo.
        }
      }
    });
  }
  installed = true;
  return true;
}

/** `require.main` as Node gives it to a module it loads. */
function mainModule(): unknown {
  return (process as { mainModule?: unknown }).mainModule;
}
