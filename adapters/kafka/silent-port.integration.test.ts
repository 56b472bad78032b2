/**
 * A port that accepts connections and never answers: the real CLI exits 2 with
 * HERALD_TRANSPORT_CONNECT_FAILED within the connect timeout, and still writes its report
 * (silent-port.test.ts covers the transports in-process). No broker needed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSilentPort, type SilentPort } from './__fixtures__/silent-port';
import { KAFKA_CLIENTS } from './client';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');
let silent: SilentPort;
let port: number;

beforeAll(async () => {
  silent = await startSilentPort();
  ({ port } = silent);
});

afterAll(async () => {
  await silent.close();
});

it.each(KAFKA_CLIENTS)(
  'on the %s client, the CLI exits 2 with HERALD_TRANSPORT_CONNECT_FAILED within the default connect timeout (12 s), not after request timeouts, and still writes the report',
  async (client) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-silent-'));
    const output = path.join(dir, 'report.json');
    const run = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          path.join(ROOT, 'bin/herald.js'),
          'verify',
          '-c',
          'contracts/shipping-orders.json',
          '--transport',
          'kafka',
          '--kafka-client',
          client,
          '--brokers',
          `127.0.0.1:${port}`,
          '--triggers',
          'examples/orders-provider/triggers.ts',
          '--reporter',
          'json',
          '--output',
          output,
        ],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 50_000 },
        (error, _stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') reject(error);
          else resolve({ code: error === null ? 0 : Number(error.code), stderr });
        },
      );
    });
    expect(run.stderr).toMatch(new RegExp(`^Error HERALD_TRANSPORT_CONNECT_FAILED: Failed to connect: no Kafka broker answered at 127\\.0\\.0\\.1:${port}`));
    expect(run.code).toBe(2);
    const report = JSON.parse(readFileSync(output, 'utf8')) as { summary: { ok: boolean }; results: { status: string; error?: { code: string; message: string } }[] };
    rmSync(dir, { recursive: true, force: true });
    expect(report.summary.ok).toBe(false);
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_TRANSPORT_CONNECT_FAILED'],
      ['failed', 'HERALD_TRANSPORT_CONNECT_FAILED'],
    ]);
    expect(report.results[0]?.error?.message).toMatch(/^Not run: Failed to connect: no Kafka broker answered/);
  },
);
