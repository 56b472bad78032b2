/**
 * The README's broker workflow, run as written against a real Herald Broker on both storage modes
 * (embedded PGlite, and the native PostgreSQL at 127.0.0.1:5432): environments create → publish →
 * verify --broker --publish-results → can-i-deploy → record-deployment → can-i-deploy, then the
 * "no" answers: a failed verification, a verification that is missing, a provider not deployed.
 * Each command is parsed out of README.md's block, so the README cannot drift from what works.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startContractBroker, type StartedContractBroker } from 'herald/broker';
import { main } from '../cli/main';
import { openPostgres } from './storage/postgres';
// Loaded here, not first inside a test: it imports 'herald', whose module registers a jest hook.
import '../../examples/orders-provider/factories';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
/** The README's example paths, and the files of this repository that play their part. */
const README_PATHS: Readonly<Record<string, string>> = {
  'contracts/': path.join(ROOT, 'contracts'),
  'test/provider/factories.ts': path.join(ROOT, 'examples/orders-provider/factories.ts'),
};

/** The commands of README.md's broker workflow block, as argv lists (`herald` dropped). */
function readmeCommands(): string[][] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /workflow\.integration\.test\.ts runs this block[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no broker workflow block after the workflow.integration.test.ts marker');
  const create = /`herald (environments create [^`]+)`/.exec(readme)?.[1];
  if (create === undefined) throw new Error('README.md does not say how to create the environment');
  const lines = [create, ...block.replace(/\\\n\s*/g, '').split('\n')].filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return lines.map((line) => {
    const words = line.trim().match(/"[^"]*"|\S+/g) ?? [];
    return words.filter((w, i) => !(i === 0 && w === 'herald')).map((w) => w.replace(/^"(.*)"$/, '$1'));
  });
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Loads the factories file the command names (jest's module system stands in for the CLI's tsx loader, which needs a VM flag under jest). */
const importFile = (specifier: string): Promise<unknown> => import(path.resolve(ROOT, specifier));

async function herald(argv: readonly string[], env: Record<string, string>, importModule: (specifier: string) => Promise<unknown> = importFile): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, importModule });
  return { code, stdout, stderr };
}

const POSTGRES = process.env['HERALD_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const storages: [string, () => Promise<{ broker: StartedContractBroker; drop: () => Promise<void> }>][] = [
  ['embedded PGlite', async () => ({ broker: await startContractBroker({ writeToken: 'w' }), drop: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const admin = openPostgres(POSTGRES);
      const name = `herald_workflow_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(POSTGRES);
      url.pathname = `/${name}`;
      const broker = await startContractBroker({ writeToken: 'w', databaseUrl: url.toString() });
      return {
        broker,
        drop: async () => {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.close();
        },
      };
    },
  ],
];

