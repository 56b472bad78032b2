/**
 * `herald contract-test` end to end, through the CLI, on real containers and Herald's own broker:
 * `herald broker` (embedded PGlite in a temporary directory) holds shipping's contracts and the
 * deployments; each run starts a Kafka broker (herald/kafka), the orders provider's order store
 * (herald/orders-store) and the orders image at the version under test on one Docker network,
 * verifies, publishes the results, and tears everything down. can-i-deploy then follows the
 * published results. After every outcome (passed, failed, health timeout, provider exit, start error) no
 * container or network labelled dev.herald.contract-test may be left.
 *
 * Needs the images: bash examples/contract-test/build-images.sh. Without Docker this fails, never skips.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '../..');
const HERALD = path.join(ROOT, 'bin/herald.js');
const PACT = readFileSync(path.join(__dirname, 'contracts/shipping-orders.json'), 'utf8');
const COMMON = [
  '--transport',
  'kafka',
  '--triggers',
  'examples/contract-test/triggers.ts',
  '--image',
  'herald/orders:{version}',
  '--dependency',
  'store:7070=herald/orders-store:1.0.0',
  '--port',
  '8080',
  '--health-path',
  '/health',
  '--timeout',
  '20000',
  '--publish-results',
];

let dir: string;
let broker: ChildProcess;
let brokerUrl: string;

interface Outcome {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI from the repository root (it loads the TypeScript triggers module). */
function herald(...argv: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [HERALD, ...argv],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', HERALD_BROKER_URL: brokerUrl }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ status: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** A CLI step that must succeed (publish, record-deployment…). */
async function ok(...argv: string[]): Promise<string> {
  const outcome = await herald(...argv);
  if (outcome.status !== 0) throw new Error(`herald ${argv.join(' ')} exited ${outcome.status}:\n${outcome.stdout}${outcome.stderr}`);
  return outcome.stdout;
}

/**
 * Containers and networks the runs of one contract-test call left behind (there must be none):
 * those labelled with the run ids it printed (other suites on this machine may be running theirs).
 */
async function leftovers(outcome: Outcome): Promise<string> {
  const runs = [...outcome.stderr.matchAll(/\(run (ct-[0-9a-f]+)\)/g)].map((m) => m[1] as string);
  if (runs.length === 0) return `no run id in stderr: ${outcome.stderr}`;
  const list = (args: string[]): Promise<string> => new Promise((resolve, reject) => execFile('docker', args, (error, stdout) => (error === null ? resolve(stdout.trim()) : reject(error))));
  const left: string[] = [];
  for (const run of runs) {
    const label = `label=dev.herald.contract-test=${run}`;
    left.push(await list(['ps', '-a', '--filter', label, '--format', '{{.ID}} {{.Image}}']), await list(['network', 'ls', '--filter', label, '--format', '{{.ID}} {{.Name}}']));
  }
  return left.filter((p) => p !== '').join('\n');
}

/** Publishes shipping's contract at `version`; `field` renames the field it requires. */
async function publishShipping(version: string, field = 'orderId'): Promise<void> {
  const file = path.join(dir, `shipping-orders-${version}.json`);
  writeFileSync(file, PACT.replaceAll('"orderId"', `"${field}"`).replaceAll('$.orderId', `$.${field}`));
  await ok('publish', file, '--consumer-app-version', version, '--branch', 'main');
}

const contractTest = (...argv: string[]): Promise<Outcome> => herald('contract-test', ...argv, ...COMMON);
const canIDeploy = (pacticipant: string, version: string): Promise<Outcome> => herald('can-i-deploy', '--pacticipant', pacticipant, '--version', version, '--to-environment', 'production');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-contract-test-'));
  broker = spawn(process.execPath, [HERALD, 'broker', '--port', '0', '--data', path.join(dir, 'broker')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  brokerUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    broker.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match !== null) resolve(match[1] as string);
    });
    broker.once('exit', (code) => reject(new Error(`herald broker exited ${code ?? '?'}: ${out}`)));
  });
  await ok('environments', 'create', '--name', 'production', '--production');
  await publishShipping('8');
  await ok('record-deployment', '--pacticipant', 'shipping', '--version', '8', '--environment', 'production');
});

