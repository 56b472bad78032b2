/**
 * The push client's declarations, one source for every test of examples/push: the authorised push
 * flow (authorise on the `push.auth` queue by RabbitMQ RPC, then a push on `push.out` carrying the
 * session id of the authorise reply). Its consumer test runs the flow and writes the contract; the
 * push server's tests type their reply factory and triggers from its steps.
 */
import { amqpExchange, amqpQueue, consumer, m } from 'herald';

const pair = consumer('push-client').expectsFrom('push-server');

export const authorisedPush = pair.flow('authorised push', (f) =>
  f
    .step('authorise', () =>
      pair
        .request('an authorise request')
        .given('a device is registered', { deviceId: 'dev-1' })
        .on(amqpQueue('push.auth'))
        .replyVia({ address: 'amq.rabbitmq.reply-to' })
        .withHeaders({ 'client-version': m.regex(/^\d+\.\d+$/, '2.4') })
        .withPayload({ deviceId: m.string('dev-1'), token: m.string('secret') })
        .withReply({ sessionId: m.uuid('6f1c2f2e-1b1a-4c1e-9a4e-1c2b3a4d5e6f'), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } }),
    )
    .step('push', (from) =>
      pair
        .message('a push for the session')
        .given('a push is waiting for the device', { deviceId: 'dev-1', text: 'hello' })
        .on(amqpExchange('push.out', 'device.dev-1', { type: 'topic' }))
        .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
        .withPayload({ text: m.string('hello') }),
    ),
);

/** The flow's authorise step, as the contract holds it. */
export const authorise = authorisedPush.declarationOf('authorise');

/** The flow's push step, as the contract holds it. */
export const push = authorisedPush.declarationOf('push');
