import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHeraldError } from '../errors/herald-error';
import { PactBrokerDeploymentSource } from './deployment-source';
import { planRuns } from './plan';

/** An in-process stub of the Pact Broker HAL resources the source reads. */
const pact = (consumer: string, provider: string, field: string): unknown => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions: [{ type: 'Asynchronous/Messages', description: 'an OrderPlaced event', contents: { content: { [field]: 1 }, contentType: 'application/json' } }],
  metadata: { pactSpecification: { version: '4.0' } },
});
const deployed = (pacticipant: string, ...numbers: string[]): unknown => ({
  _embedded: { deployedVersions: numbers.map((number) => ({ currentlyDeployed: true, _embedded: { pacticipant: { name: pacticipant }, version: { number } } })) },
});
const routes: Record<string, unknown> = {
  '/environments': {
    _embedded: {
      environments: [
        { uuid: 'env-prod', name: 'production' },
        { uuid: 'env-test', name: 'test' },
      ],
    },
  },
  '/integrations': {
    _embedded: {
      integrations: [
        { consumer: { name: 'shipping' }, provider: { name: 'orders' } },
        { consumer: { name: 'billing' }, provider: { name: 'orders' } },
        { consumer: { name: 'billing' }, provider: { name: 'payments' } },
      ],
    },
  },
  '/environments/env-prod/deployed-versions/currently-deployed?pacticipant=orders': deployed('orders', '1.0.0'),
  '/environments/env-prod/deployed-versions/currently-deployed?pacticipant=shipping': deployed('shipping', '7', '8'),
  '/environments/env-prod/deployed-versions/currently-deployed?pacticipant=billing': deployed('billing'),
  '/environments/env-prod/deployed-versions/currently-deployed?pacticipant=payments': deployed('payments', '3.1'),
  '/pacts/provider/orders/consumer/shipping/version/8': pact('shipping', 'orders', 'orderId'),
};

let server: Server;
let url: string;
const seen: { path: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    const body = routes[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/hal+json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('PactBrokerDeploymentSource over the Pact Broker HAL API', () => {
  it('lists the consumer versions currently deployed in an environment, for each consumer of the provider', async () => {
    const source = new PactBrokerDeploymentSource({ url });
    expect(await source.consumersDeployedOf('orders', 'production')).toEqual([
      { pacticipant: 'shipping', version: '7' },
      { pacticipant: 'shipping', version: '8' },
    ]);
  });

  it("lists the deployed versions of the consumer's providers only", async () => {
    const source = new PactBrokerDeploymentSource({ url });
    expect(await source.providersDeployedFor('billing', 'production')).toEqual([
      { pacticipant: 'orders', version: '1.0.0' },
      { pacticipant: 'payments', version: '3.1' },
    ]);
  });

  it('reads the pact of a consumer version and sends the token as a bearer', async () => {
    const source = new PactBrokerDeploymentSource({ url, token: 's3cret' });
    const { contract } = await source.pact('shipping', '8', 'orders');
    expect(contract.consumer).toBe('shipping');
    expect(contract.interactions.map((i) => i.description)).toEqual(['an OrderPlaced event']);
    expect(seen.at(-1)).toEqual({ path: '/pacts/provider/orders/consumer/shipping/version/8', auth: 'Bearer s3cret' });
  });

  it('names the known environments when the one asked for does not exist', async () => {
    const source = new PactBrokerDeploymentSource({ url });
    const error: unknown = await source.consumersDeployedOf('orders', 'staging').catch((e: unknown) => e);
    expect(isHeraldError(error) && error.code).toBe('HERALD_DEPLOYMENT_SOURCE_FAILED');
    expect((error as Error).message).toMatch(/environment "staging".*"production", "test"/);
  });

  it('fails with the URL and status when the broker answers an error', async () => {
    const source = new PactBrokerDeploymentSource({ url });
    await expect(source.pact('shipping', '99', 'orders')).rejects.toThrow(/\/pacts\/provider\/orders\/consumer\/shipping\/version\/99: HTTP 404/);
  });

  it('fails clearly when the broker is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const source = new PactBrokerDeploymentSource({ url: `http://127.0.0.1:${port}` });
    await expect(source.consumersDeployedOf('orders', 'production')).rejects.toThrow(/Failed to read http:\/\/127\.0\.0\.1:\d+\/\w+: .*ECONNREFUSED.*Check --broker/);
  });
});

describe('planRuns', () => {
  const source = new PactBrokerDeploymentSource({ url: 'unused', fetch: () => Promise.reject(new Error('unused')) });
  it('triggered by a provider: one run of the new version against every deployed consumer version', async () => {
    const stub = Object.assign(Object.create(source) as PactBrokerDeploymentSource, {
      consumersDeployedOf: () =>
        Promise.resolve([
          { pacticipant: 'shipping', version: '8' },
          { pacticipant: 'billing', version: '2' },
        ]),
    });
    expect(await planRuns(stub, { triggeredBy: 'provider', pacticipant: 'orders', version: '1.1.0', environment: 'production' })).toEqual([
      {
        provider: 'orders',
        providerVersion: '1.1.0',
        consumers: [
          { consumer: 'shipping', version: '8' },
          { consumer: 'billing', version: '2' },
        ],
      },
    ]);
  });

  it("triggered by a consumer: one run per deployed provider version, against the consumer's new contract", async () => {
    const stub = Object.assign(Object.create(source) as PactBrokerDeploymentSource, {
      providersDeployedFor: () => Promise.resolve([{ pacticipant: 'orders', version: '1.0.0' }]),
    });
    expect(await planRuns(stub, { triggeredBy: 'consumer', pacticipant: 'shipping', version: '9', environment: 'production' })).toEqual([
      { provider: 'orders', providerVersion: '1.0.0', consumers: [{ consumer: 'shipping', version: '9' }] },
    ]);
  });

  it('plans nothing when no consumer is deployed', async () => {
    const stub = Object.assign(Object.create(source) as PactBrokerDeploymentSource, { consumersDeployedOf: () => Promise.resolve([]) });
    expect(await planRuns(stub, { triggeredBy: 'provider', pacticipant: 'orders', version: '1.1.0', environment: 'production' })).toEqual([]);
  });
});
