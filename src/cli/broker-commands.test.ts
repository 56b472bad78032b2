/** herald publish, verify --broker, can-i-deploy, record-deployment / record-release and environments through `main`, against a recording stub broker. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaTopic } from '../contract/channel';
import { serializeContract } from '../contract/serialize';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import { provider } from '../verify/provider';
import { matrixAnswer, startStubBroker, type StartedStubBroker } from '../broker-client/__fixtures__/stub-broker';
import { CAN_I_DEPLOY_SUMMARY, CAN_I_DEPLOY_USAGE } from './can-i-deploy-command';
import { ENVIRONMENTS_SUMMARY, ENVIRONMENTS_USAGE } from './environments-command';
import { CREATE_WEBHOOK_SUMMARY, CREATE_WEBHOOK_USAGE } from './webhook-command';
import { COMMANDS, main } from './main';
import { PUBLISH_SUMMARY, PUBLISH_USAGE } from './publish-command';
import { RECORD_DEPLOYMENT_SUMMARY, RECORD_DEPLOYMENT_USAGE, RECORD_RELEASE_SUMMARY, RECORD_RELEASE_USAGE } from './record-command';

let root: string;
let dir: string;
let stub: StartedStubBroker;

function contractText(consumerName: string, providerName: string, description: string): string {
  const interaction = consumer(consumerName)
    .expectsFrom(providerName)
    .message(description)
    .on(kafkaTopic('orders.v1'))
    .withPayload({ orderId: m.string('o-1'), total: m.integer(3) })
    .toInteraction();
  return serializeContract({ consumer: consumerName, provider: providerName, interactions: [interaction], specVersion: '4.0', metadata: {} });
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'herald-broker-cli-'));
  dir = path.join(root, 'contracts');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'billing-orders.json'), contractText('billing', 'orders', 'an OrderCreated event'));
  writeFileSync(path.join(dir, 'billing-payments.json'), contractText('billing', 'payments', 'a PaymentDue event'));
  writeFileSync(path.join(dir, 'shipping-orders.json'), contractText('shipping', 'orders', 'an OrderCreated event'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(async () => {
  stub = await startStubBroker();
});
afterEach(() => stub.stop());

async function herald(argv: readonly string[], options: { env?: Record<string, string>; importModule?: () => Promise<unknown> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: options.env ?? { HERALD_BROKER_URL: stub.url },
    ...(options.importModule === undefined ? {} : { importModule: options.importModule }),
  });
  return { code, stdout, stderr };
}

const posts = (suffix: string): unknown[] => stub.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).map((r) => r.body);

describe('the broker commands in the command table', () => {
  it.each([
    ['publish', PUBLISH_SUMMARY, PUBLISH_USAGE],
    ['can-i-deploy', CAN_I_DEPLOY_SUMMARY, CAN_I_DEPLOY_USAGE],
    ['record-deployment', RECORD_DEPLOYMENT_SUMMARY, RECORD_DEPLOYMENT_USAGE],
    ['record-release', RECORD_RELEASE_SUMMARY, RECORD_RELEASE_USAGE],
    ['environments', ENVIRONMENTS_SUMMARY, ENVIRONMENTS_USAGE],
    ['create-webhook', CREATE_WEBHOOK_SUMMARY, CREATE_WEBHOOK_USAGE],
  ])('gives %s the summary and usage its module exports', (name, summary, usage) => {
    expect(COMMANDS[name]?.summary).toBe(summary);
    expect(COMMANDS[name]?.usage()).toBe(usage);
  });
});

describe('herald publish', () => {
  it('publishes every contract of a consumer in one request, byte for byte, and prints the notices', async () => {
    const run = await herald(['publish', dir, '--consumer-app-version', '1.2.3', '--branch', 'main', '--tag', 'rc', '--broker-token', 't0k'], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const bodies = posts('/contracts/publish') as {
      pacticipantName: string;
      pacticipantVersionNumber: string;
      branch: string;
      tags: string[];
      contracts: { consumerName: string; providerName: string; specification: string; contentType: string; content: string }[];
    }[];
    expect(bodies.map((b) => [b.pacticipantName, b.pacticipantVersionNumber, b.branch, b.tags, b.contracts.map((c) => c.providerName)])).toEqual([
      ['billing', '1.2.3', 'main', ['rc'], ['orders', 'payments']],
      ['shipping', '1.2.3', 'main', ['rc'], ['orders']],
    ]);
    const first = bodies[0]?.contracts[0];
    expect(first).toMatchObject({ consumerName: 'billing', specification: 'pact', contentType: 'application/json' });
    expect(Buffer.from(first?.content ?? '', 'base64').toString('utf8')).toBe(readFileSync(path.join(dir, 'billing-orders.json'), 'utf8'));
    expect(stub.requests.filter((r) => r.method === 'POST').every((r) => r.headers.authorization === 'Bearer t0k')).toBe(true);
    expect(run.stdout).toContain(`Published 2 contracts of billing 1.2.3 (branch main) to ${stub.url}: orders, payments`);
    expect(run.stdout).toContain('  Pact published for billing version 1.2.3 and provider payments.');
    expect(run.stdout).toContain('  warning: No enabled webhooks found for the detected events');
  });

  it('refuses an invalid contract before sending anything', async () => {
    const bad = path.join(root, 'bad.json');
    writeFileSync(bad, '{"consumer": {"name": "x"}');
    const run = await herald(['publish', bad, '--consumer-app-version', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HERALD_CONTRACT_JSON');
    expect(run.stderr).toContain('bad.json');
    expect(stub.requests).toHaveLength(0);
  });

  it('needs a version and a broker, and says how to give them', async () => {
    expect((await herald(['publish', dir])).stderr).toContain('Missing --consumer-app-version: give the consumer version the contracts belong to');
    const noBroker = await herald(['publish', dir, '--consumer-app-version', '1'], { env: {} });
    expect(noBroker.code).toBe(2);
    expect(noBroker.stderr).toContain('Missing the broker: pass --broker-url <url> or set HERALD_BROKER_URL');
  });

  it('turns a 401 into a message naming the URL and HERALD_BROKER_TOKEN (exit 2)', async () => {
    stub.override((r) => (r.method === 'POST' ? { status: 401, body: {} } : undefined));
    const run = await herald(['publish', dir, '--consumer-app-version', '1', '--branch', 'main']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Error HERALD_PACT_BROKER_AUTH_FAILED: Failed to publish contracts to ${stub.url}/contracts/publish: 401 Unauthorized. Set HERALD_BROKER_TOKEN`);
  });
});

describe('herald verify --broker', () => {
  const served = (consumerName: string): Record<string, unknown> => {
    const document = JSON.parse(contractText(consumerName, 'orders', 'an OrderCreated event')) as { interactions: Record<string, unknown>[] };
    document.interactions.forEach((interaction, i) => (interaction['_id'] = `${consumerName}-id-${i}`));
    return document;
  };
  const factories = (total: unknown) => async (): Promise<unknown> => ({ default: provider('orders', { messages: { 'an OrderCreated event': () => ({ orderId: 'o-9', total }) } }) });
  const verify = ['verify', '--broker', 'BROKER', '--provider', 'orders', '--provider-version', '2.0.0', '--provider-branch', 'main', '--factories', 'f.ts', '--allow-unchecked-channel'];
  const args = (...extra: string[]): string[] => [...verify.map((a) => (a === 'BROKER' ? stub.url : a)), ...extra];

  it('fetches the pacts by selectors, verifies them and publishes a result per pact with testResults by interaction _id', async () => {
    stub.pacts.set('billing', { document: served('billing'), pending: false });
    stub.pacts.set('shipping', { document: served('shipping'), pending: false });
    const run = await herald(args('--main-branch', '--deployed-or-released', '--publish-results'), { importModule: factories(7) });
    expect(run.code).toBe(0);
    const request = posts('/for-verification')[0];
    expect(request).toEqual({ consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }], providerVersionBranch: 'main', providerVersionTags: [], includePendingStatus: false });
    expect(run.stderr).toContain('Fetched 2 pacts for orders from');
    const results = posts('/verification-results');
    expect(results).toEqual([
      { success: true, providerApplicationVersion: '2.0.0', verifiedBy: { implementation: 'Herald', version: expect.any(String) }, testResults: [{ interactionId: 'billing-id-0', success: true }] },
      { success: true, providerApplicationVersion: '2.0.0', verifiedBy: { implementation: 'Herald', version: expect.any(String) }, testResults: [{ interactionId: 'shipping-id-0', success: true }] },
    ]);
    expect(stub.requests.some((r) => r.method === 'PUT' && r.path === '/pacticipants/orders/branches/main/versions/2.0.0')).toBe(true);
    expect(run.stdout).toContain('Published the verification result of billing → orders (success) for orders 2.0.0.');
  });

  it('publishes a failure with the mismatches and exits 1', async () => {
    stub.pacts.set('billing', { document: served('billing'), pending: false });
    const run = await herald(args('--publish-verification-results'), { importModule: factories('three') });
    expect(run.code).toBe(1);
    const [result] = posts('/verification-results') as {
      success: boolean;
      testResults: { interactionId: string; success: boolean; mismatches: { attribute: string; identifier: string; description: string }[] }[];
    }[];
    expect(result?.success).toBe(false);
    expect(result?.testResults[0]).toMatchObject({ interactionId: 'billing-id-0', success: false, mismatches: [{ attribute: 'body', identifier: '$.total' }] });
  });

  it('takes --branch for --provider-branch and --publish-verification-results for --publish-results', async () => {
    stub.pacts.set('billing', { document: served('billing'), pending: false });
    const argv = args('--publish-verification-results').filter((a, i, all) => a !== '--provider-branch' && all[i - 1] !== '--provider-branch');
    const run = await herald([...argv, '--branch', 'feat-x'], { importModule: factories(7) });
    expect(run.code).toBe(0);
    expect(posts('/for-verification')[0]).toMatchObject({ providerVersionBranch: 'feat-x' });
    expect(posts('/verification-results')).toHaveLength(1);
    expect(stub.requests.some((r) => r.method === 'PUT' && r.path === '/pacticipants/orders/branches/feat-x/versions/2.0.0')).toBe(true);
    const clash = await herald(args('--branch', 'other'), { importModule: factories(7) });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('--provider-branch "main" and --branch "other" name different branches');
  });

  it('reports a failing pending pact without failing the run (--enable-pending)', async () => {
    stub.pacts.set('billing', { document: served('billing'), pending: true });
    const run = await herald(args('--enable-pending', '--include-wip-pacts-since', '2026-01-01'), { importModule: factories('three') });
    expect(posts('/for-verification')[0]).toMatchObject({ includePendingStatus: true, includeWipPactsSince: '2026-01-01' });
    expect(run.stderr).toContain('(pending: its failures are reported but do not fail the run)');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pending');
  });

  it('fails a pending pact without --enable-pending', async () => {
    stub.pacts.set('billing', { document: served('billing'), pending: true });
    expect((await herald(args(), { importModule: factories('three') })).code).toBe(1);
  });

  it('exits 2 when the broker selects no pact, naming the selectors', async () => {
    const run = await herald(args('--consumer-version-selectors', '[{"branch":"feat-x"}]'), { importModule: factories(7) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HERALD_NOTHING_TO_VERIFY: Failed to verify: ${stub.url} has no pact for orders matching the consumer version selectors [{"branch":"feat-x"}]`);
  });

  it('rejects broker options without --broker and bad selectors', async () => {
    expect((await herald(['verify', '--contracts', dir, '--factories', 'f.ts', '--enable-pending'], { env: {} })).stderr).toContain(
      '--enable-pending applies to contracts from a broker: add --broker <url>',
    );
    expect((await herald(args('--consumer-version-selectors', '[{"mainBrnch":true}]'))).stderr).toContain('selector 0 has unknown key "mainBrnch"');
    expect((await herald(['verify', '--broker', stub.url, '--provider', 'orders', '--factories', 'f.ts'])).stderr).toContain('Missing --provider-version');
  });
});

describe('herald can-i-deploy', () => {
  it('asks the matrix for the version and environment, prints the table and reason, exits 0 when deployable', async () => {
    stub.matrix = [matrixAnswer(true, 'All required verification results are published and successful', [{ consumer: 'billing', cv: '1.2.3', provider: 'orders', pv: '2.0.0', success: true }])];
    const run = await herald(['can-i-deploy', '--pacticipant', 'billing', '--version', '1.2.3', '--to-environment', 'production']);
    expect(run.code).toBe(0);
    const query = stub.requests.find((r) => r.path.startsWith('/matrix'))?.path ?? '';
    expect(new URLSearchParams(query.split('?')[1]).toString()).toBe('q%5B%5D%5Bpacticipant%5D=billing&q%5B%5D%5Bversion%5D=1.2.3&latestby=cvp&environment=production');
    expect(run.stdout).toContain('CONSUMER | C.VERSION | PROVIDER | P.VERSION | SUCCESS?');
    expect(run.stdout).toContain('billing  | 1.2.3     | orders   | 2.0.0     | true');
    expect(run.stdout).toContain('billing 1.2.3 can be deployed to production.');
    expect(run.stdout).toContain('Reason: All required verification results are published and successful');
  });

  it('exits 1 when not deployable', async () => {
    stub.matrix = [
      matrixAnswer(false, 'The verification for the pact between billing 1.2.3 and orders 2.0.0 failed', [{ consumer: 'billing', cv: '1.2.3', provider: 'orders', pv: '2.0.0', success: false }]),
    ];
    const run = await herald(['can-i-deploy', '--pacticipant', 'billing', '--version', '1.2.3']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('cannot be deployed');
    expect(run.stdout).toContain('Reason: The verification for the pact between billing 1.2.3 and orders 2.0.0 failed');
  });

  it('asks again while unknown, then answers', async () => {
    stub.matrix = [matrixAnswer(null, 'There is no verified pact between billing 1.2.3 and orders', [{ consumer: 'billing', cv: '1.2.3', provider: 'orders' }]), matrixAnswer(true, 'All verified')];
    const run = await herald(['can-i-deploy', '--pacticipant', 'billing', '--version', '1.2.3', '--retry-while-unknown', '3', '--retry-interval', '0', '--reporter', 'json']);
    expect(run.code).toBe(0);
    expect(stub.requests.filter((r) => r.path.startsWith('/matrix'))).toHaveLength(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ summary: { deployable: true, reason: 'All verified' } });
  });

  it('exits 1 while still unknown after the retries', async () => {
    stub.matrix = [matrixAnswer(null, 'There is no verified pact between billing 1.2.3 and orders', [{ consumer: 'billing', cv: '1.2.3', provider: 'orders' }])];
    const run = await herald(['can-i-deploy', '-a', 'billing', '-e', '1.2.3', '--retry-while-unknown', '1', '--retry-interval', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('billing  | 1.2.3     | orders   | ???       | ???');
    expect(run.stdout).toContain('is unknown after 2 attempts');
  });
});

describe('herald record-deployment / record-release / environments', () => {
  it('follows the version resource to the environment named and records the deployment', async () => {
    const run = await herald(['record-deployment', '--pacticipant', 'billing', '--version', '1.2.3', '--environment', 'production', '--application-instance', 'eu']);
    expect(run.code).toBe(0);
    expect(stub.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body])).toEqual([
      ['/pacticipants/billing/versions/1.2.3/deployed-versions/environment/u-prod', { applicationInstance: 'eu' }],
    ]);
    expect(run.stdout).toBe(`Recorded deployment of billing 1.2.3 to production on ${stub.url}.\n`);
  });

  it('records a release, and names the known environments when one is unknown', async () => {
    expect((await herald(['record-release', '-a', 'billing', '-e', '1.2.3', '--environment', 'test'])).code).toBe(0);
    expect(stub.requests.some((r) => r.method === 'POST' && r.path === '/pacticipants/billing/versions/1.2.3/released-versions/environment/u-test')).toBe(true);
    const unknown = await herald(['record-deployment', '-a', 'billing', '-e', '1.2.3', '--environment', 'staging']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the broker has no environment named "staging" (it has production, test). Create it first: herald environments create --name staging');
  });

  it('lists and creates environments', async () => {
    expect((await herald(['environments'])).stdout).toBe('production (production)  Production\ntest  Test\n');
    const created = await herald(['environments', 'create', '--name', 'staging', '--production']);
    expect(created.code).toBe(0);
    expect(posts('/environments')).toEqual([{ name: 'staging', displayName: 'staging', production: true }]);
  });
});
