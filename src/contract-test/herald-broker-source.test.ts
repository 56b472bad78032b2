/**
 * The deployment source and the result publisher against Herald's own broker (in-process, in-memory
 * PGlite): deployments recorded through the broker client are what contract-test plans from, and
 * a published result is what can-i-deploy then answers with.
 */
import { canIDeploy } from '../broker-client/can-i-deploy';
import { createEnvironment, recordInEnvironment } from '../broker-client/environments';
import { BrokerClient } from '../broker-client/hal-client';
import { base64, messagePact, unique } from '../contract-broker/__fixtures__/pacts';
import { startContractBroker, type StartedContractBroker } from '../contract-broker/service';
import { summarise, type InteractionResult, type VerificationReport } from '../verify/result';
import { PactBrokerDeploymentSource, type DeployedPact } from './deployment-source';
import { planRuns } from './plan';
import { brokerResultPublisher } from './publish-results';

jest.setTimeout(60_000);

let broker: StartedContractBroker;
let client: BrokerClient;

beforeAll(async () => {
  broker = await startContractBroker();
  client = new BrokerClient({ url: broker.url, retries: 0 });
});
afterAll(() => broker.close());

async function publish(consumer: string, version: string, provider: string, fields: Record<string, string>): Promise<void> {
  await client.post(
    `${broker.url}/contracts/publish`,
    {
      pacticipantName: consumer,
      pacticipantVersionNumber: version,
      contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: base64(messagePact(consumer, provider, fields)) }],
    },
    'publish',
  );
}

async function deploy(pacticipant: string, version: string, environment: string): Promise<void> {
  await client.put(`${broker.url}/pacticipants/${pacticipant}/versions/${version}`, {}, 'create the version');
  await recordInEnvironment(client, 'deployment', { pacticipant, version, environment });
}

/** A report as the broker verification writes it: one result per interaction of each pact. */
function report(pacts: readonly DeployedPact[], status: 'passed' | 'failed'): VerificationReport {
  const results: InteractionResult[] = pacts.flatMap((p) =>
    p.contract.interactions.map((i) => ({
      consumer: p.contract.consumer,
      provider: p.contract.provider,
      description: i.description,
      contractFile: p.url,
      status,
      mismatches: status === 'passed' ? [] : [{ code: 'missing', part: 'body', path: '$.orderId', expected: 'present', actual: undefined, message: '$.orderId is missing' }],
      notes: [],
      pending: false,
      durationMs: 1,
    })),
  );
  return { summary: summarise(results, [], 1, 'triggers'), results };
}

describe("PactBrokerDeploymentSource on Herald's broker", () => {
  it('plans from recorded deployments, reads the pacts with their result links, and can-i-deploy follows the published results', async () => {
    const [orders, shipping, billing, env] = [unique('orders'), unique('shipping'), unique('billing'), unique('prod')];
    await createEnvironment(client, { name: env, production: true });
    await publish(shipping, '8', orders, { orderId: 'o-1' });
    await publish(shipping, '9', orders, { orderId: 'o-1' });
    await publish(billing, '2', orders, { total: '1' });
    await deploy(shipping, '7', env);
    await deploy(shipping, '8', env); // replaces 7: one deployment per application instance
    await deploy(orders, '1.0.0', env);

    const source = new PactBrokerDeploymentSource({ url: broker.url });
    // billing has a pact but is not deployed; shipping 7 was replaced by 8.
    expect(await source.consumersDeployedOf(orders, env)).toEqual([{ pacticipant: shipping, version: '8' }]);
    expect(await source.providersDeployedFor(shipping, env)).toEqual([{ pacticipant: orders, version: '1.0.0' }]);
    const [planned] = await planRuns(source, { triggeredBy: 'provider', pacticipant: orders, version: '1.1.0', environment: env });
    expect(planned).toEqual({ provider: orders, providerVersion: '1.1.0', consumers: [{ consumer: shipping, version: '8' }] });

    const pact = await source.pact(shipping, '8', orders);
    expect(pact.contract.consumer).toBe(shipping);
    expect(pact.publishResultsUrl).toMatch(new RegExp(`^${broker.url}/pacts/provider/${orders}/consumer/${shipping}/pact-version/[0-9a-f]+/verification-results$`));
    expect([...pact.interactionIds.values()]).toHaveLength(1);

    const publishResults = brokerResultPublisher(client, 'test');
    expect(await publishResults({ run: { provider: orders, providerVersion: '1.1.0', consumers: [{ consumer: shipping, version: '8' }] }, pacts: [pact], report: report([pact], 'failed') })).toEqual([
      `Published the verification result of ${shipping} → ${orders} (failure) for ${orders} 1.1.0.`,
    ]);
    const no = await canIDeploy(client, { pacticipant: orders, version: '1.1.0', toEnvironment: env });
    expect(no.deployable).toBe(false);

    await publishResults({ run: { provider: orders, providerVersion: '1.0.1', consumers: [{ consumer: shipping, version: '8' }] }, pacts: [pact], report: report([pact], 'passed') });
    const yes = await canIDeploy(client, { pacticipant: orders, version: '1.0.1', toEnvironment: env });
    expect(yes.deployable).toBe(true);
  });

  it('answers no deployed versions for a pacticipant never deployed, and 404 for an unknown environment', async () => {
    const env = unique('env');
    const created = await createEnvironment(client, { name: env, production: false });
    const empty = await client.get(`${broker.url}/environments/${created.uuid}/deployed-versions/currently-deployed?pacticipant=${unique('nobody')}`, 'read');
    expect(empty['_embedded']).toEqual({ deployedVersions: [] });
    await expect(client.get(`${broker.url}/environments/no-such-uuid/deployed-versions/currently-deployed`, 'read')).rejects.toThrow(/404/);
  });
});
