/** Writes report files atomically: a temporary file beside the target, then rename. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HeraldError } from '../errors/herald-error';

/**
 * Writes `text` to `file` so that readers see the old file or the whole new one, never a part.
 * Creates missing parent directories. Throws HERALD_REPORT_WRITE_FAILED.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError('HERALD_REPORT_WRITE_FAILED', `Failed to write the report to ${file}: ${reason}. Check that the directory is writable, or pass another --output path.`, { cause: error });
  }
}
