/**
 * Loads a user module named on the command line (factories, triggers) with no build step:
 * `.ts .mts .cts .js .mjs .cjs`, through one dynamic `import()` of the file URL. tsx is
 * registered (for both require and import) only when TypeScript is loaded: a `.ts` module, or a
 * JavaScript one that imports TypeScript. JavaScript users never pay its start-up.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HeraldError } from '../errors/herald-error';
import { asProviderDefinition, type ProviderDefinition } from '../verify/provider';

/**
 * Node's own `import()`. Written through `Function` so no build step rewrites it to `require()`
 * (the CommonJS build would), which could not load ESM factories. Resolves from this module.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: a dynamic import no compiler rewrites
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/;
let tsx: Promise<void> | undefined;

/** Registers tsx's require() hook, then its import() hook, once per process. */
function registerTypeScript(): Promise<void> {
  tsx ??= (async () => {
    // Already there when bin/herald.js runs Herald's own sources through tsx.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for TypeScript files
    if (require.extensions['.ts'] === undefined) (require('tsx/cjs/api') as { register: () => unknown }).register();
    // The ESM build of tsx/esm/api: tsx 4.23's CommonJS build resolves its loader from the wrong
    // directory (dist/esm/api/esm/index.mjs) and throws ERR_MODULE_NOT_FOUND.
    const { register } = (await nativeImport('tsx/esm/api')) as { register: () => unknown };
    register();
  })();
  return tsx;
}

/** The error Node gives a module that imports a `.ts` file when no TypeScript loader is registered. */
function needsTypeScript(error: unknown): boolean {
  return error instanceof SyntaxError || (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * What the module exports: a definition (`messages` at the top), else its default export, following
 * CommonJS interop (`import()` of a CJS module compiled from `export default` gives
 * `{ default: { default: definition } }`).
 */
export function unwrapDefault(namespace: unknown): unknown {
  let value = namespace;
  for (let depth = 0; depth < 3 && isRecord(value) && !('messages' in value) && 'default' in value; depth++) value = value['default'];
  return value;
}

/** Imports a module file; any failure is HERALD_FACTORIES_LOAD_FAILED naming the file and the underlying error. */
export async function importUserModule(specifier: string, cwd: string, role: 'factories' | 'triggers'): Promise<unknown> {
  const file = path.resolve(cwd, specifier);
  const flag = `--${role}`;
  if (!existsSync(file)) {
    throw new HeraldError('HERALD_FACTORIES_LOAD_FAILED', `Failed to load ${role} from ${specifier}: the file ${file} does not exist. Check the ${flag} path (it is relative to ${cwd}).`);
  }
  if (statSync(file).isDirectory()) {
    throw new HeraldError(
      'HERALD_FACTORIES_LOAD_FAILED',
      `Failed to load ${role} from ${specifier}: it is a directory. Pass the module file to ${flag} (e.g. ${path.join(specifier, 'factories.ts')}).`,
    );
  }
  try {
    const url = pathToFileURL(file).href;
    if (TYPESCRIPT.test(file)) await registerTypeScript();
    try {
      return await nativeImport(url);
    } catch (error) {
      // A JavaScript module importing TypeScript: register tsx and load it afresh.
      if (tsx !== undefined || !needsTypeScript(error)) throw error;
      await registerTypeScript();
      return await nativeImport(`${url}?typescript`);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError('HERALD_FACTORIES_LOAD_FAILED', `Failed to load ${role} from ${specifier}: ${reason.trim()}. Fix the module; \`npx tsx ${specifier}\` shows the full error.`, {
      cause: error,
    });
  }
}

/**
 * Loads and validates a factories module.
 *
 * @example const definition = await loadFactories('test/provider/factories.ts', process.cwd());
 */
export async function loadFactories(specifier: string, cwd: string, importModule: ModuleImporter = importUserModule): Promise<ProviderDefinition> {
  return asProviderDefinition(unwrapDefault(await importModule(specifier, cwd, 'factories')), specifier);
}

/** How a user module is imported: `importUserModule`, or a test's stand-in (CliIO.importModule). */
export type ModuleImporter = (specifier: string, cwd: string, role: 'factories' | 'triggers') => Promise<unknown>;
