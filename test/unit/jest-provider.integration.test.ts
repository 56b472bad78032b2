/**
 * The jest API for providers, under real jest: one test per interaction, named after it and
 * grouped by consumer; a producer that breaks the contract fails exactly its test.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { jestProject, type JestProject } from './jest-project';

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '../..');

interface JestJson {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[];
}

describe('verifyProviderInJest', () => {
  let project: JestProject;
  beforeAll(() => {
    project = jestProject('provider-api');
    mkdirSync(path.join(project.dir, 'pacts'), { recursive: true });
    copyFileSync(path.join(REPO, 'contracts/shipping-orders.json'), path.join(project.dir, 'pacts/shipping-orders.json'));
  });
  afterAll(() => project.dispose());

  it('defines one test per interaction, and fails only the one whose message breaks the contract', async () => {
    project.write(
      'tests/orders.test.ts',
      `import { verifyProviderInJest } from 'herald/jest';
import factories from '${path.join(REPO, 'examples/orders-provider/factories')}';
import { message } from 'herald';
verifyProviderInJest({ ...factories, messages: { ...factories.messages,
  'an OrderCancelled event': () => message({ orderId: 'not-a-uuid' }, { key: 'k' }) } }, { contracts: ['pacts'] });
`,
    );
    const out = path.join(project.dir, 'out.json');
    await project.jest('--json', `--outputFile=${out}`).catch(() => undefined);
    const results = (require(out) as JestJson).testResults.flatMap((r) => r.assertionResults);
    expect(results.map((r) => [r.ancestorTitles.join(' / '), r.title, r.status])).toEqual([
      ["orders satisfies its consumers' contracts / shipping → orders", 'an OrderCancelled event', 'failed'],
      ["orders satisfies its consumers' contracts / shipping → orders", 'an OrderPlaced event', 'passed'],
    ]);
    expect(results[0]?.failureMessages.join('\n')).toMatch(/\$\.orderId/);
  });

  it('defines a test per flow too, failing a reply that breaks the contract', async () => {
    copyFileSync(path.join(REPO, 'contracts/push-client-push-server.json'), path.join(project.dir, 'pacts/push-client-push-server.json'));
    project.write(
      'tests/push.test.ts',
      `import { verifyProviderInJest } from 'herald/jest';
import { message, provider } from 'herald';
import { AuthService } from '${path.join(REPO, 'examples/push/src/auth-service')}';
const service = new AuthService();
verifyProviderInJest(provider('push-server', {
  states: { 'a device is registered': ({ deviceId }) => service.register(String(deviceId)) },
  messages: {},
  replies: { 'an authorise request': () => message({ sessionId: 'session-1', ok: true }, { headers: { 'session-kind': 'device' } }) },
}), { contracts: ['pacts/push-client-push-server.json'] });
`,
    );
    const out = path.join(project.dir, 'out-push.json');
    await project.jest('--json', `--outputFile=${out}`, 'tests/push.test.ts').catch(() => undefined);
    const results = (require(out) as JestJson).testResults.flatMap((r) => r.assertionResults);
    expect(results.map((r) => [r.ancestorTitles.join(' / '), r.title, r.status])).toEqual([
      // The push contract is one flow (authorise → push): one test, failing at its first step.
      ["push-server satisfies its consumers' contracts / push-client → push-server", 'flow "authorised push"', 'failed'],
    ]);
    expect(results[0]?.failureMessages.join('\n')).toMatch(/\$\.sessionId/);
  });
});
