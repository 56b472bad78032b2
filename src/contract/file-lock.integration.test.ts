/**
 * Many writer processes (test/fixtures/lock/writer.ts under tsx) on one contract pair, some killed
 * mid-write or while holding the lock: no reported interaction is lost (file-lock.test.ts covers
 * the lock logic in-process).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readExisting } from './store';

const root = path.resolve(__dirname, '../..');
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

describe('many processes writing one pair, some killed', () => {
  jest.setTimeout(180_000);

  const run = (args: string[]): { child: ChildProcess; oks: string[]; done: Promise<number | null> } => {
    // The writer itself, with tsx as a loader: tsx's CLI would run it in a child process, which a
    // SIGKILL of the CLI leaves running (and printing) after the test reads the file.
    const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      // 'close': the process exited and all its output was read.
      child.on('close', (code) => {
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
