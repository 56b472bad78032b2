/**
 * A port that accepts connections and never answers: the real CLI exits 2 with
 * HERALD_TRANSPORT_CONNECT_FAILED within the connect timeout, and still writes its report
 * (silent-port.test.ts covers the transports in-process). No broker needed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSilentPort, type SilentPort } from './__fixtures__/silent-port';
import { KAFKA_CLIENTS, type KafkaClientName } from './client';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');

interface CliRun {
  readonly code: number;
  readonly stderr: string;
  /** Undefined when the CLI wrote none. */
  readonly report: { summary: { ok: boolean }; results: { status: string; error?: { code: string; message: string } }[] } | undefined;
}

let silent: SilentPort;
let port: number;
// Both clients' CLI runs wait out the same 12 s connect timeout, so they run side by side.
let runs: Map<KafkaClientName, CliRun>;

/** The CLI verifying the shipping contract against the silent port on `client`, with its JSON report. */
async function verifyOnSilentPort(client: KafkaClientName): Promise<CliRun> {
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
  const report = existsSync(output) ? (JSON.parse(readFileSync(output, 'utf8')) as CliRun['report']) : undefined;
  rmSync(dir, { recursive: true, force: true });
  return { ...run, report };
}

beforeAll(async () => {
  silent = await startSilentPort();
  ({ port } = silent);
  runs = new Map(await Promise.all(KAFKA_CLIENTS.map(async (client) => [client, await verifyOnSilentPort(client)] as const)));
});

afterAll(async () => {
  await silent.close();
});

it.each(KAFKA_CLIENTS)(
  'on the %s client, the CLI exits 2 with HERALD_TRANSPORT_CONNECT_FAILED within the default connect timeout (12 s), not after request timeouts, and still writes the report',
  (client) => {
    const run = runs.get(client);
    expect(run?.stderr).toMatch(new RegExp(`^Error HERALD_TRANSPORT_CONNECT_FAILED: Failed to connect: no Kafka broker answered at 127\\.0\\.0\\.1:${port}`));
    expect(run?.code).toBe(2);
    expect(run?.report?.summary.ok).toBe(false);
    expect(run?.report?.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_TRANSPORT_CONNECT_FAILED'],
      ['failed', 'HERALD_TRANSPORT_CONNECT_FAILED'],
    ]);
    expect(run?.report?.results[0]?.error?.message).toMatch(/^Not run: Failed to connect: no Kafka broker answered/);
  },
);
