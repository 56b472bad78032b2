import type { Contract, SyncMessageInteraction } from '../contract/model';
import { parseContract } from '../contract/reader';
import type { JsonObject } from '../contract/json';
import { message, provider } from './index';
import type { ReceivedRequest } from './reply';
import { verifyProvider } from './verify-provider';

/** A pact-js-shaped request/reply interaction: authorise a device, reply with a session. */
const authorise: JsonObject = {
  type: 'Synchronous/Messages',
  description: 'an authorise request',
  providerStates: [{ name: 'a device is registered', params: { deviceId: 'dev-1' } }],
  request: {
    contents: { content: { deviceId: 'dev-1', token: 'abc' }, contentType: 'application/json', encoded: false },
    metadata: { contentType: 'application/json', amqp_routing_key: 'auth.rpc', 'client-version': '2.1' },
  },
  response: [
    {
      contents: { content: { sessionId: '6f1c2f2e-1b1a-4c1e-9a4e-1c2b3a4d5e6f', ok: true }, contentType: 'application/json', encoded: false },
      metadata: { contentType: 'application/json', 'session-kind': 'device' },
      matchingRules: {
        body: {
          '$.sessionId': { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }] },
          '$.ok': { combine: 'AND', matchers: [{ match: 'type' }] },
        },
        metadata: { 'session-kind': { combine: 'AND', matchers: [{ match: 'regex', regex: '^(device|user)$' }] } },
      },
    },
  ],
};

function contractWith(...interactions: JsonObject[]): Contract {
  const file = 'contracts/push-client-push-server.json';
  const read = parseContract({ consumer: { name: 'push-client' }, provider: { name: 'push-server' }, interactions, metadata: { pactSpecification: { version: '4.0' } } }, file);
  return { ...read, source: file };
}

const states = { 'a device is registered': () => ({}) };
const SESSION = '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11';

describe('verifying request/reply interactions with reply factories', () => {
  it('passes a reply that satisfies the declared reply, giving the factory the state params and the request', async () => {
    const seen: { params: JsonObject; request: ReceivedRequest }[] = [];
    const report = await verifyProvider(
      [contractWith(authorise)],
      provider('push-server', {
        states: { 'a device is registered': ({ deviceId }) => ({ device: `registered ${String(deviceId)}` }) },
        messages: {},
        replies: {
          'an authorise request': (params, request) => {
            seen.push({ params, request });
            return message({ sessionId: SESSION, ok: true }, { headers: { 'session-kind': 'device' } });
          },
        },
      }),
    );
    expect(report.results.map((r) => [r.description, r.status, r.mismatches])).toEqual([['an authorise request', 'passed', []]]);
    expect(report.summary).toMatchObject({ total: 1, passed: 1, ok: true, unusedFactories: [] });
    expect(seen).toEqual([
      {
        params: { deviceId: 'dev-1', device: 'registered dev-1' },
        request: {
          payload: { deviceId: 'dev-1', token: 'abc' },
          headers: { 'client-version': '2.1' },
          key: undefined,
          properties: {},
          metadata: { contentType: 'application/json', amqp_routing_key: 'auth.rpc', 'client-version': '2.1' },
        },
      },
    ]);
  });

  it('fails a reply whose body breaks a rule and whose header is missing, reporting both as mismatches', async () => {
    const report = await verifyProvider([contractWith(authorise)], { name: 'push-server', states, messages: {}, replies: { 'an authorise request': () => ({ sessionId: 'not-a-uuid', ok: true }) } });
    const [result] = report.results;
    expect(result?.status).toBe('failed');
    expect(result?.mismatches.map((m) => [m.part, m.path])).toEqual(
      expect.arrayContaining([
        ['body', '$.sessionId'],
        ['metadata', 'session-kind'],
      ]),
    );
    expect(report.summary.ok).toBe(false);
  });

  it('reports a request/reply interaction without a reply factory, suggesting the closest name', async () => {
    const report = await verifyProvider([contractWith(authorise)], { name: 'push-server', states, messages: {}, replies: { 'an authorize request': () => ({}) } });
    expect(report.results[0]).toMatchObject({ status: 'no-factory', error: { code: 'HERALD_NO_REPLY_FACTORY' } });
    expect(report.results[0]?.error?.message).toContain('Did you mean "an authorize request"?');
    expect(report.results[0]?.error?.message).toContain('replies["an authorise request"]');
    expect(report.summary.unusedFactories).toEqual(['an authorize request']);
  });

  it('fails an interaction declaring two replies instead of checking only the first', async () => {
    const twoReplies = { ...authorise, response: [...(authorise['response'] as JsonObject[]), ...(authorise['response'] as JsonObject[])] };
    const report = await verifyProvider([contractWith(twoReplies)], { name: 'push-server', states, messages: {}, replies: { 'an authorise request': () => ({ sessionId: SESSION, ok: true }) } });
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNSUPPORTED' } });
    expect(report.summary.ok).toBe(false);
  });

  it('keeps the request channel off the reply: a reply factory need not say where it answers', async () => {
    const withChannel = { ...authorise, herald: { channel: { transport: 'amqp', exchange: '', routingKey: 'auth.rpc' } } };
    const contract = contractWith(withChannel);
    const sync: SyncMessageInteraction | undefined = contract.synchronous?.[0];
    expect(sync?.herald?.channel).toBeDefined();
    const report = await verifyProvider([contract], {
      name: 'push-server',
      states,
      messages: {},
      replies: { 'an authorise request': () => message({ sessionId: SESSION, ok: true }, { headers: { 'session-kind': 'user' } }) },
    });
    expect(report.results[0]?.status).toBe('passed');
  });
});
