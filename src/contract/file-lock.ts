/**
 * Cross-process exclusive lock on a contract file (`<file>.lock`), and atomic replacement (write a
 * temporary file in the same directory, fsync, rename). Jest workers writing the same
 * consumer–provider pair take turns; a reader never sees a half-written file.
 *
 * The lock file is created complete: its content is written to a temporary file that is then
 * hard-linked to `<file>.lock` (link fails if the lock exists), so no lock is ever empty. Content:
 *   {"pid":…,"start":"<process start, /proc>","boot":"<boot id>","host":"…","token":"<random>"}
 * A lock is stale when its owner is gone: pid dead, or pid alive but started at another time (a
 * reused pid), or from another boot. A lock Herald cannot read (empty, garbage, another tool's)
 * is stale once older than a short grace period; a bare pid (older Herald) when that pid is dead.
 *
 * Taking over a stale lock is atomic: a writer first claims that very lock by creating
 * `.<lock>.<identity>.claim` exclusively, then checks the lock is still the one it judged stale,
 * and only then removes it. Two writers can never remove each other's live lock: the lock named by
 * the path can only change when its owner releases it or its unique claimant removes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { HeraldError } from '../errors/herald-error';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a lock Herald cannot read may be in the making before it counts as abandoned. */
export const UNREADABLE_LOCK_GRACE_MS = 2_000;
/** A lock from another host (shared disk) cannot be probed: it is abandoned after this long. */
const FOREIGN_HOST_LOCK_MS = 10 * 60_000;
/** Claims on claims: only a kill inside a takeover leaves one behind. */
const MAX_CLAIM_DEPTH = 3;

interface Owner {
  readonly pid: number;
  readonly start: string | null;
  readonly boot: string | null;
  readonly host: string;
  readonly token: string;
}

/** Process start time in clock ticks since boot (Linux); null where /proc is not available. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

let bootId: string | null | undefined;
function currentBoot(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerContent(token: string): string {
  const owner: Owner = { pid: process.pid, start: processStart(process.pid), boot: currentBoot(), host: hostname(), token };
  return JSON.stringify(owner);
}

function readOwner(content: string): Owner | undefined {
  try {
    const o = JSON.parse(content) as Partial<Owner> | null;
    if (o === null || typeof o !== 'object' || !Number.isSafeInteger(o.pid) || typeof o.token !== 'string' || typeof o.host !== 'string') return undefined;
    return { pid: o.pid as number, start: typeof o.start === 'string' ? o.start : null, boot: typeof o.boot === 'string' ? o.boot : null, host: o.host, token: o.token };
  } catch {
    return undefined;
  }
}

interface Seen {
  readonly content: string;
  readonly ino: bigint;
  readonly mtimeMs: number;
}

/** The lock file as it is now, or undefined when there is none. */
async function inspect(file: string): Promise<Seen | undefined> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const stat = await handle.stat({ bigint: true });
      const content = await handle.readFile('utf8');
      return { content, ino: stat.ino, mtimeMs: Number(stat.mtimeMs) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const sameLock = (a: Seen, b: Seen): boolean => a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.content === b.content;

/** Why a lock no longer protects anything, or undefined while its owner may still be working. */
export function staleReason(content: string, mtimeMs: number, now = Date.now()): string | undefined {
  const age = now - mtimeMs;
  const owner = readOwner(content);
  if (owner === undefined) {
    const legacyPid = /^\s*(\d+)\s*$/.exec(content);
    if (legacyPid !== null && Number(legacyPid[1]) > 0) return processAlive(Number(legacyPid[1])) ? undefined : `process ${legacyPid[1]} is gone`;
    return age > UNREADABLE_LOCK_GRACE_MS ? `it is unreadable and ${Math.round(age)} ms old` : undefined;
  }
  if (owner.host !== hostname()) return age > FOREIGN_HOST_LOCK_MS ? `it was taken on ${owner.host} ${Math.round(age / 1000)} s ago` : undefined;
  const boot = currentBoot();
  if (owner.boot !== null && boot !== null && owner.boot !== boot) return 'it was taken before the machine restarted';
  if (!processAlive(owner.pid)) return `process ${owner.pid} is gone`;
  const start = processStart(owner.pid);
  if (owner.start !== null && start !== null && owner.start !== start) return `process ${owner.pid} is another process than the one that took it`;
  return undefined;
}

/** Creates `file` holding `content` only if it does not exist; the file is never seen partly written. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.writeFile(temp, content, { flag: 'wx' });
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    // No hard links on this file system: exclusive create, then write (an empty lock is judged by age).
    try {
      await fs.writeFile(file, content, { flag: 'wx' });
      return true;
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
}

const claimPath = (file: string, seen: Seen): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${createHash('sha256').update(`${seen.ino}:${seen.mtimeMs}:${seen.content}`).digest('hex').slice(0, 16)}.claim`);

/**
 * Removes `file` if it is a stale lock, atomically: only the writer that claims this very lock
 * removes it, after checking it is still there. A claim left by a killed claimant is itself a
 * stale lock, taken over the same way.
 */
async function removeIfStale(file: string, depth = 0): Promise<void> {
  const seen = await inspect(file);
  if (seen === undefined || staleReason(seen.content, seen.mtimeMs) === undefined) return;
  const claim = claimPath(file, seen);
  if (!(await createExclusive(claim, ownerContent(randomBytes(8).toString('hex'))))) {
    if (depth < MAX_CLAIM_DEPTH) await removeIfStale(claim, depth + 1);
    return;
  }
  try {
    const now = await inspect(file);
    if (now !== undefined && sameLock(now, seen)) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(claim, { force: true });
  }
}

function holderOf(content: string | undefined): string {
  if (content === undefined) return 'another process';
  const owner = readOwner(content);
  if (owner !== undefined) return `process ${owner.pid} on ${owner.host}`;
  return /^\s*\d+\s*$/.test(content) ? `process ${content.trim()}` : 'another process';
}

/** Runs `fn` while holding the lock on `file`. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const lockFile = `${file}.lock`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  const token = randomBytes(12).toString('hex');
  const content = ownerContent(token);
  let delay = 2;
  for (;;) {
    try {
      if (await createExclusive(lockFile, content)) break;
      if (Date.now() > deadline) {
        const held = await inspect(lockFile).catch(() => undefined);
        throw new HeraldError(
          'HERALD_CONTRACT_WRITE_FAILED',
          `Failed to lock ${file} within ${timeoutMs} ms: ${lockFile} is held by ${holderOf(held?.content)}. Remove it only if no test run is active.`,
          { contractFile: file },
        );
      }
      await removeIfStale(lockFile);
    } catch (error) {
      if (error instanceof HeraldError) throw error;
      throw new HeraldError('HERALD_CONTRACT_WRITE_FAILED', `Failed to lock ${file}: ${(error as Error).message}. Check that the contracts directory is writable.`, {
        contractFile: file,
        cause: error,
      });
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await fn();
  } finally {
    // Remove only our own lock (it cannot have been taken over while we are alive, but be sure).
    const held = await inspect(lockFile).catch(() => undefined);
    if (held !== undefined && held.content === content) await fs.rm(lockFile, { force: true });
  }
}

/** Replaces `file` with `text` atomically. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new HeraldError('HERALD_CONTRACT_WRITE_FAILED', `Failed to write ${file}: ${(error as Error).message}. Check that the contracts directory is writable.`, {
      contractFile: file,
      cause: error,
    });
  }
}
