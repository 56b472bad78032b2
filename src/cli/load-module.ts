/**
 * Loads a user module named on the command line (factories now, triggers later) with no build
 * step: `.ts .mts .cts .js .mjs .cjs`. bin/herald.js registers tsx for both require and import,
 * so one dynamic `import()` of the file URL covers them all.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HeraldError } from '../errors/herald-error';
import { asProviderDefinition, type ProviderDefinition } from '../verify/provider';

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
    throw new HeraldError(
      'HERALD_FACTORIES_LOAD_FAILED',
      `Failed to load ${role} from ${specifier}: the file ${file} does not exist. Check the ${flag} path (it is relative to ${cwd}).`,
    );
  }
  if (statSync(file).isDirectory()) {
    throw new HeraldError('HERALD_FACTORIES_LOAD_FAILED', `Failed to load ${role} from ${specifier}: it is a directory. Pass the module file to ${flag} (e.g. ${path.join(specifier, 'factories.ts')}).`);
  }
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError(
      'HERALD_FACTORIES_LOAD_FAILED',
      `Failed to load ${role} from ${specifier}: ${reason.trim()}. Fix the module; \`npx tsx ${specifier}\` shows the full error.`,
      { cause: error },
    );
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
