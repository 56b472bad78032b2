import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import path from 'node:path';
import { processStart, staleReason, withFileLock } from './file-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid no process has: above Linux's largest pid_max (2^22), so none can be alive. */
const deadPid = (): number => 4_194_304 + 1_000;
const aged = (file: string, content: string, ageMs = 60_000): void => {
  writeFileSync(file, content);
  const then = new Date(Date.now() - ageMs);
  utimesSync(file, then, then);
};
const lockOf = (pid: number, start: string | null): string => JSON.stringify({ pid, start, boot: null, host: hostname(), token: 'planted' });

describe('recovering abandoned locks', () => {
  it.each([
    ['an empty lock (killed between create and write)', (): string => ''],
    ['a garbage lock', (): string => '\u0000\u0000garbage'],
    ['a bare pid of a dead process (older Herald)', (): string => String(deadPid())],
    ['a lock of a dead process', (): string => lockOf(deadPid(), null)],
    ['a lock whose pid was reused by a live process', (): string => lockOf(process.pid, 'not-my-start-time')],
  ])('takes over %s at once', async (_what, content) => {
    const file = path.join(dir, 'pair.json');
    aged(`${file}.lock`, content());
    // Taken over, not waited out: a lock judged live would reject after the 5 s lock timeout.
    await expect(withFileLock(file, async () => 'ran', 5_000)).resolves.toBe('ran');
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('waits for a lock still being written, then takes it over once it is abandoned', async () => {
    const file = path.join(dir, 'pair.json');
    writeFileSync(`${file}.lock`, '');
    await expect(withFileLock(file, async () => 'ran', 10_000)).resolves.toBe('ran');
  });

  it('respects the lock of a live process (same pid, same start)', async () => {
    const file = path.join(dir, 'pair.json');
    aged(`${file}.lock`, lockOf(process.pid, processStart(process.pid)));
    await expect(withFileLock(file, async () => 'ran', 300)).rejects.toMatchObject({ code: 'HERALD_CONTRACT_WRITE_FAILED', message: expect.stringContaining(`process ${process.pid}`) });
  });

  it('judges staleness from the lock content', () => {
    const now = Date.now();
    expect(staleReason('', now, now)).toBeUndefined();
    expect(staleReason('', now - 5_000, now)).toMatch(/unreadable/);
    expect(staleReason(lockOf(process.pid, processStart(process.pid)), now - 3_600_000, now)).toBeUndefined();
    expect(staleReason(lockOf(process.pid, 'other'), now, now)).toMatch(/another process/);
  });
});
