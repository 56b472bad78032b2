/**
 * The push client's real amqplib requester (direct reply-to) on RabbitMQ, answered by Herald with
 * the contract's reply: Herald checks the request the client sent; a client sending an
 * unversioned request gets no answer, and the verdict names the header.
 */
import { randomUUID } from 'node:crypto';
import type * as Amqp from 'amqplib';
import { amqpQueue, answerRequestsOnBroker, isHeraldError } from 'herald';
import { AmqpTransport, loadAmqplib, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';
import { AmqpRequester } from './src/amqp-requester';
import { AuthClient } from './src/auth-client';
import { authorise } from './src/declarations';

let broker: StartedRabbitMqBroker | undefined;
let connection: Amqp.ChannelModel | undefined;

beforeAll(async () => {
  broker = await startRabbitMqBroker();
  connection = await loadAmqplib().connect(broker.url);
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await broker?.[Symbol.asyncDispose]();
});

/** The flow's authorise step on this test's own queue; the client asks there with `version`. */
async function ask(version: string, timeoutMs: number) {
  if (broker === undefined || connection === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const queue = `push.auth.${randomUUID()}`;
  const setup = await connection.createChannel();
  await setup.assertQueue(queue, { durable: false, autoDelete: true });
  await using transport = new AmqpTransport({ url: broker.url });
  await using responder = await answerRequestsOnBroker(authorise.on(amqpQueue(queue)), { transport });
  const requester = await AmqpRequester.connect(connection, queue, timeoutMs);
  const session = await new AuthClient(requester, version).authorise('dev-1', 'secret').catch((error: unknown) => error);
  let verdict: unknown;
  try {
    responder.expectAnswered();
  } catch (error) {
    verdict = error;
  }
  await setup.deleteQueue(queue).catch(() => undefined);
  await setup.close();
  return { session, verdict, requests: responder.requests() };
}

describe('Herald answers the push client on RabbitMQ', () => {
  it("answers the client's direct reply-to request with the contract's reply and its correlation id", async () => {
    const { session, verdict, requests } = await ask('2.4', 10_000);
    expect(session).toEqual({ deviceId: 'dev-1', sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(verdict).toBeUndefined();
    expect(requests.map((r) => [r.answered, r.message.properties['replyTo']])).toEqual([[true, expect.stringMatching(/^amq\.rabbitmq\.reply-to\./)]]);
  });

  it('does not answer a request whose client-version breaks the contract, and says so', async () => {
    const { session, verdict } = await ask('latest', 2_000);
    expect(session).toBeInstanceOf(Error);
    expect(isHeraldError(verdict) && verdict.code).toBe('HERALD_REQUEST_MISMATCH');
    expect(isHeraldError(verdict) && verdict.message).toContain('client-version');
  });
});
