/**
 * Request/reply on RabbitMQ: Herald publishes the contract's request with reply_to and a fresh
 * correlation_id, a real amqplib RPC service answers, and Herald checks the reply: that it came,
 * that it carries the request's correlation id, and its body and headers. The broker comes from
 * startRabbitMqBroker() (HERALD_AMQP_URL, or a container).
 */
import { randomUUID } from 'node:crypto';
import type * as Amqp from 'amqplib';
import { amqpQueue, consumer, m, verifyRepliesOnBroker, type Contract, type ReplyRoute } from 'herald';
import { AmqpRequestReplyClient, DIRECT_REPLY_TO, loadAmqplib, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';

type Behaviour = 'answer' | 'silent' | 'no-correlation' | 'other-id' | 'bad-body';

const queue = `auth.rpc.${randomUUID()}`;
let broker: StartedRabbitMqBroker | undefined;
let service: Amqp.ChannelModel | undefined;
let behaviour: Behaviour = 'answer';
let client: AmqpRequestReplyClient | undefined;
const received: { correlationId: unknown; replyTo: unknown; body: unknown }[] = [];
const stateLog: string[] = [];

beforeAll(async () => {
  broker = await startRabbitMqBroker();
  service = await loadAmqplib().connect(broker.url);
  const channel = await service.createChannel();
  await channel.assertQueue(queue, { exclusive: true });
  // The provider's real service: authorises a device and answers to reply_to.
  await channel.consume(queue, (msg) => {
    if (msg === null) return;
    channel.ack(msg);
    const request = JSON.parse(msg.content.toString('utf8')) as { deviceId: string };
    received.push({ correlationId: msg.properties.correlationId, replyTo: msg.properties.replyTo, body: request });
    if (behaviour === 'silent') return;
    const correlationId = behaviour === 'no-correlation' ? undefined : behaviour === 'other-id' ? randomUUID() : String(msg.properties.correlationId);
    const sessionId = behaviour === 'bad-body' ? `session-of-${request.deviceId}` : randomUUID();
    channel.sendToQueue(String(msg.properties.replyTo), Buffer.from(JSON.stringify({ sessionId, ok: true })), {
      contentType: 'application/json',
      headers: { 'session-kind': 'device' },
      ...(correlationId === undefined ? {} : { correlationId }),
    });
  });
  client = new AmqpRequestReplyClient({ url: broker.url });
}, 180_000);

afterAll(async () => {
  await client?.close();
  await service?.close();
  await broker?.[Symbol.asyncDispose]();
});

function contractFor(route: ReplyRoute): Contract {
  const sync = consumer('push-client')
    .expectsFrom('push-server')
    .request('an authorise request')
    .given('a device is registered', { deviceId: 'dev-1' })
    .on(amqpQueue(queue))
    .replyVia(route)
    .withPayload({ deviceId: m.string('dev-1') })
    .withReply({ sessionId: m.uuid(), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } })
    .toInteraction();
  return { consumer: 'push-client', provider: 'push-server', specVersion: '4.0', metadata: {}, interactions: [], synchronous: [sync], source: 'contracts/push-client-push-server.json' };
}

async function verifyWith(mode: Behaviour, route: ReplyRoute = {}) {
  behaviour = mode;
  if (client === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const states = { 'a device is registered': { setup: () => void stateLog.push('setup'), teardown: () => void stateLog.push('teardown') } };
  const report = await verifyRepliesOnBroker([contractFor(route)], { name: 'push-server', states }, { client, replyTimeoutMs: 1_500 });
  const [result] = report.results;
  if (result === undefined) throw new Error('no result');
  return result;
}

beforeEach(() => {
  received.length = 0;
  stateLog.length = 0;
});

describe('request/reply on RabbitMQ', () => {
  it('passes a service that answers to a server-named reply queue with the correlation id', async () => {
    const result = await verifyWith('answer');
    expect([result.status, result.mismatches, result.error]).toEqual(['passed', [], undefined]);
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toEqual({ deviceId: 'dev-1' });
    expect(received[0]?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(received[0]?.replyTo).toMatch(/^amq\.gen-/);
    expect(stateLog).toEqual(['setup', 'teardown']);
  });

  it("passes with RabbitMQ's direct reply-to", async () => {
    const result = await verifyWith('answer', { address: DIRECT_REPLY_TO });
    expect(result.status).toBe('passed');
    expect(received[0]?.replyTo).toMatch(/^amq\.rabbitmq\.reply-to\./);
  });

  it('fails when no reply comes, saying where Herald waited', async () => {
    const result = await verifyWith('silent');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_MISSING' } });
    expect(result.error?.message).toMatch(/No reply to "an authorise request" .* arrived at a server-named reply queue within 1500 ms/);
    expect(stateLog).toEqual(['setup', 'teardown']);
  });

  it('fails a reply without a correlation id', async () => {
    const result = await verifyWith('no-correlation');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNCORRELATED' } });
    expect(result.error?.message).toContain('without a correlation id');
  });

  it("fails a reply carrying another request's correlation id", async () => {
    const result = await verifyWith('other-id', { address: DIRECT_REPLY_TO });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNCORRELATED' } });
    expect(result.error?.message).toContain('which belongs to another request');
  });

  it('fails a correlated reply whose body breaks the declared reply', async () => {
    const result = await verifyWith('bad-body');
    expect(result.status).toBe('failed');
    expect(result.mismatches.map((mm) => mm.path)).toEqual(['$.sessionId']);
    expect(stateLog).toEqual(['setup', 'teardown']);
  });
});
