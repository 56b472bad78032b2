/** The broker's HTTP front in-process on 127.0.0.1: auth, body limits, input errors naming the field, start-up refusals. */
import { hasErrorCode } from '../../errors/herald-error';
import { base64, messagePact, unique } from '../__fixtures__/pacts';
import { startContractBroker, type StartedContractBroker } from '../service';
import { tokenMatches } from './server';

jest.setTimeout(60_000);

const WRITE = 'write-secret-1';
const READ = 'read-secret-2';
let broker: StartedContractBroker;
const logs: string[] = [];

beforeAll(async () => {
  broker = await startContractBroker({ writeToken: WRITE, readToken: READ, maxBodyBytes: 64 * 1024, log: (line) => logs.push(line) });
});
afterAll(async () => {
  await broker.close();
});

async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${broker.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function publishBody(consumer: string, provider: string): Record<string, unknown> {
  return {
    pacticipantName: consumer,
    pacticipantVersionNumber: '1.0.0',
    branch: 'main',
    contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: base64(messagePact(consumer, provider)) }],
  };
}

describe('the broker HTTP API', () => {
  it('requires the write token for writes and a token for reads when a read token is set', async () => {
    const body = publishBody(unique('c'), unique('p'));
    expect((await call('POST', '/contracts/publish', body)).status).toBe(401);
    expect((await call('POST', '/contracts/publish', body, READ)).status).toBe(401);
    expect((await call('POST', '/contracts/publish', body, `${WRITE}x`)).status).toBe(401);
    expect((await call('POST', '/contracts/publish', body, WRITE)).status).toBe(200);
    expect((await call('GET', '/')).status).toBe(401);
    expect((await call('GET', '/', undefined, READ)).status).toBe(200);
    expect((await call('GET', '/', undefined, WRITE)).status).toBe(200);
    expect(logs.join('\n')).not.toContain(WRITE);
    expect(logs.join('\n')).not.toContain(READ);
  });

  it('serves the index with the pb: relations the Pact clients follow', async () => {
    const links = (await call('GET', '/', undefined, READ)).json['_links'] as Record<string, { href: string }>;
    for (const relation of [
      'pb:publish-contracts',
      'pb:provider-pacts-for-verification',
      'pb:environments',
      'pb:pacticipant-version',
      'pb:latest-version',
      'pb:can-i-deploy-pacticipant-version-to-environment',
    ]) {
      expect(links[relation]?.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    }
  });

  it('rejects a body over the limit with 413', async () => {
    const response = await call('POST', '/contracts/publish', JSON.stringify({ padding: 'x'.repeat(70 * 1024) }), WRITE);
    expect(response.status).toBe(413);
    expect(JSON.stringify(response.json['errors'])).toContain('at most 65536 bytes');
  });

  it.each([
    ['not JSON', '{', 'body'],
    ['no version', { pacticipantName: 'a', contracts: [] }, 'pacticipantVersionNumber'],
    ['no contracts', { pacticipantName: 'a', pacticipantVersionNumber: '1' }, 'contracts'],
    ['content that is not base64 JSON', { pacticipantName: 'a', pacticipantVersionNumber: '1', contracts: [{ consumerName: 'a', providerName: 'b', content: '!!' }] }, 'contracts[0].content'],
    [
      'a pact without provider',
      { pacticipantName: 'a', pacticipantVersionNumber: '1', contracts: [{ consumerName: 'a', providerName: 'b', content: base64({ consumer: { name: 'a' } }) }] },
      'contracts[0].content',
    ],
    [
      'a consumer other than the pacticipant',
      { pacticipantName: 'a', pacticipantVersionNumber: '1', contracts: [{ consumerName: 'z', providerName: 'b', content: base64({}) }] },
      'contracts[0].consumerName',
    ],
  ])('answers 400 naming the field for %s', async (_, body, field) => {
    const response = await call('POST', '/contracts/publish', body, WRITE);
    expect(response.status).toBe(400);
    expect(Object.keys(response.json['errors'] as object)).toEqual([field]);
  });

  it('answers 400 for an unknown selector and 404 for unknown resources', async () => {
    const selectors = await call('POST', '/pacts/provider/x/for-verification', { consumerVersionSelectors: [{ mainBrunch: true }] }, WRITE);
    expect(selectors.status).toBe(400);
    expect(JSON.stringify(selectors.json)).toContain('unknown properties mainBrunch');
    expect((await call('GET', '/pacticipants/nobody/versions/1', undefined, READ)).status).toBe(404);
    expect((await call('GET', '/no/such/thing', undefined, READ)).status).toBe(404);
    expect((await call('DELETE', '/', undefined, WRITE)).status).toBe(405);
    const verification = await call('POST', '/pacts/provider/p/consumer/c/pact-version/abc/verification-results', { success: 'yes' }, WRITE);
    expect(verification.status).toBe(400);
    expect(Object.keys(verification.json['errors'] as object)).toEqual(['success']);
  });

  it('gives each served interaction a stable _id and keeps it across re-publication', async () => {
    const [consumer, provider] = [unique('c'), unique('p')];
    await call('POST', '/contracts/publish', publishBody(consumer, provider), WRITE);
    const first = await call('GET', `/pacts/provider/${provider}/consumer/${consumer}/version/1.0.0`, undefined, READ);
    await call('POST', '/contracts/publish', publishBody(consumer, provider), WRITE);
    const second = await call('GET', `/pacts/provider/${provider}/consumer/${consumer}/latest`, undefined, READ);
    const ids = (json: Record<string, unknown>): unknown[] => (json['interactions'] as { _id: unknown }[]).map((i) => i._id);
    expect(ids(first.json)).toEqual(ids(second.json));
    expect(ids(first.json)[0]).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('starting the broker', () => {
  it('refuses a non-loopback host without tokens', async () => {
    const error: unknown = await startContractBroker({ host: '0.0.0.0' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasErrorCode(error, 'HERALD_CONTRACT_BROKER_CONFIG')).toBe(true);
    expect(String(error)).toContain('Set HERALD_BROKER_WRITE_TOKEN');
  });
  it('refuses a read token without a write token', async () => {
    await expect(startContractBroker({ readToken: 'r' })).rejects.toThrow(/read token is set without a write token/);
  });
  it('compares tokens in constant time and only when both exist', () => {
    expect(tokenMatches('a', 'a')).toBe(true);
    expect(tokenMatches('a', 'ab')).toBe(false);
    expect(tokenMatches(undefined, 'a')).toBe(false);
    expect(tokenMatches('a', undefined)).toBe(false);
  });
});
