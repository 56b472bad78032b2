import { randomUUID } from 'node:crypto';
import { amqpQueue, kafkaTopic } from '../../contract/channel';
import { consumer } from '../../dsl/consumer';
import { isHeraldError } from '../../errors/herald-error';
import { m } from '../../matchers/index';
import { InMemoryBroker, InMemoryTransport } from '../../transport/memory';
import { SPRING_CORRELATION_HEADER, SPRING_REPLY_TOPIC_HEADER } from '../kafka-reply';
import { quoteRequest } from '../../__fixtures__/quote';
import { answerRequestsOnBroker } from './answer-requests';

const authorise = consumer('push-client')
  .expectsFrom('push-server')
  .request('an authorise request')
  .on(amqpQueue('auth.rpc'))
  .withHeaders({ 'client-version': m.regex(/^\d+\.\d+$/, '2.1') })
  .withPayload({ deviceId: m.string('dev-1') })
  .withReply({ sessionId: m.uuid(), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } });

const quote = quoteRequest();

function thrown(run: () => void): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isHeraldError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('answerRequestsOnBroker on AMQP', () => {
  /** The consumer's client: publishes to the queue with reply_to and correlation_id and waits on its reply queue. */
  async function clientRequest(transport: InMemoryTransport, payload: unknown, options: { correlationId?: string; headers?: Record<string, string> } = {}) {
    const replyQueue = `reply.${randomUUID()}`;
    const capture = await transport.startCapture(amqpQueue(replyQueue));
    const correlationId = options.correlationId ?? randomUUID();
    await transport.publish({
      channel: amqpQueue('auth.rpc'),
      headers: options.headers ?? { 'client-version': '2.3' },
      properties: { replyTo: replyQueue, correlationId },
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify(payload)),
    });
    try {
      return { correlationId, reply: await capture.next({ timeoutMs: 100 }) };
    } catch {
      return { correlationId, reply: undefined };
    } finally {
      await capture.stop();
    }
  }

  it("answers a matching request with the contract's reply and the request's correlation id", async () => {
    const broker = new InMemoryBroker();
    await using transport = new InMemoryTransport({ broker });
    await using responder = await answerRequestsOnBroker(authorise, { transport });
    const { correlationId, reply } = await clientRequest(new InMemoryTransport({ broker }), { deviceId: 'dev-9' });
    expect(reply?.properties['correlationId']).toBe(correlationId);
    expect(reply?.headers['session-kind']).toBe('device');
    const body = JSON.parse(reply?.body.toString() ?? '{}') as { sessionId: string; ok: boolean };
    expect(body.ok).toBe(true);
    expect(body.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(responder.requests().map((r) => [r.description, r.answered])).toEqual([['an authorise request', true]]);
    expect(() => responder.expectAnswered()).not.toThrow();
  });

  it('does not answer a request that breaks the contract, and says where', async () => {
    const broker = new InMemoryBroker();
    await using transport = new InMemoryTransport({ broker });
    await using responder = await answerRequestsOnBroker([authorise], { transport });
    const { reply } = await clientRequest(new InMemoryTransport({ broker }), { deviceId: 42 }, { headers: { 'client-version': 'latest' } });
    expect(reply).toBeUndefined();
    const error = thrown(() => responder.expectAnswered());
    expect(error.code).toBe('HERALD_REQUEST_MISMATCH');
    expect(error.message).toContain('$.deviceId');
    expect(error.message).toContain('client-version');
  });

  it('fails when the client never sends the request', async () => {
    await using transport = new InMemoryTransport();
    await using responder = await answerRequestsOnBroker([authorise], { transport });
    const error = thrown(() => responder.expectAnswered());
    expect(error.code).toBe('HERALD_HANDLER_FAILED');
    expect(error.message).toContain('never sent "an authorise request"');
  });

  it('does not answer a request without correlation_id', async () => {
    const broker = new InMemoryBroker();
    await using transport = new InMemoryTransport({ broker });
    await using responder = await answerRequestsOnBroker([authorise], { transport });
    const client = new InMemoryTransport({ broker });
    await client.publish({
      channel: amqpQueue('auth.rpc'),
      headers: { 'client-version': '2.3' },
      properties: { replyTo: 'somewhere' },
      contentType: 'application/json',
      body: Buffer.from('{"deviceId":"d"}'),
    });
    await new Promise((resolve) => setImmediate(resolve));
    const error = thrown(() => responder.expectAnswered());
    expect(error.code).toBe('HERALD_HANDLER_FAILED');
    expect(error.message).toContain('no correlation_id');
  });
});

describe('answerRequestsOnBroker on Kafka', () => {
  it('answers on the topic in kafka_replyTopic, copying the kafka_correlationId bytes', async () => {
    const broker = new InMemoryBroker();
    await using transport = new InMemoryTransport({ broker });
    await using responder = await answerRequestsOnBroker(quote, { transport });
    await using client = new InMemoryTransport({ broker });
    const replies = await client.startCapture(kafkaTopic('client.replies'));
    const correlation = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    await client.publish({
      channel: kafkaTopic('quotes.requests'),
      headers: { [SPRING_REPLY_TOPIC_HEADER]: 'client.replies', [SPRING_CORRELATION_HEADER]: correlation },
      contentType: 'application/json',
      body: Buffer.from('{"sku":"sku-7","quantity":3}'),
    });
    const reply = await replies.next({ timeoutMs: 100 });
    expect(reply.headers[SPRING_CORRELATION_HEADER]).toEqual(correlation);
    expect(JSON.parse(reply.body.toString())).toEqual({ sku: 'sku-1', total: 19.9 });
    expect(() => responder.expectAnswered()).not.toThrow();
  });

  it('fails a request without the correlation header', async () => {
    const broker = new InMemoryBroker();
    await using transport = new InMemoryTransport({ broker });
    await using responder = await answerRequestsOnBroker(quote, { transport });
    await using client = new InMemoryTransport({ broker });
    await client.publish({ channel: kafkaTopic('quotes.requests'), headers: { [SPRING_REPLY_TOPIC_HEADER]: 'x' }, contentType: 'application/json', body: Buffer.from('{"sku":"s","quantity":1}') });
    await new Promise((resolve) => setImmediate(resolve));
    expect(thrown(() => responder.expectAnswered()).message).toContain('no kafka_correlationId header');
  });
});
