/**
 * Cross-process exclusive lock on a contract file (`<file>.lock`, created with O_EXCL), and
 * atomic replacement (write a temporary file in the same directory, fsync, rename). Jest workers
 * writing the same consumer–provider pair take turns; a reader never sees a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HeraldError } from '../errors/herald-error';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a lock whose owner process is gone (a crashed worker), so runs never wedge. */
async function removeIfStale(lockFile: string): Promise<void> {
  try {
    const pid = Number((await fs.readFile(lockFile, 'utf8')).trim());
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await fs.rm(lockFile, { force: true });
  } catch {
    // The lock vanished between our attempts: fine, try again.
  }
}

/** Runs `fn` while holding the lock on `file`. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const lockFile = `${file}.lock`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new HeraldError('HERALD_CONTRACT_WRITE_FAILED', `Failed to lock ${file}: ${(error as Error).message}. Check that the contracts directory is writable.`, { contractFile: file, cause: error });
      }
      if (Date.now() > deadline) {
        throw new HeraldError('HERALD_CONTRACT_WRITE_FAILED', `Failed to lock ${file} within ${timeoutMs} ms: ${lockFile} is held by another process. Remove it only if no test run is active.`, { contractFile: file });
      }
      await removeIfStale(lockFile);
      await sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockFile, { force: true });
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
    throw new HeraldError('HERALD_CONTRACT_WRITE_FAILED', `Failed to write ${file}: ${(error as Error).message}. Check that the contracts directory is writable.`, { contractFile: file, cause: error });
  }
}
