import { randomUUID } from 'node:crypto';
import { consumer } from '../dsl/consumer';
import { kafkaTopic } from '../contract/channel';
import type { Contract } from '../contract/model';
import type { ReplyRoute } from '../dsl/request';
import { m } from '../matchers/index';
import { InMemoryBroker, InMemoryTransport } from '../transport/memory';
import type { CapturedMessage } from '../transport/types';
import { KafkaRequestReplyClient, SPRING_CORRELATION_HEADER, SPRING_REPLY_TOPIC_HEADER } from './kafka-reply';
import { verifyRepliesOnBroker } from './reply-broker';
import { providerTriggers } from './broker/definition';
import { verifyProviderOnBroker } from './broker/verify-on-broker';

type Behaviour = 'answer' | 'silent' | 'no-correlation' | 'other-id' | 'bad-body' | 'numeric-header-as-text';

function contractFor(route: ReplyRoute): Contract {
  const sync = consumer('quote-client')
    .expectsFrom('quote-service')
    .request('a quote request')
    .given('a product is priced', { sku: 'sku-1' })
    .on(kafkaTopic('quotes.requests'))
    .replyVia(route)
    .withKey(m.string('sku-1'))
    .withPayload({ sku: m.string('sku-1'), quantity: m.integer(2) })
    .withReply({ sku: m.string('sku-1'), total: m.decimal(19.9) }, { headers: { 'quote-version': m.integer(3) } })
    .toInteraction();
  return { consumer: 'quote-client', provider: 'quote-service', specVersion: '4.0', metadata: {}, interactions: [], synchronous: [sync] };
}

/** A replying service on the in-memory broker: reads the reply topic and correlation id from the headers it is told. */
async function startService(broker: InMemoryBroker, behaviour: Behaviour, names = { reply: SPRING_REPLY_TOPIC_HEADER, correlation: SPRING_CORRELATION_HEADER }) {
  const transport = new InMemoryTransport({ broker });
  const received: CapturedMessage[] = [];
  await transport.subscribe(kafkaTopic('quotes.requests'), async (request) => {
    received.push(request);
    if (behaviour === 'silent') return;
    const replyTopic = String(request.headers[names.reply]);
    const correlation = behaviour === 'other-id' ? randomUUID() : request.headers[names.correlation];
    const body = JSON.parse(request.body.toString('utf8')) as { sku: string; quantity: number };
    await transport.publish({
      channel: kafkaTopic(replyTopic),
      key: request.key ?? null,
      headers: {
        'quote-version': behaviour === 'numeric-header-as-text' ? 'three' : '3',
        ...(behaviour === 'no-correlation' || correlation === undefined ? {} : { [names.correlation]: correlation }),
      },
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ sku: body.sku, total: behaviour === 'bad-body' ? 'free' : 9.95 * body.quantity })),
    });
  });
  return { transport, received };
}

async function verify(behaviour: Behaviour, route: ReplyRoute = { address: 'quotes.replies' }, names?: { reply: string; correlation: string }) {
  const broker = new InMemoryBroker();
  const service = await startService(broker, behaviour, names);
  const transport = new InMemoryTransport({ broker });
  const log: string[] = [];
  const states = { 'a product is priced': { setup: () => void log.push('setup'), teardown: () => void log.push('teardown') } };
  try {
    const report = await verifyRepliesOnBroker([contractFor(route)], { name: 'quote-service', states }, { client: new KafkaRequestReplyClient({ transport }), replyTimeoutMs: 200 });
    const [result] = report.results;
    if (result === undefined) throw new Error('no result');
    return { result, received: service.received, log };
  } finally {
    await transport.close();
    await service.transport.close();
  }
}

describe('KafkaRequestReplyClient', () => {
  it("publishes the request with Spring's reply-topic and correlation headers and passes a correlated reply", async () => {
    const { result, received, log } = await verify('answer');
    expect([result.status, result.mismatches, result.error]).toEqual(['passed', [], undefined]);
    expect(received).toHaveLength(1);
    const request = received[0];
    expect(request?.key?.toString()).toBe('sku-1');
    expect(request?.headers[SPRING_REPLY_TOPIC_HEADER]?.toString()).toBe('quotes.replies');
    expect(request?.headers[SPRING_CORRELATION_HEADER]?.toString()).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request?.body.toString() ?? '')).toEqual({ sku: 'sku-1', quantity: 2 });
    expect(log).toEqual(['setup', 'teardown']);
  });

  it('uses the header names and reply topic the contract gives', async () => {
    const names = { reply: 'reply-to', correlation: 'x-correlation' };
    const { result, received } = await verify('answer', { address: 'quotes.answers', replyTopicHeader: names.reply, correlationHeader: names.correlation }, names);
    expect(result.status).toBe('passed');
    expect(received[0]?.headers['reply-to']?.toString()).toBe('quotes.answers');
    expect(received[0]?.headers[SPRING_CORRELATION_HEADER]).toBeUndefined();
  });

  it('defaults the reply topic to <request topic>.replies', async () => {
    const { result, received } = await verify('answer', {});
    expect(result.status).toBe('passed');
    expect(received[0]?.headers[SPRING_REPLY_TOPIC_HEADER]?.toString()).toBe('quotes.requests.replies');
  });

  it('fails when no reply comes, naming the reply topic', async () => {
    const { result, log } = await verify('silent');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_MISSING' } });
    expect(result.error?.message).toContain('arrived at the reply topic "quotes.replies"');
    expect(log).toEqual(['setup', 'teardown']);
  });

  it('fails a reply without the correlation header', async () => {
    const { result } = await verify('no-correlation');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNCORRELATED' } });
    expect(result.error?.message).toContain('without a correlation id');
  });

  it("fails a reply carrying another request's correlation id", async () => {
    const { result } = await verify('other-id');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNCORRELATED' } });
    expect(result.error?.message).toContain('which belongs to another request');
  });

  it('fails a correlated reply whose body breaks the contract', async () => {
    const { result } = await verify('bad-body');
    expect(result.status).toBe('failed');
    expect(result.mismatches.map((mm) => mm.path)).toEqual(['$.total']);
  });

  it('reads reply header bytes as the type the contract expects, and fails text that is not one', async () => {
    const { result } = await verify('numeric-header-as-text');
    expect(result.status).toBe('failed');
    expect(result.mismatches.map((mm) => [mm.part, mm.path])).toEqual([['metadata', 'quote-version']]);
  });
});

describe('verifyProviderOnBroker with replies', () => {
  it('checks request/reply interactions beside the one-way ones, passing a correlated reply and failing a silent service', async () => {
    for (const [behaviour, expected] of [
      ['answer', ['passed', undefined]],
      ['silent', ['failed', 'HERALD_REPLY_MISSING']],
    ] as const) {
      const broker = new InMemoryBroker();
      const service = await startService(broker, behaviour);
      await using transport = new InMemoryTransport({ broker });
      const states = { 'a product is priced': () => undefined };
      const report = await verifyProviderOnBroker([contractFor({ address: 'quotes.replies' })], providerTriggers('quote-service', { states, triggers: {} }), {
        transport,
        replies: { client: new KafkaRequestReplyClient({ transport }), timeoutMs: 200 },
      });
      await service.transport.close();
      expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([expected]);
      expect(report.summary.ok).toBe(behaviour === 'answer');
      expect(report.broker.notes.join(' ')).toContain("contracts' own request channels");
    }
  });
});
