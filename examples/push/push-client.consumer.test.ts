/**
 * The push client authorises a device with the push server over RabbitMQ RPC (request on the
 * `push.auth` queue, reply by direct reply-to). Writes contracts/push-client-push-server.json.
 */
import { amqpQueue, consumer, m } from 'herald';
import { AuthClient } from './src/auth-client';

export const authorise = consumer('push-client')
  .expectsFrom('push-server')
  .request('an authorise request')
  .given('a device is registered', { deviceId: 'dev-1' })
  .on(amqpQueue('push.auth'))
  .replyVia({ address: 'amq.rabbitmq.reply-to' })
  .withHeaders({ 'client-version': m.regex(/^\d+\.\d+$/, '2.4') })
  .withPayload({ deviceId: m.string('dev-1'), token: m.string('secret') })
  .withReply({ sessionId: m.uuid('6f1c2f2e-1b1a-4c1e-9a4e-1c2b3a4d5e6f'), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } });

describe('push client authorises with the push server', () => {
  it('opens a session from the authorise reply', async () => {
    const reply = await authorise.verify(async (double) => {
      const session = await new AuthClient(double).authorise('dev-1', 'secret');
      expect(session.deviceId).toBe('dev-1');
      expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect(reply.payload.ok).toBe(true);
  });
});
