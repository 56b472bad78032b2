/**
 * verifyProviderInJest with a broker source, run by real jest (a throw-away project) against a
 * real Herald Broker: the pacts come from the broker by selectors, each interaction is a jest test,
 * results are published per pact, and the matrix and pending rules see them.
 */
import { startContractBroker, type StartedContractBroker } from 'herald/broker';
import { jestProject, type JestProject } from '../../test/unit/jest-project';
import { main } from '../cli/main';
import { kafkaTopic } from '../contract/channel';
import { serializeContract } from '../contract/serialize';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import { unique } from '../contract-broker/__fixtures__/pacts';

jest.setTimeout(240_000);

const TOKEN = 'jest-source-token';
let broker: StartedContractBroker;
let project: JestProject;
const [consumerName, providerName] = [unique('billing'), unique('orders')];

const PROVIDER_TEST = `import { provider } from 'herald';
import { verifyProviderInJest } from 'herald/jest';

const total = process.env['TOTAL'] === 'three' ? 'three' : 7;
verifyProviderInJest(provider(process.env['PROVIDER'] ?? '', { messages: { 'an OrderCreated event': () => ({ orderId: 'o-9', total }) } }), {
  allowUncheckedChannel: true,
  broker: {
    url: process.env['BROKER_URL'] ?? '',
    auth: { token: process.env['BROKER_TOKEN'] ?? '' },
    providerVersion: process.env['PROVIDER_VERSION'] ?? '',
    providerVersionBranch: 'main',
    consumerVersionSelectors: JSON.parse(process.env['SELECTORS'] ?? '[{"mainBranch":true}]'),
    enablePending: true,
    publishResults: true,
  },
});
`;

beforeAll(async () => {
  broker = await startContractBroker({ writeToken: TOKEN });
  project = jestProject('broker-source');
  project.write('tests/orders.provider.test.ts', PROVIDER_TEST);
  const interaction = consumer(consumerName)
    .expectsFrom(providerName)
    .message('an OrderCreated event')
    .on(kafkaTopic('orders.v1'))
    .withPayload({ orderId: m.string('o-1'), total: m.integer(3) })
    .toInteraction();
  project.write('contracts/pact.json', serializeContract({ consumer: consumerName, provider: providerName, interactions: [interaction], specVersion: '4.0', metadata: {} }));
  let stderr = '';
  const published = await main(['publish', `${project.dir}/contracts/pact.json`, '--consumer-app-version', 'c1', '--branch', 'main', '--broker-url', broker.url, '--broker-token', TOKEN], {
    stdout: () => undefined,
    stderr: (s) => (stderr += s),
    env: {},
  });
  expect(stderr).toBe('');
  expect(published).toBe(0);
});
afterAll(async () => {
  project.dispose();
  await broker.close();
});

async function runProviderTests(env: Record<string, string>): Promise<{ code: number; output: string }> {
  Object.assign(process.env, { BROKER_URL: broker.url, BROKER_TOKEN: TOKEN, PROVIDER: providerName, TOTAL: '7', SELECTORS: '[{"mainBranch":true}]' }, env);
  try {
    const { stdout, stderr } = await project.jest();
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  } finally {
    for (const key of ['BROKER_URL', 'BROKER_TOKEN', 'PROVIDER', 'TOTAL', 'SELECTORS', 'PROVIDER_VERSION']) delete process.env[key];
  }
}

async function verificationsOf(): Promise<[string, boolean][]> {
  const response = await fetch(`${broker.url}/matrix?q[][pacticipant]=${providerName}&latestby=cvpv`);
  const rows = ((await response.json()) as { matrix: { provider: { version: { number: string } }; verificationResult: { success: boolean } | null }[] }).matrix;
  return rows.flatMap((row): [string, boolean][] => (row.verificationResult === null ? [] : [[row.provider.version.number, row.verificationResult.success]])).sort();
}

describe('verifyProviderInJest with a broker source', () => {
  it('defines a test per interaction of the pacts the broker selects and publishes one result per pact', async () => {
    const run = await runProviderTests({ PROVIDER_VERSION: 'p1' });
    expect(run.output).toContain(`${consumerName} → ${providerName}`);
    expect(run.output).toContain('an OrderCreated event');
    expect(run.output).toContain(`Published the verification result of ${consumerName} → ${providerName} (success) for ${providerName} p1.`);
    expect(run.output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(run.code).toBe(0);
    expect(await verificationsOf()).toEqual([['p1', true]]);
  });

  it('fails the test of a broken provider version once the pact is no longer pending, and publishes the failure', async () => {
    const run = await runProviderTests({ PROVIDER_VERSION: 'p2', TOTAL: 'three' });
    expect(run.output).toMatch(/Tests:\s+1 failed, 1 total/);
    expect(run.output).toContain('$.total');
    expect(run.output).toContain(`Published the verification result of ${consumerName} → ${providerName} (failure) for ${providerName} p2.`);
    expect(run.code).not.toBe(0);
    expect(await verificationsOf()).toEqual([
      ['p1', true],
      ['p2', false],
    ]);
    const answer = await fetch(`${broker.url}/matrix?q[][pacticipant]=${consumerName}&q[][version]=c1&q[][pacticipant]=${providerName}&q[][version]=p2&latestby=cvpv`);
    expect(((await answer.json()) as { summary: { deployable: boolean | null } }).summary.deployable).toBe(false);
  });

  it('fails the test file, never passes, when the selectors match no pact', async () => {
    const run = await runProviderTests({ PROVIDER_VERSION: 'p3', SELECTORS: '[{"branch":"no-such-branch"}]' });
    expect(run.output).toContain('HERALD_NOTHING_TO_VERIFY');
    expect(run.output).toContain(`has no pact for ${providerName}`);
    expect(run.code).not.toBe(0);
  });
});