describe.each(storages)('the README workflow on %s', (_storage, start) => {
  let broker: StartedContractBroker;
  let drop: () => Promise<void>;
  let scratch: string;
  const env = (sha: string): Record<string, string> => ({ HERALD_BROKER_URL: broker.url, HERALD_BROKER_TOKEN: 'w', GIT_SHA: sha, GIT_BRANCH: 'main' });
  /** A README command with its variables and example paths filled in. */
  const fill = (argv: readonly string[], vars: Record<string, string>): string[] => argv.map((word) => README_PATHS[word] ?? word.replace(/\$(\w+)/g, (whole, name: string) => vars[name] ?? whole));

  beforeAll(async () => {
    ({ broker, drop } = await start());
    scratch = mkdtempSync(path.join(os.tmpdir(), 'herald-workflow-'));
  });
  afterAll(async () => {
    await broker.close();
    await drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('publish → verify --publish-results → can-i-deploy → record-deployment → can-i-deploy, with the right answers and reasons', async () => {
    const [create, publish, verify, canIDeploy, recordDeployment, ...rest] = readmeCommands();
    expect(rest).toEqual([]);
    expect([create?.[0], publish?.[0], verify?.[0], canIDeploy?.[0], recordDeployment?.[0]]).toEqual(['environments', 'publish', 'verify', 'can-i-deploy', 'record-deployment']);
    expect(verify).toContain('--publish-results');

    expect((await herald(create ?? [], env(''))).code).toBe(0);

    // Consumer pipeline: publish shipping (and the other example consumers) at c1.
    const published = await herald(fill(publish ?? [], env('c1')), env('c1'));
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);

    // shipping cannot go first: orders, which it consumes from, is not in production yet.
    const first = await herald(['can-i-deploy', '--pacticipant', 'shipping', '--version', 'c1', '--to-environment', 'production'], env('c1'));
    expect(first.stdout).toContain('orders, which has no version in production yet');
    expect(first.code).toBe(1);

    // Provider pipeline: verify what the consumers' main branches expect, publish the results.
    const verified = await herald(fill(verify ?? [], env('p1')), env('p1'));
    expect(verified.stdout).toContain('Published the verification result of shipping → orders (success) for orders p1.');
    expect(verified.code).toBe(0);

    const providerFirst = await herald(fill(canIDeploy ?? [], env('p1')), env('p1'));
    expect(providerFirst.stdout).toContain('orders p1 can be deployed to production.');
    expect(providerFirst.code).toBe(0);
    const deployed = await herald(fill(recordDeployment ?? [], env('p1')), env('p1'));
    expect(deployed.code).toBe(0);

    const now = await herald(['can-i-deploy', '--pacticipant', 'shipping', '--version', 'c1', '--to-environment', 'production'], env('c1'));
    expect(now.stdout).toContain('shipping c1 can be deployed to production.');
    expect(now.stdout).toContain('All required verification results are published and successful');
    expect(now.code).toBe(0);
    expect((await herald(['record-deployment', '--pacticipant', 'shipping', '--version', 'c1', '--environment', 'production'], env('c1'))).code).toBe(0);
  });

  it('says no, naming the pair, when the provider version fails the verification of the consumer version in production', async () => {
    const [, , verify, canIDeploy] = readmeCommands();
    // orders p2: the README's verification of a provider version that stopped publishing OrderCancelled.
    const breaking = async (specifier: string): Promise<unknown> => {
      const real = ((await importFile(specifier)) as { default: { messages: Record<string, unknown> } }).default;
      return { default: { ...real, messages: { ...real.messages, 'an OrderCancelled event': () => Promise.reject(new Error('orders p2 no longer publishes OrderCancelled')) } } };
    };
    const failed = await herald(fill(verify ?? [], env('p2')), env('p2'), breaking);
    expect(failed.stdout).toContain('Published the verification result of shipping → orders (failure) for orders p2.');
    expect(failed.code).toBe(1);

    const no = await herald(fill(canIDeploy ?? [], env('p2')), env('p2'));
    expect(no.stdout).toContain('The verification of the pact between shipping c1 and orders p2 failed');
    expect(no.code).toBe(1);
  });

  it('says unknown (exit 1), naming the missing verification, for a consumer version whose pact changed', async () => {
    const changed = JSON.parse(readFileSync(path.join(ROOT, 'contracts/shipping-orders.json'), 'utf8')) as { metadata: Record<string, unknown> };
    changed.metadata['x-change'] = 'c2';
    const file = path.join(scratch, 'shipping-orders.json');
    writeFileSync(file, JSON.stringify(changed));
    expect((await herald(['publish', file, '--consumer-app-version', 'c2', '--branch', 'main'], env('c2'))).code).toBe(0);

    const unknown = await herald(['can-i-deploy', '--pacticipant', 'shipping', '--version', 'c2', '--to-environment', 'production', '--reporter', 'json'], env('c2'));
    const answer = JSON.parse(unknown.stdout) as { summary: { deployable: boolean | null; reason: string } };
    expect(answer.summary.deployable).toBeNull();
    expect(answer.summary.reason).toContain(
      "There is no verification yet of the pact between shipping c2 and orders p1: run the provider's verification and publish its results (herald verify --publish-results",
    );
    expect(unknown.code).toBe(1);
  });
});
