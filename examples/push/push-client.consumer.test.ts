/**
 * The push client authorises a device with the push server over RabbitMQ RPC (request on the
 * `push.auth` queue, reply by direct reply-to), then receives pushes for that session on the
 * `push.out` exchange: one flow, whose push carries the session id of the authorise reply.
 * Writes contracts/push-client-push-server.json.
 */
import { amqpExchange, amqpQueue, consumer, m } from 'herald';
import { AuthClient } from './src/auth-client';

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

describe('push client: authorise, then receive pushes for the session', () => {
  it('opens a session from the authorise reply and accepts the push for it', async () => {
    let client: AuthClient | undefined;
    let shown = '';
    const values = await authorisedPush.verify({
      authorise: async (double) => {
        client = new AuthClient(double);
        const session = await client.authorise('dev-1', 'secret');
        expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      },
      // The same client receives the push: it carries the session id the authorise reply gave.
      push: (push) => {
        if (client === undefined) throw new Error('the push arrived before authorisation');
        shown = client.onPush(push);
      },
    });
    expect(shown).toBe('hello');
    expect(values.push.headers['session-id']).toBe(values.authorise.reply.payload.sessionId);
  });
});
