/**
 * Progress of a factories run (issue 11: 120 interactions printed nothing for 12 s): periodic lines
 * on stderr when it is not a terminal (CI), one line redrawn in place on a terminal (a pseudo-TTY
 * through `script`). The factories busy-wait, so the event loop never gets a turn during the run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, herald, ROOT } from './run-cli';

jest.setTimeout(120_000);

const COUNT = 20;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'herald-progress-'));
  const interactions = Array.from({ length: COUNT }, (_, i) => ({
    type: 'Asynchronous/Messages',
    description: `an event ${i}`,
    contents: { content: { n: i }, contentType: 'application/json', encoded: false },
    metadata: { contentType: 'application/json' },
  }));
  writeFileSync(path.join(dir, 'shop-orders.json'), JSON.stringify({ consumer: { name: 'shop' }, provider: { name: 'orders' }, interactions, metadata: { pactSpecification: { version: '4.0' } } }));
  writeFileSync(
    path.join(dir, 'slow.factories.cjs'),
    `// Each factory blocks for 40 ms: no timer can fire while the run lasts.
const block = () => { const end = Date.now() + 40; while (Date.now() < end); };
const messages = {};
for (let i = 0; i < ${COUNT}; i++) messages['an event ' + i] = () => { block(); return { n: i }; };
module.exports = { name: 'orders', messages };
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (): string[] => ['verify', '--contracts', path.join(dir, 'shop-orders.json'), '--factories', path.join(dir, 'slow.factories.cjs')];
const PROGRESS = new RegExp(`^herald: \\d+/${COUNT} interactions done \\(\\d+ passed, 0 failed\\) in \\d+ s(; now "an event \\d+" \\(shop\\), for \\d+ s|; cleaning up)?$`);

describe('progress of a factories run', () => {
  it('prints periodic plain lines on stderr when it is not a terminal', async () => {
    const run = await herald(args(), { HERALD_PROGRESS_INTERVAL_MS: '100' });
    expect(run.code).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(PROGRESS);
    expect(run.stderr).not.toContain('\r');
    expect(run.stdout).toContain(`✓ shop → orders  ${COUNT} passed`);
  });

  it('prints nothing with --quiet or HERALD_PROGRESS_INTERVAL_MS=0', async () => {
    const quiet = await herald([...args(), '--quiet'], { HERALD_PROGRESS_INTERVAL_MS: '100' });
    const off = await herald(args(), { HERALD_PROGRESS_INTERVAL_MS: '0' });
    expect([quiet.code, quiet.stderr, off.code, off.stderr]).toEqual([0, '', 0, '']);
  });

  it('redraws one line in place on a terminal and erases it before the results', async () => {
    const command = [process.execPath, BIN, ...args()].map((a) => `'${a}'`).join(' ');
    const output = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, HERALD_PROGRESS_INTERVAL_MS: '500', NO_COLOR: '1' }, timeout: 90_000 }, (error, stdout) =>
        error === null ? resolve(stdout) : reject(new Error(`script exited ${String(error.code)}: ${stdout}`, { cause: error })),
      );
    });
    // Shown after 100 ms (500 / 5), redrawn at most every 100 ms as interactions finish, erased before the results.
    const segments = output.split('\r\u001b[K');
    const redraws = segments.slice(1, -1);
    expect(redraws.length).toBeGreaterThanOrEqual(2);
    for (const line of redraws) expect(line).toMatch(PROGRESS);
    expect(segments.at(-1)).not.toContain('herald:');
    expect(output).toContain(`✓ shop → orders  ${COUNT} passed`);
    expect(output.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed/);
  });
});
