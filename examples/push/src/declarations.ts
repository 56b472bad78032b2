/**
 * The push client's request/reply declarations, shared by its consumer test (which writes the
 * contract) and the push server's provider test (whose reply factory takes its request type from here).
 */
import { amqpQueue, consumer, m } from 'herald';

export const authorise = consumer('push-client')
  .expectsFrom('push-server')
  .request('an authorise request')
  .given('a device is registered', { deviceId: 'dev-1' })
  .on(amqpQueue('push.auth'))
  .replyVia({ address: 'amq.rabbitmq.reply-to' })
  .withHeaders({ 'client-version': m.regex(/^\d+\.\d+$/, '2.4') })
  .withPayload({ deviceId: m.string('dev-1'), token: m.string('secret') })
  .withReply({ sessionId: m.uuid('6f1c2f2e-1b1a-4c1e-9a4e-1c2b3a4d5e6f'), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } });
