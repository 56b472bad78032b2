/**
 * The real Pact clients against a running Herald Broker: the official Pact CLI (a static binary,
 * spawned) and pact-js 16's Verifier (its native core). Asserts their exit codes and output, and
 * that what they publish shows in the matrix and in can-i-deploy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The module, not the package root: the root loads pact-js' HTTP proxy, whose ESM-only dependency jest cannot require on Node 20 (see test/interop/pact-js.ts).
import { MessageProviderPact, providerWithMetadata } from '@pact-foundation/pact/src/messageProviderPact';
import { startContractBroker, type StartedContractBroker } from 'herald/broker';
import { main } from '../cli/main';
import { parseContract } from '../contract/reader';
import { messagePact, unique } from './__fixtures__/pacts';

jest.setTimeout(120_000);

const PACT_BROKER = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'pact-broker');
const TOKEN = 'test-write-token';
const AVRO_CONTRACT = path.join(__dirname, '..', '..', 'examples', 'avro-orders', 'contracts', 'shipping-orders.json');
let broker: StartedContractBroker;
const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-broker-pacts-'));

beforeAll(async () => {
  broker = await startContractBroker({ writeToken: TOKEN });
});
afterAll(async () => {
  await broker.close();
});

interface Run {
  readonly code: number;
  readonly output: string;
}

/** Runs the Pact CLI against the broker (asynchronously: the broker answers from this process). */
function pactBroker(args: readonly string[], token: string | null = TOKEN): Promise<Run> {
  return new Promise((resolve) => {
    const auth = token === null ? [] : ['--broker-token', token];
    execFile(PACT_BROKER, [...args, '--broker-base-url', broker.url, ...auth], { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function writePact(document: Record<string, unknown>): string {
  const file = path.join(dir, `${unique('pact')}.json`);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

async function getJson(pathname: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${broker.url}${pathname}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('the Pact CLI against the Herald Broker', () => {
  it('publishes a Herald contract whose channel, Avro and usage data survive its re-serialisation', async () => {
    const [consumer, provider] = [unique('ledger'), unique('billing')];
    const published = await pactBroker(['publish', writePact(messagePact(consumer, provider)), '--consumer-app-version', '1.0.0', '--branch', 'main', '--tag', 'rc']);
    expect(published.output).toContain(`Created ${consumer} version 1.0.0 with branch main and tags rc`);
    // The publication response has the Pact Broker's shape (logs, embedded _links, version tag links): no "Failed to process response notices".
    expect(published.output).not.toMatch(/Warning|missing field/);
    expect(published.code).toBe(0);

    const pact = await getJson(`/pacts/provider/${provider}/consumer/${consumer}/version/1.0.0`);
    const [interaction] = pact['interactions'] as Record<string, unknown>[];
    expect(interaction?.['metadata']).toMatchObject({ kafka_topic: 'orders', kafka_key: 'ord-1', 'x-herald-channel': 'kafka:orders' });
    expect(interaction?.['comments']).toMatchObject({ text: ['herald: usage orderId read by handleOrder'] });
    expect(typeof interaction?.['_id']).toBe('string');
    expect(pact['metadata']).toMatchObject({ herald: { channels: { 'an order.created event': { transport: 'kafka', topic: 'orders' } }, avro: { subject: 'orders-value' } } });

    const again = await pactBroker(['publish', writePact(messagePact(consumer, provider)), '--consumer-app-version', '1.0.0', '--branch', 'main']);
    expect(again.code).toBe(0);
    expect(again.output).toContain('unchanged');
  });

  it.each(['the Pact CLI', "Herald's CLI"])("keeps a Herald contract's channel, Avro schema, field usage and owner (comments.herald) through a publish by %s", async (client) => {
    const original = JSON.parse(readFileSync(AVRO_CONTRACT, 'utf8')) as { consumer: { name: string }; provider: { name: string } };
    const [consumer, provider] = [unique('shipping'), unique('orders')];
    const file = writePact({ ...original, consumer: { name: consumer }, provider: { name: provider } });
    if (client === 'the Pact CLI') {
      const run = await pactBroker(['publish', file, '--consumer-app-version', '1.0.0', '--branch', 'main']);
      expect(run.output).not.toMatch(/Warning|missing field/);
      expect(run.code).toBe(0);
    } else {
      let stderr = '';
      const code = await main(['publish', file, '--consumer-app-version', '1.0.0', '--branch', 'main', '--broker-url', broker.url, '--broker-token', TOKEN], {
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
        env: {},
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
    }
    const served = await getJson(`/pacts/provider/${provider}/consumer/${consumer}/version/1.0.0`);
    const back = parseContract(served as Parameters<typeof parseContract>[0], 'served.json');
    const written = parseContract(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof parseContract>[0], file);
    const herald = back.interactions[0]?.herald;
    expect(herald?.channel).toEqual({ transport: 'kafka', topic: 'orders.v1' });
    expect(Object.keys(herald ?? {}).sort()).toEqual(['avro', 'channel', 'owner', 'usage']);
    expect(herald).toEqual(written.interactions[0]?.herald);
    expect(back.interactions[0]?.metadata).toEqual(written.interactions[0]?.metadata);
  });

  it('refuses a publication without the write token', async () => {
    const run = await pactBroker(['publish', writePact(messagePact(unique('c'), unique('p'))), '--consumer-app-version', '1'], null);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/write token|401/);
  });

  it('creates environments and versions, records deployments and releases, and answers can-i-deploy', async () => {
    const [consumer, provider, env] = [unique('shop'), unique('stock'), unique('production')];
    expect((await pactBroker(['publish', writePact(messagePact(consumer, provider)), '--consumer-app-version', 'c1', '--branch', 'main'])).code).toBe(0);
    const environment = await pactBroker(['create-environment', '--name', env, '--production']);
    expect(environment.output).toContain(`Created ${env} environment`);
    expect(environment.code).toBe(0);

    const noProvider = await pactBroker(['can-i-deploy', '--pacticipant', consumer, '--version', 'c1', '--to-environment', env]);
    expect(noProvider.code).toBe(1);
    expect(noProvider.output).toContain(`${provider}, which has no version in ${env} yet`);

    expect((await pactBroker(['create-or-update-version', '--pacticipant', provider, '--version', 'p1', '--branch', 'main'])).code).toBe(0);
    const described = await pactBroker(['describe-version', '--pacticipant', provider, '--version', 'p1']);
    expect(described.code).toBe(0);
    expect(described.output).toContain('p1');
    const unknownVersion = await pactBroker(['can-i-deploy', '--pacticipant', provider, '--version', 'nope', '--to-environment', env]);
    expect(unknownVersion.code).toBe(1);
    expect(unknownVersion.output).toContain('is not known to this broker');

    // The provider verifies the pact (as a verifier would, through the pact's link), then deploys.
    const pact = await getJson(`/pacts/provider/${provider}/consumer/${consumer}/version/c1`);
    const href = ((pact['_links'] as Record<string, { href: string }>)['pb:publish-verification-results'] ?? { href: '' }).href;
    const posted = await fetch(href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ success: true, providerApplicationVersion: 'p1', testResults: [] }),
    });
    expect(posted.status).toBe(201);
    expect((await pactBroker(['can-i-deploy', '--pacticipant', provider, '--version', 'p1', '--to-environment', env])).code).toBe(0);
    const deployed = await pactBroker(['record-deployment', '--pacticipant', provider, '--version', 'p1', '--environment', env]);
    expect(deployed.output).toContain(`Recorded deployment of ${provider} version p1 to ${env}`);

    const yes = await pactBroker(['can-i-deploy', '--pacticipant', consumer, '--version', 'c1', '--to-environment', env]);
    expect(yes.output).toContain('Computer says yes');
    expect(yes.code).toBe(0);
    const released = await pactBroker(['record-release', '--pacticipant', consumer, '--version', 'c1', '--environment', env]);
    expect(released.code).toBe(0);
    expect(released.output).toContain(`Recorded release of ${consumer} version c1`);
    expect((await pactBroker(['create-version-tag', '--pacticipant', consumer, '--version', 'c1', '--tag', 'prod'])).code).toBe(0);
    const version = await getJson(`/pacticipants/${consumer}/versions/c1`);
    expect((version['_embedded'] as { tags: { name: string }[] }).tags.map((t) => t.name)).toEqual(['prod']);
  });
});

describe("pact-js 16's Verifier against the Herald Broker", () => {
  const metadata = { contentType: 'application/json', kafka_topic: 'orders', kafka_key: 'ord-1', 'x-herald-channel': 'kafka:orders' };
  const verify = (provider: string, version: string, content: Record<string, string>, branch = 'main'): Promise<unknown> =>
    new MessageProviderPact({
      provider,
      pactBrokerUrl: broker.url,
      pactBrokerToken: TOKEN,
      consumerVersionSelectors: [{ mainBranch: true }],
      enablePending: true,
      includeWipPactsSince: '2020-01-01',
      publishVerificationResult: true,
      providerVersion: version,
      providerVersionBranch: branch,
      messageProviders: { 'an order.created event': providerWithMetadata(() => Promise.resolve(content), metadata) },
      logLevel: 'error',
    }).verify();

  it('verifies a pact fetched from the broker, publishes the result to the matrix, and a failing version makes can-i-deploy say no', async () => {
    const [consumer, provider] = [unique('orders-ui'), unique('orders')];
    expect((await pactBroker(['publish', writePact(messagePact(consumer, provider)), '--consumer-app-version', 'c1', '--branch', 'main'])).code).toBe(0);

    // First verification: the pact is pending for branch main, so even a failure does not fail the build.
    await expect(verify(provider, 'p0', { somethingElse: 'x' })).resolves.toBeDefined();
    await expect(verify(provider, 'p1', { orderId: 'ord-1' })).resolves.toBeDefined();
    const rows = (await getJson(`/matrix?q[][pacticipant]=${provider}&latestby=cvpv`))['matrix'] as { provider: { version: { number: string } }; verificationResult: { success: boolean } }[];
    expect(rows.map((row) => [row.provider.version.number, row.verificationResult.success]).sort()).toEqual([
      ['p0', false],
      ['p1', true],
    ]);
    expect((await pactBroker(['can-i-deploy', '--pacticipant', consumer, '--version', 'c1', '--pacticipant', provider, '--version', 'p1'])).code).toBe(0);

    // Now verified on main, the pact is no longer pending: a breaking provider version fails the build and cannot deploy.
    await expect(verify(provider, 'p2', { somethingElse: 'x' })).rejects.toThrow();
    const no = await pactBroker(['can-i-deploy', '--pacticipant', consumer, '--version', 'c1', '--pacticipant', provider, '--version', 'p2']);
    expect(no.code).toBe(1);
    expect(no.output).toContain('failed');
  });
});
