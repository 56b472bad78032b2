import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import path from 'node:path';
import { processStart, staleReason, withFileLock } from './file-lock';
import { readExisting } from './store';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const writer = path.join(root, 'test/fixtures/lock/writer.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid as number;
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
    const started = Date.now();
    await expect(withFileLock(file, async () => 'ran', 5_000)).resolves.toBe('ran');
    expect(Date.now() - started).toBeLessThan(2_000);
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

describe('many processes writing one pair, some killed', () => {
  jest.setTimeout(180_000);

  const run = (args: string[]): { child: ChildProcess; oks: string[]; done: Promise<number | null> } => {
    const child = spawn(tsx, [writer, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const oks: string[] = [];
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ok ')) oks.push(line.slice(3));
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        if (code !== 0 && code !== null) process.stderr.write(stderr);
        resolve(code);
      }),
    );
    return { child, oks, done };
  };

  it('loses no interaction a writer reported written, and leaves a file that parses', async () => {
    const file = path.join(dir, 'race.json');
    // Planted: an abandoned lock (a bare pid, which older Herald versions also take over) that
    // every writer sees at once when it starts.
    aged(`${file}.lock`, String(deadPid()));
    const perWriter = 5;
    const writers = Array.from({ length: 8 }, (_, w) => run([file, `w${w}`, String(perWriter)]));
    // Killed mid-run: two writers are SIGKILLed after their second write, likely inside the next one.
    for (const victim of [writers[1], writers[5]]) {
      const timer = setInterval(() => {
        if (victim!.oks.length >= 2) {
          victim!.child.kill('SIGKILL');
          clearInterval(timer);
        }
      }, 1);
      void victim!.done.then(() => clearInterval(timer));
    }
    // Three writers die while holding the lock.
    const crashers = [0, 1, 2].map((c) => run([file, `c${c}`, '0', 'crash']));
    const codes = await Promise.all([...writers, ...crashers].map((w) => w.done));

    const survivors = writers.filter((_, w) => w !== 1 && w !== 5);
    expect(survivors.map((w) => codes[writers.indexOf(w)])).toEqual(survivors.map(() => 0));
    const contract = await readExisting(file);
    const written = new Set(contract?.interactions.map((i) => i.description));
    const reported = writers.flatMap((w) => w.oks);
    expect(reported.filter((d) => !written.has(d))).toEqual([]);
    expect(reported.length).toBeGreaterThanOrEqual(6 * perWriter);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toBeDefined();
  });
});
