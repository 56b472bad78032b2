/**
 * Loads contract files from disk: single files, or every `*.json` under a directory.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HeraldError } from '../errors/herald-error';
import type { Contract } from './model';
import { parseReadContract } from './reader';
import { decodeContractBytes } from './json-text';
import { readJsonText } from './safe-json';

/**
 * Reads, validates and normalises one contract file; the result carries `source: file`.
 *
 * @example const contract = await readContractFile('pacts/billing-orders.json');
 */
export async function readContractFile(file: string): Promise<Contract> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseContractText(decodeContractBytes(bytes, file), file);
}

/** `readContractFile`, synchronously (jest collects tests synchronously). */
export function readContractFileSync(file: string): Contract {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseContractText(decodeContractBytes(bytes, file), file);
}

function parseContractText(text: string, file: string): Contract {
  return { ...parseReadContract(readJsonText(text, file), file), source: file };
}

/** What loading does with a JSON file found in a directory that is not a Pact file. */
export interface LoadContractsOptions {
  /** Called for each such file, which is skipped (e.g. package-lock.json under `-c .`). */
  readonly onSkip?: (file: string, reason: string) => void;
}

const PACT_KEYS = ['consumer', 'provider', 'interactions', 'messages'] as const;

/**
 * Why a JSON value found in a directory is not a Pact file, or undefined if it looks like one: a
 * Pact file names a consumer, a provider, interactions or messages, or a Pact specification version.
 * A file that looks like one is read and fails on its errors.
 */
export function notPactReason(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not a JSON object';
  if (PACT_KEYS.some((k) => Object.hasOwn(json, k))) return undefined;
  const metadata: unknown = (json as Record<string, unknown>)['metadata'];
  if (typeof metadata === 'object' && metadata !== null && ['pactSpecification', 'pact-specification'].some((k) => Object.hasOwn(metadata, k))) return undefined;
  return 'not a Pact file (no consumer, provider, interactions, messages or metadata.pactSpecification)';
}

/** A directory's file: the contract, or undefined (reported to onSkip) when it is not a Pact file. */
function contractOrSkip(text: string, file: string, options: LoadContractsOptions): Contract | undefined {
  const read = readJsonText(text, file);
  const reason = notPactReason(read.json);
  if (reason !== undefined) {
    options.onSkip?.(file, reason);
    return undefined;
  }
  return { ...parseReadContract(read, file), source: file };
}

async function readFound(found: FoundFile, options: LoadContractsOptions): Promise<Contract | undefined> {
  if (!found.inDirectory) return readContractFile(found.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(found.file);
  } catch (error) {
    throw unreadable(found.file, error);
  }
  return contractOrSkip(decodeContractBytes(bytes, found.file), found.file, options);
}

function readFoundSync(found: FoundFile, options: LoadContractsOptions): Contract | undefined {
  if (!found.inDirectory) return readContractFileSync(found.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(found.file);
  } catch (error) {
    throw unreadable(found.file, error);
  }
  return contractOrSkip(decodeContractBytes(bytes, found.file), found.file, options);
}

/** A directory whose JSON files are all skipped holds no contracts: as unreadable as an empty one. */
function noneLeft(paths: readonly string[], found: readonly FoundFile[], contracts: readonly Contract[]): void {
  if (found.length === 0 || contracts.length > 0 || found.some((f) => !f.inDirectory)) return;
  throw new HeraldError(
    'HERALD_CONTRACT_UNREADABLE',
    `Failed to load contracts from ${paths.join(', ')}: none of its ${found.length} *.json files is a Pact file. ` + 'Check the path, or run the consumer tests that write the contracts first.',
    { contractFile: paths.join(', ') },
  );
}

/**
 * Loads every contract named by `paths`, in order. A path is a file (read whatever its extension)
 * or a directory (every `*.json` below it, sorted, skipping dot-directories and node_modules).
 * A file named twice is read once. A directory without contract files is HERALD_CONTRACT_UNREADABLE,
 * so a mistyped path never verifies nothing. A JSON file found in a directory that is not a Pact
 * file (package-lock.json, tsconfig.json…) is skipped and reported to `options.onSkip`; a file
 * named explicitly, or one that looks like a Pact file, is read and fails on its errors.
 *
 * @example const contracts = await loadContracts(['pacts/', 'legacy/orders-v3.json']);
 */
export async function loadContracts(paths: readonly string[], options: LoadContractsOptions = {}): Promise<Contract[]> {
  const found = foundFiles(paths);
  const contracts: Contract[] = [];
  for (const file of found) {
    const contract = await readFound(file, options);
    if (contract !== undefined) contracts.push(contract);
  }
  noneLeft(paths, found, contracts);
  return contracts;
}

/** `loadContracts`, synchronously (jest collects tests synchronously). */
export function loadContractsSync(paths: readonly string[], options: LoadContractsOptions = {}): Contract[] {
  const found = foundFiles(paths);
  const contracts = found.map((f) => readFoundSync(f, options)).filter((c): c is Contract => c !== undefined);
  noneLeft(paths, found, contracts);
  return contracts;
}

/** The contract files `loadContracts` would read, in the order it reads them. */
export async function findContractFiles(paths: readonly string[]): Promise<string[]> {
  return findContractFilesSync(paths);
}

/**
 * `findContractFiles`, synchronously. Listing a directory is quick, so both forms walk it with
 * the sync calls; only file contents are read asynchronously.
 */
export function findContractFilesSync(paths: readonly string[]): string[] {
  return foundFiles(paths).map((f) => f.file);
}

interface FoundFile {
  readonly file: string;
  /** Found by listing a directory, not named by the caller. */
  readonly inDirectory: boolean;
}

function foundFiles(paths: readonly string[]): FoundFile[] {
  const files: FoundFile[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw unreadable(path, error);
    }
    const found = isDirectory ? jsonFilesUnder(path) : [path];
    if (found.length === 0) {
      throw new HeraldError(
        'HERALD_CONTRACT_UNREADABLE',
        `Failed to load contracts from ${path}: the directory contains no *.json files. ` + 'Check the path, or run the consumer tests that write the contracts first.',
        { contractFile: path },
      );
    }
    for (const file of found) {
      const key = resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);
      files.push({ file, inDirectory: isDirectory });
    }
  }
  return files;
}

/** Every `*.json` below `root`, sorted by path; follows symlinks once (loops are skipped). */
function jsonFilesUnder(root: string): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries;
    try {
      const real = realpathSync(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw unreadable(dir, error);
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = statOrUndefined(path); // dangling links are ignored
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory && !entry.name.startsWith('.') && entry.name !== 'node_modules') pending.push(path);
      else if (isFile && entry.name.endsWith('.json')) files.push(path);
    }
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function unreadable(path: string, error: unknown): HeraldError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const reason =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
  const remedy = code === 'ENOENT' ? 'Check the path; if the consumer tests write it, run them first.' : 'Check the path and its permissions.';
  return new HeraldError('HERALD_CONTRACT_UNREADABLE', `Failed to read contract ${path}: ${reason}. ${remedy}`, { contractFile: path, cause: error });
}
