import { readFileSync } from 'node:fs';
import { amqpQueue, consumer, m, writeContracts } from '../index';
import { hasErrorCode } from '../errors/herald-error';
import { parseContract } from '../contract/reader';
import { parseJsonText } from '../contract/safe-json';
import { contractFilePath } from '../contract/store';
import { defaultContractsDir } from './session';
import type { ReplyingDouble } from './request';
import { capture } from '../__fixtures__/capture-error';

const pair = consumer('push-client').expectsFrom('push-server');
const authorise = pair
  .request('an authorise request')
  .given('a device is registered', { deviceId: 'dev-1' })
  .on(amqpQueue('auth.rpc'))
  .replyVia({ address: 'amq.rabbitmq.reply-to' })
  .withHeaders({ 'client-version': m.regex(/^\d+\.\d+$/, '2.1') })
  .withPayload({ deviceId: m.string('dev-1'), token: m.regex(/^[a-z]+$/, 'abc') })
  .withReply({ sessionId: m.uuid('6f1c2f2e-1b1a-4c1e-9a4e-1c2b3a4d5e6f'), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } });

/** A consumer's real client: sends an authorise request through whatever answers requests. */
class AuthClient {
  constructor(private readonly broker: Pick<ReplyingDouble<{ sessionId: string; ok: boolean }, unknown, unknown>, 'request'>) {}
  async authorise(deviceId: string, token: string): Promise<string> {
    const reply = await this.broker.request({ payload: { deviceId, token }, headers: { 'client-version': '3.0' } });
    if (!reply.payload.ok) throw new Error('refused');
    return reply.payload.sessionId;
  }
}

describe('request/reply declarations', () => {
  it('writes request and reply as one Synchronous/Messages interaction with the reply route in herald.reply', () => {
    const i = authorise.toInteraction();
    expect(i.request.contents.content).toEqual({ deviceId: 'dev-1', token: 'abc' });
    expect(i.request.metadata).toMatchObject({ amqp_exchange: '', amqp_routing_key: 'auth.rpc', 'client-version': '2.1' });
    expect(i.request.matchingRules.body['$.token']?.matchers).toEqual([{ match: 'regex', regex: '^[a-z]+$' }]);
    expect(i.response).toHaveLength(1);
    expect(i.response[0]?.matchingRules.metadata['session-kind']?.matchers).toEqual([{ match: 'regex', regex: '^(device|user)$' }]);
    expect(i.providerStates).toEqual([{ name: 'a device is registered', params: { deviceId: 'dev-1' } }]);
    expect(i.herald).toMatchObject({ reply: { address: 'amq.rabbitmq.reply-to' }, channel: { transport: 'amqp', exchange: '', routingKey: 'auth.rpc' }, owner: 'src/dsl/request.test.ts' });
  });

  it('hands the client a double that answers a matching request with the declared reply, and writes the contract', async () => {
    const sessions: string[] = [];
    const reply = await authorise.verify(async (double) => {
      sessions.push(await new AuthClient(double).authorise('dev-9', 'xyz'));
      expect(double.sent).toHaveLength(1);
    });
    // m.uuid() generates a fresh value: the client got the reply verify() returns.
    expect(sessions).toEqual([reply.payload.sessionId]);
    expect(reply.payload.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(reply.headers).toEqual({ 'session-kind': 'device' });
    await writeContracts();
    const file = contractFilePath(defaultContractsDir(), 'push-client', 'push-server');
    const contract = parseContract(parseJsonText(readFileSync(file, 'utf8'), file), file);
    expect(contract.synchronous?.map((s) => s.description)).toEqual(['an authorise request']);
    expect(contract.interactions).toEqual([]);
  });

  it('fails with the mismatches when the client sends a request that breaks the declaration, even if the client swallows the rejection', async () => {
    const error = await capture(() =>
      authorise.verify(async (double) => {
        await double.request({ payload: { deviceId: 'dev-1', token: 'ABC!' }, headers: { 'client-version': 'v3' } }).catch(() => undefined);
      }),
    );
    expect(hasErrorCode(error, 'HERALD_REQUEST_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain('$.token');
    expect((error as Error).message).toContain('client-version');
  });

  it('fails when the client never sends the request', async () => {
    const error = await capture(() => authorise.verify(() => undefined));
    expect(hasErrorCode(error, 'HERALD_HANDLER_FAILED')).toBe(true);
    expect((error as Error).message).toContain('never sent the request "an authorise request"');
  });

  it('fails when the test throws, quoting the reply it received', async () => {
    const error = await capture(() =>
      authorise.verify(async (double) => {
        await new AuthClient(double).authorise('dev-1', 'abc');
        throw new Error('session not stored');
      }),
    );
    expect(hasErrorCode(error, 'HERALD_HANDLER_FAILED')).toBe(true);
    expect((error as Error).message).toContain('session not stored');
    expect((error as Error).message).toMatch(/Reply it received: \{"payload":\{"sessionId":"[0-9a-f-]{36}","ok":true\}/);
  });

  it('refuses to build the interaction before a reply is declared', () => {
    const noReply = pair.request('a ping').withPayload({ at: m.integer(1) }) as unknown as { toInteraction(): unknown };
    expect(() => noReply.toInteraction()).toThrow(/no reply was declared; call withReply\(\)/);
  });
});
