/**
 * `herald contract-test` end to end on real containers: a Kafka broker (herald/kafka) and the
 * orders provider image at 1.0.0 (good) and 1.1.0 (renames orderId), verified against shipping's
 * contract, through both entry points. Afterwards no container or network labelled
 * dev.herald.contract-test may be left.
 *
 * The deployments come from an in-process stub of the Pact Broker HAL API (environments,
 * integrations, currently deployed versions, pacts): Herald's own broker is not on main yet.
 * Needs the images: bash examples/contract-test/build-images.sh. Without Docker this fails, never skips.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
// Loaded here, not lazily inside a test: the core registers jest hooks when first imported.
import { KAFKA_CLIENTS } from 'herald/kafka';
import { run } from '../../src/cli/contract-test-command';
import type { CliIO } from '../../src/cli/io';

jest.setTimeout(300_000);

const PACT = readFileSync(path.join(__dirname, 'contracts/shipping-orders.json'), 'utf8');
const deployed: Record<string, string[]> = { orders: ['1.0.0'], shipping: ['8'] };

let server: Server;
let brokerUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    let body: unknown;
    if (url.pathname === '/environments') body = { _embedded: { environments: [{ uuid: 'prod-uuid', name: 'production' }] } };
    else if (url.pathname === '/integrations') body = { _embedded: { integrations: [{ consumer: { name: 'shipping' }, provider: { name: 'orders' } }] } };
    else if (url.pathname === '/environments/prod-uuid/deployed-versions/currently-deployed') {
      const name = url.searchParams.get('pacticipant') ?? '';
      body = { _embedded: { deployedVersions: (deployed[name] ?? []).map((number) => ({ _embedded: { pacticipant: { name }, version: { number } } })) } };
    } else if (/^\/pacts\/provider\/orders\/consumer\/shipping\/version\/[^/]+$/.test(url.pathname)) body = JSON.parse(PACT) as unknown;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/hal+json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  brokerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Containers and networks a contract-test run left behind (there must be none). */
function leftovers(): Promise<string> {
  const list = (args: string[]): Promise<string> => new Promise((resolve, reject) => execFile('docker', args, (error, stdout) => (error === null ? resolve(stdout.trim()) : reject(error))));
  return Promise.all([
    list(['ps', '-a', '--filter', 'label=dev.herald.contract-test', '--format', '{{.ID}} {{.Image}}']),
    list(['network', 'ls', '--filter', 'label=dev.herald.contract-test', '--format', '{{.ID}}']),
  ]).then((parts) => parts.filter((p) => p !== '').join('\n'));
}

const ROOT = path.resolve(__dirname, '../..');
const COMMON = ['--transport', 'kafka', '--triggers', 'examples/contract-test/triggers.ts', '--image', 'herald/orders:{version}', '--port', '18080', '--health-path', '/health', '--timeout', '15000'];

/** Runs the real CLI (bin/herald.js) from the repository root: it loads the TypeScript triggers module. */
function contractTest(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/herald.js'), 'contract-test', ...argv, '--broker', brokerUrl, ...COMMON],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ status: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** Runs the command in-process (for errors that happen before the triggers module is loaded). */
async function contractTestInProcess(...argv: string[]): Promise<number> {
  const io: CliIO = { stdout: () => undefined, stderr: () => undefined, env: process.env, cwd: ROOT };
  return run([...argv, '--broker', brokerUrl, ...COMMON], io);
}

describe('herald contract-test on real containers', () => {
  it.each(KAFKA_CLIENTS)('triggered by the provider, on the %s client: 1.0.0 passes the deployed consumer contracts, 1.1.0 fails on the renamed field', async (client) => {
    const good = await contractTest('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0', '--kafka-client', client);
    expect(good.stdout).toContain('orders 1.0.0 against shipping 8');
    expect(good.stderr).toBe('herald contract-test: starting orders 1.0.0 on kafka\n');
    expect(good.status).toBe(0);
    expect(await leftovers()).toBe('');

    const bad = await contractTest('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.1.0', '--kafka-client', client);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/orderId/);
    expect(await leftovers()).toBe('');
  });

  it('triggered by the consumer: its new contract against the provider version deployed in production', async () => {
    deployed['orders'] = ['1.1.0'];
    const bad = await contractTest('--triggered-by', 'consumer', '--pacticipant', 'shipping', '--version', '9');
    expect(bad.stdout).toContain('orders 1.1.0 against shipping 9');
    expect(bad.status).toBe(1);
    expect(await leftovers()).toBe('');
  });

  it('tears everything down when the provider never becomes healthy, and says what it waited for', async () => {
    deployed['orders'] = ['1.0.0'];
    await expect(contractTestInProcess('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0', '--health-log', 'never logged', '--health-timeout', '3000')).rejects.toThrow(
      /not healthy within 3000 ms: waited for a log line matching \/never logged\/[\s\S]*orders 1\.0\.0 listening on 18080/,
    );
    expect(await leftovers()).toBe('');
  });
});
