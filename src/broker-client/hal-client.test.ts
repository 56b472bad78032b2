/** The HAL client against a recording stub broker: links, credentials, retries, timeouts and coded errors. */
import { hasErrorCode } from '../errors/herald-error';
import { BrokerClient, expandHref } from './hal-client';
import { startStubBroker, type StartedStubBroker } from './__fixtures__/stub-broker';

let stub: StartedStubBroker;
beforeEach(async () => {
  stub = await startStubBroker();
});
afterEach(() => stub.stop());

const fast = (options: Partial<ConstructorParameters<typeof BrokerClient>[0]> = {}): BrokerClient => new BrokerClient({ url: stub.url, retryDelayMs: 1, ...options });

describe('BrokerClient', () => {
  it('follows a templated link from the index, URL-encoding the values', async () => {
    const client = fast();
    expect(await client.link('pb:provider-pacts-for-verification', { provider: 'order service/v2' })).toBe(`${stub.url}/pacts/provider/order%20service%2Fv2/for-verification`);
    expect(expandHref('/a/{x}/{missing}', { x: 'é' })).toBe('/a/%C3%A9/{missing}');
  });

  it('reads the index once for several links', async () => {
    const client = fast();
    await client.link('pb:publish-contracts');
    await client.link('pb:environments');
    expect(stub.requests.filter((r) => r.path === '/')).toHaveLength(1);
  });

  it('sends a Bearer token, or basic auth', async () => {
    await fast({ auth: { token: 's3cret' } }).index();
    expect(stub.requests[0]?.headers.authorization).toBe('Bearer s3cret');
    await fast({ auth: { username: 'ci', password: 'pw' } }).index();
    expect(stub.requests[1]?.headers.authorization).toBe(`Basic ${Buffer.from('ci:pw').toString('base64')}`);
    expect(stub.requests[1]?.headers.accept).toContain('application/hal+json');
  });

  it('says which operation failed, where, and how to log in on 401', async () => {
    stub.override((r) => (r.method === 'POST' ? { status: 401, body: { error: 'Unauthorized' } } : undefined));
    const client = fast();
    const url = await client.link('pb:publish-contracts');
    const error: unknown = await client.post(url, {}, 'publish contracts').catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_PACT_BROKER_AUTH_FAILED')).toBe(true);
    expect((error as Error).message).toBe(
      `Failed to publish contracts to ${stub.url}/contracts/publish: 401 Unauthorized. The broker said: Unauthorized. Set HERALD_BROKER_TOKEN (or --broker-token) to a token the broker accepts, or pass --broker-username / --broker-password.`,
    );
  });

  it("quotes the broker's validation errors on 400 and does not retry", async () => {
    stub.override((r) => (r.method === 'POST' ? { status: 400, body: { errors: { pacticipantVersionNumber: ['can not be blank'] } } } : undefined));
    const client = fast();
    const error: unknown = await client.post(`${stub.url}/contracts/publish`, {}, 'publish contracts').catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_PACT_BROKER_REQUEST_FAILED')).toBe(true);
    expect((error as Error).message).toContain('400 Bad Request. The broker said: pacticipantVersionNumber: can not be blank.');
    expect(stub.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('retries reads on 5xx until they succeed', async () => {
    let failures = 2;
    stub.override((r) => (r.path === '/environments' && failures-- > 0 ? { status: 503, text: 'busy' } : undefined));
    const answer = await fast().get(`${stub.url}/environments`, 'list environments');
    expect(answer['_embedded']).toBeDefined();
    expect(stub.requests.filter((r) => r.path === '/environments')).toHaveLength(3);
  });

  it('does not retry a publish (not idempotent) on 5xx, and says the broker failed', async () => {
    stub.override((r) => (r.method === 'POST' ? { status: 500, body: { error: 'boom' } } : undefined));
    const error: unknown = await fast()
      .post(`${stub.url}/contracts/publish`, {}, 'publish contracts')
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_PACT_BROKER_UNREACHABLE')).toBe(true);
    expect((error as Error).message).toContain('500 Internal Server Error. The broker said: boom.');
    expect(stub.requests).toHaveLength(1);
  });

  it('times out a broker that does not answer, retriable', async () => {
    stub.override(() => ({ delayMs: 2_000, body: {} }));
    const error: unknown = await fast({ timeoutMs: 100, retries: 1 })
      .index()
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_PACT_BROKER_UNREACHABLE')).toBe(true);
    expect((error as { retriable: boolean }).retriable).toBe(true);
    expect((error as Error).message).toContain('no answer within 100 ms (2 attempts)');
    expect((error as Error).message).toContain('raise --broker-timeout');
  });

  it('names an unreachable broker', async () => {
    await stub.stop();
    const error: unknown = await new BrokerClient({ url: stub.url, retries: 0 }).index().catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_PACT_BROKER_UNREACHABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^Failed to read the broker index at http:\/\/127\.0\.0\.1:\d+\/: ECONNREFUSED/);
  });

  it('rejects an index that is a web page, and a missing link', async () => {
    stub.override((r) => (r.path === '/' ? { text: '<html>login</html>' } : undefined));
    const error: unknown = await fast()
      .index()
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_PACT_BROKER_RESPONSE_INVALID')).toBe(true);
    expect((error as Error).message).toContain('not JSON ("<html>login</html>")');
    const other = await startStubBroker();
    other.override((r) => (r.path === '/' ? { body: { _links: {} } } : undefined));
    const missing: unknown = await new BrokerClient({ url: other.url }).link('pb:publish-contracts', {}, 'publish contracts').catch((e: unknown) => e);
    await other.stop();
    expect(hasErrorCode(missing, 'HERALD_PACT_BROKER_RESPONSE_INVALID')).toBe(true);
    expect((missing as Error).message).toContain('the broker index has no "pb:publish-contracts" link');
  });
});
