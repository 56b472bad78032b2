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
});
