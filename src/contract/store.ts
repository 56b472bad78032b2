/**
 * Merges declared interactions into contract files, one file per consumer–provider pair.
 * Ownership: each interaction records the test file that declared it (`herald.owner`).
 * - merge mode (default, partial runs): add or replace what was declared; drop nothing.
 * - full mode (a whole jest run, set by Herald's globalSetup): an owner's interactions that it no
 *   longer declares are dropped; global teardown drops those of test files that no longer exist.
 * Interactions whose handler failed keep their previous version: a red test loses nothing.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { HeraldError } from '../errors/herald-error';
import type { JsonValue } from './json';
import { isSyncInteraction, type AnyInteraction, type Contract, type MessageInteraction, type SyncMessageInteraction } from './model';
import { parseReadContract } from './reader';
import { decodeContractBytes } from './json-text';
import { readJsonText } from './safe-json';
import { anyInteractionJson, identityOf, serializeContract } from './serialize';
import { withFileLock, writeFileAtomic } from './file-lock';

export type WriteMode = 'merge' | 'full';

export interface Declared {
  readonly interaction: AnyInteraction;
  /** False when the handler failed: the file keeps the previous version, if any. */
  readonly passed: boolean;
}

export interface PairWrite {
  readonly file: string;
  readonly consumer: string;
  readonly provider: string;
  readonly owner: string;
  readonly declared: readonly Declared[];
  readonly mode: WriteMode;
}

const SAFE_NAME = /[^A-Za-z0-9._-]+/g;

/** `contracts/shipping-orders.json` for consumer "shipping" and provider "orders". */
export function contractFilePath(dir: string, consumer: string, provider: string): string {
  // Every interaction a test file records asks for the same file: the last answer is kept.
  const last = lastFilePath;
  if (last !== undefined && last.dir === dir && last.consumer === consumer && last.provider === provider) return last.file;
  const file = path.join(dir, `${consumer.replace(SAFE_NAME, '_')}-${provider.replace(SAFE_NAME, '_')}.json`);
  lastFilePath = { dir, consumer, provider, file };
  return file;
}

let lastFilePath: { readonly dir: string; readonly consumer: string; readonly provider: string; readonly file: string } | undefined;

/** Reads a contract file if it exists. A damaged file is an error, never silently replaced. */
export async function readExisting(file: string): Promise<Contract | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HeraldError('HERALD_CONTRACT_UNREADABLE', `Failed to read ${file}: ${(error as Error).message}.`, { contractFile: file, cause: error });
  }
  return parseReadContract(readJsonText(decodeContractBytes(bytes, file), file), file);
}

const ownerOf = (i: AnyInteraction): string | undefined => (typeof i.herald?.owner === 'string' ? i.herald.owner : undefined);

/** The interaction as compared for conflicts: everything but who owns it. */
function comparable(i: AnyInteraction): string {
  const json = anyInteractionJson(i);
  const comments = json['comments'];
  const herald = typeof comments === 'object' && comments !== null && !Array.isArray(comments) ? comments['herald'] : undefined;
  // Who declared it and what its handler read are not content: two test files may differ there.
  if (typeof herald === 'object' && herald !== null && !Array.isArray(herald)) {
    delete herald['owner'];
    delete herald['usage'];
  }
  return JSON.stringify(json as JsonValue);
}

/** Merges one test file's declarations for one pair into its contract file, under the file's lock. */
export async function writePair(write: PairWrite): Promise<boolean> {
  return withFileLock(write.file, async () => {
    const existing = await readExisting(write.file);
    if (existing !== undefined && (existing.consumer !== write.consumer || existing.provider !== write.provider)) {
      throw new HeraldError(
        'HERALD_CONTRACT_WRITE_FAILED',
        `Failed to write ${write.file}: it holds the contract ${existing.consumer} → ${existing.provider}, not ${write.consumer} → ${write.provider}. Rename one of the participants or move the file.`,
        { contractFile: write.file },
      );
    }
    const byIdentity = new Map<string, AnyInteraction>();
    for (const i of [...(existing?.interactions ?? []), ...(existing?.synchronous ?? [])]) byIdentity.set(identityOf(i.description, i.providerStates), i);
    const before = existing === undefined ? undefined : serializeContract(existing);

    const declaredIds = new Set<string>();
    for (const { interaction, passed } of write.declared) {
      const id = identityOf(interaction.description, interaction.providerStates);
      declaredIds.add(id);
      if (!passed) continue;
      const current = byIdentity.get(id);
      const currentOwner = current === undefined ? undefined : ownerOf(current);
      if (current !== undefined && currentOwner !== undefined && currentOwner !== write.owner && existsSync(currentOwner) && comparable(current) !== comparable(interaction)) {
        throw new HeraldError(
          'HERALD_DUPLICATE_INTERACTION',
          `Failed to write ${write.file}: "${interaction.description}" is declared by ${write.owner} and, with different content, by ${currentOwner}. ` +
            'Give each interaction a unique description, or make both declarations identical.',
          { contractFile: write.file, interaction: interaction.description },
        );
      }
      byIdentity.set(id, interaction);
    }
    if (write.mode === 'full') {
      for (const [id, i] of byIdentity) if (ownerOf(i) === write.owner && !declaredIds.has(id)) byIdentity.delete(id);
    }
    const contract: Contract = {
      consumer: write.consumer,
      provider: write.provider,
      specVersion: '4.0',
      metadata: {},
      ...splitKinds([...byIdentity.values()]),
    };
    // A test file whose every handler failed creates no file: an empty contract would verify nothing.
    if (existing === undefined && contract.interactions.length === 0 && (contract.synchronous?.length ?? 0) === 0) return false;
    const text = serializeContract(contract);
    if (text === before) return false;
    await writeFileAtomic(write.file, text);
    return true;
  });
}

/**
 * Drops interactions owned by test files that no longer exist, or by test files that ran in this
 * full run without declaring anything for that pair. `ran` maps owner → files it wrote.
 */
export async function pruneContracts(files: readonly string[], ran: ReadonlyMap<string, ReadonlySet<string>>, root: string): Promise<string[]> {
  const changed: string[] = [];
  for (const file of files) {
    await withFileLock(file, async () => {
      const existing = await readExisting(file);
      if (existing === undefined) return;
      const keep = [...existing.interactions, ...(existing.synchronous ?? [])].filter((i) => {
        const owner = ownerOf(i);
        if (owner === undefined) return true;
        const wrote = ran.get(owner);
        if (wrote !== undefined) return wrote.has(path.resolve(file));
        return existsSync(path.resolve(root, owner));
      });
      if (keep.length === existing.interactions.length + (existing.synchronous?.length ?? 0)) return;
      if (keep.length === 0) await fs.rm(file, { force: true });
      else await writeFileAtomic(file, serializeContract({ ...existing, metadata: {}, ...splitKinds(keep) }));
      changed.push(file);
    });
  }
  return changed;
}

/** One-way messages and request/reply interactions, as a contract holds them. */
function splitKinds(all: readonly AnyInteraction[]): { interactions: MessageInteraction[]; synchronous?: SyncMessageInteraction[] } {
  const interactions: MessageInteraction[] = [];
  const synchronous: SyncMessageInteraction[] = [];
  for (const i of all) {
    if (isSyncInteraction(i)) synchronous.push(i);
    else interactions.push(i);
  }
  return synchronous.length === 0 ? { interactions } : { interactions, synchronous };
}