afterAll(async () => {
  if (broker.exitCode === null) {
    const exited = new Promise((resolve) => broker.once('exit', resolve));
    broker.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('herald contract-test on real containers and the Herald broker', () => {
  it('triggered by the provider: 1.0.0 satisfies the deployed shipping 8 and can be deployed; 1.1.0 breaks it and cannot', async () => {
    const good = await contractTest('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0');
    expect(good.stdout).toContain('orders 1.0.0 against shipping 8');
    expect(good.stdout).toContain('Published the verification result of shipping → orders (success) for orders 1.0.0.');
    expect(good.stderr).toMatch(/^herald contract-test: starting orders 1\.0\.0 on kafka \(run ct-[0-9a-f]{8}\)\n$/);
    expect(good.status).toBe(0);
    expect(await leftovers(good)).toBe('');
    expect((await canIDeploy('orders', '1.0.0')).status).toBe(0);
    await ok('record-deployment', '--pacticipant', 'orders', '--version', '1.0.0', '--environment', 'production');

    const bad = await contractTest('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.1.0');
    expect(bad.stdout).toContain('orders 1.1.0 against shipping 8');
    expect(bad.stdout).toMatch(/orderId/);
    expect(bad.stdout).toContain('Published the verification result of shipping → orders (failure) for orders 1.1.0.');
    expect(bad.status).toBe(1);
    expect(await leftovers(bad)).toBe('');
    const no = await canIDeploy('orders', '1.1.0');
    expect(no.status).toBe(1);
    expect(no.stdout).toMatch(/shipping \| 8 +\| orders +\| 1\.1\.0 +\| false/);
    expect(no.stdout).toContain('Reason: The verification of the pact between shipping 8 and orders 1.1.0 failed');
  });

  // On @platformatic/kafka, so the example runs on both Kafka clients (the provider-triggered runs use kafkajs, the default).
  it('triggered by the consumer: each new shipping contract against the orders version deployed in production (platformatic client)', async () => {
    await publishShipping('9');
    const good = await contractTest('--triggered-by', 'consumer', '--pacticipant', 'shipping', '--version', '9', '--kafka-client', 'platformatic');
    expect(good.stdout).toContain('orders 1.0.0 against shipping 9');
    expect(good.status).toBe(0);
    expect(await leftovers(good)).toBe('');
    expect((await canIDeploy('shipping', '9')).status).toBe(0);

    // shipping 10 reads `id`, which only orders 1.1.0 sends: production's 1.0.0 breaks it.
    await publishShipping('10', 'id');
    const bad = await contractTest('--triggered-by', 'consumer', '--pacticipant', 'shipping', '--version', '10', '--kafka-client', 'platformatic');
    expect(bad.stdout).toContain('orders 1.0.0 against shipping 10');
    expect(bad.stdout).toMatch(/\bid\b/);
    expect(bad.status).toBe(1);
    expect(await leftovers(bad)).toBe('');
    const no = await canIDeploy('shipping', '10');
    expect(no.status).toBe(1);
    expect(no.stdout).toMatch(/shipping \| 10 +\| orders +\| 1\.0\.0 +\| false/);
    expect(no.stdout).toContain('Reason: The verification of the pact between shipping 10 and orders 1.0.0 failed');
  });

  it('tears everything down when the provider never becomes healthy, and says what it waited for', async () => {
    const outcome = await contractTest('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0', '--health-log', 'never logged', '--health-timeout', '3000');
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toMatch(/HERALD_PROVIDER_UNHEALTHY[\s\S]*not healthy within 3000 ms: waited for a log line matching \/never logged\/[\s\S]*orders 1\.0\.0 listening on 8080/);
    expect(await leftovers(outcome)).toBe('');
  });

  it('fails at once, and tears down, when the provider container exits before it is healthy', async () => {
    // The base image's shell exits at once; the health wait (60 s) must not run out first.
    const outcome = await herald(
      'contract-test',
      ...['--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0', '--transport', 'kafka', '--triggers', 'examples/contract-test/triggers.ts'],
      ...['--image', 'herald/debian-base:bookworm', '--health-log', 'ready', '--health-timeout', '60000'],
    );
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toMatch(/HERALD_PROVIDER_START_FAILED[\s\S]*exited before it was healthy \(waited for a log line matching \/ready\/\)/);
    expect(await leftovers(outcome)).toBe('');
  });

  it('tears everything down when a dependency cannot start, the failed container included', async () => {
    // The base image's shell exits at once: port 9000 is never bound.
    const outcome = await contractTest('--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0', '--dependency', 'ledger:9000=herald/debian-base:bookworm');
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toMatch(/HERALD_PROVIDER_START_FAILED[\s\S]*dependency ledger \(image herald\/debian-base:bookworm\)/);
    expect(await leftovers(outcome)).toBe('');
  });
});
