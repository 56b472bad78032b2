/**
 * What this process's handler tests declared, and writing it to contract files. Under jest and
 * vitest the contracts are written once per test file, in an `afterAll` hook registered when Herald
 * is first imported by the test file; elsewhere call `writeContracts()` yourself.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnyInteraction } from '../contract/model';
import { anyInteractionJson, identityOf } from '../contract/serialize';
import { contractFilePath, writePair, type Declared, type WriteMode } from '../contract/store';
import { HeraldError } from '../errors/herald-error';

interface PairEntries {
  readonly consumer: string;
  readonly provider: string;
  readonly entries: Map<string, Declared>;
}

/** owner (test file) → contract file → declarations. */
const declared = new Map<string, Map<string, PairEntries>>();

/** Environment variables Herald's jest globalSetup sets for workers. */
export const RUN_ENV = { id: 'HERALD_RUN_ID', mode: 'HERALD_RUN_MODE', ledger: 'HERALD_RUN_LEDGER', contractsDir: 'HERALD_CONTRACTS_DIR' } as const;

/** The contracts directory: `HERALD_CONTRACTS_DIR`, else `contracts/` under the working directory. */
export function defaultContractsDir(): string {
  return path.resolve(process.env[RUN_ENV.contractsDir] ?? 'contracts');
}

type TestExpect = { getState?: () => { testPath?: string } };
const VITEST_EXPECT = Symbol.for('expect-global');

/** The test file declaring interactions, relative to the working directory (posix separators). */
export function currentOwner(): string {
  // jest's global expect, else vitest's (registered under a global symbol even without `globals: true`).
  const scope = globalThis as { expect?: TestExpect; [VITEST_EXPECT]?: TestExpect };
  const state = (scope.expect ?? scope[VITEST_EXPECT])?.getState?.();
  const file = state?.testPath ?? process.argv[1] ?? 'unknown';
  const cwd = process.cwd();
  // A test file declares many interactions in a row: resolve its name once.
  if (lastOwner.file !== file || lastOwner.cwd !== cwd) lastOwner = { file, cwd, owner: path.relative(cwd, file).split(path.sep).join('/') };
  return lastOwner.owner;
}

let lastOwner = { file: '', cwd: '', owner: '' };

const sameContent = (a: AnyInteraction, b: AnyInteraction): boolean => JSON.stringify(anyInteractionJson(a)) === JSON.stringify(anyInteractionJson(b));

/** Records an interaction's handler result for the current test file. */
export function recordInteraction(dir: string, interaction: AnyInteraction, consumer: string, provider: string, passed: boolean): void {
  const owner = typeof interaction.herald?.owner === 'string' ? interaction.herald.owner : currentOwner();
  const file = contractFilePath(dir, consumer, provider);
  let pairs = declared.get(owner);
  if (pairs === undefined) declared.set(owner, (pairs = new Map()));
  let pair = pairs.get(file);
  if (pair === undefined) pairs.set(file, (pair = { consumer, provider, entries: new Map() }));
  const id = identityOf(interaction.description, interaction.providerStates);
  const previous = pair.entries.get(id);
  if (previous !== undefined && !sameContent(previous.interaction, interaction)) {
    throw new HeraldError(
      'HERALD_DUPLICATE_INTERACTION',
      `Failed to declare "${interaction.description}" (${consumer} → ${provider}) in ${owner}: an interaction with the same description and provider states but different content was already declared. ` +
        'Give each interaction a unique description, or make both declarations identical.',
      { interaction: interaction.description, contractFile: file },
    );
  }
  pair.entries.set(id, { interaction, passed: passed && (previous?.passed ?? true) });
}

/**
 * Marks an interaction failed whether or not it was recorded (with its usage) already, so that it
 * is not written: a flow whose later step failed writes none of its steps.
 */
export function markInteractionFailed(dir: string, interaction: AnyInteraction, consumer: string, provider: string): void {
  const owner = typeof interaction.herald?.owner === 'string' ? interaction.herald.owner : currentOwner();
  const pair = declared.get(owner)?.get(contractFilePath(dir, consumer, provider));
  const id = identityOf(interaction.description, interaction.providerStates);
  const previous = pair?.entries.get(id);
  if (pair !== undefined && previous !== undefined) pair.entries.set(id, { ...previous, passed: false });
  else recordInteraction(dir, interaction, consumer, provider, false);
}

function writeMode(): WriteMode {
  return process.env[RUN_ENV.mode] === 'full' ? 'full' : 'merge';
}

/** Writes every recorded interaction to its contract file and forgets them. Returns the files written. */
export async function writeContracts(): Promise<string[]> {
  const written: string[] = [];
  const mode = writeMode();
  for (const [owner, pairs] of [...declared]) {
    declared.delete(owner);
    for (const [file, pair] of pairs) {
      const changed = await writePair({ file, consumer: pair.consumer, provider: pair.provider, owner, declared: [...pair.entries.values()], mode });
      if (changed) written.push(file);
    }
    await recordInLedger(owner, [...pairs.keys()]);
  }
  return written;
}

/** In a full run, tells global teardown which contract files each test file wrote. */
async function recordInLedger(owner: string, files: string[]): Promise<void> {
  const ledger = process.env[RUN_ENV.ledger];
  if (ledger === undefined || process.env[RUN_ENV.mode] !== 'full') return;
  await fs.mkdir(ledger, { recursive: true });
  const name = createHash('sha256').update(owner).digest('hex').slice(0, 24);
  await fs.writeFile(path.join(ledger, `${name}.json`), JSON.stringify({ owner, files: files.map((f) => path.resolve(f)) }));
}

/** Directory for a run's ledger (used by the jest globalSetup). */
export function ledgerDirFor(runId: string): string {
  return path.join(os.tmpdir(), `herald-run-${runId}`);
}

let hookRegistered = false;

type AfterAll = (fn: () => Promise<unknown>, timeout?: number) => void;

/**
 * Registers the afterAll hook that writes contracts: jest's global one (or a look-alike's), else
 * vitest's, which a vitest worker exposes as `__vitest_index__` even without `globals: true`.
 */
export function registerAfterAllHook(): void {
  if (hookRegistered) return;
  const scope = globalThis as { afterAll?: AfterAll; __vitest_index__?: { afterAll?: AfterAll } };
  const afterAll = scope.afterAll ?? scope.__vitest_index__?.afterAll;
  if (typeof afterAll !== 'function') return;
  try {
    afterAll(() => writeContracts(), 120_000);
    hookRegistered = true;
  } catch {
    // Imported from inside a test: hooks cannot be added there; writeContracts() must be called.
  }
}
