/** The push server's push service: sends a text to a device's session on the `push.out` topic exchange. */
import type * as Amqp from 'amqplib';

export const PUSH_EXCHANGE = 'push.out';

export interface Push {
  readonly routingKey: string;
  readonly headers: { readonly 'session-id': string };
  readonly payload: { readonly text: string };
}

export class PushService {
  /** The domain logic: a push for a device goes to its routing key, tagged with the session it belongs to. */
  push(deviceId: string, sessionId: string, text: string): Push {
    return { routingKey: `device.${deviceId}`, headers: { 'session-id': sessionId }, payload: { text } };
  }
}

/** Publishes a push on RabbitMQ (the exchange is declared as a topic exchange). */
export async function publishPush(channel: Amqp.Channel, push: Push): Promise<void> {
  await channel.assertExchange(PUSH_EXCHANGE, 'topic', { durable: false });
  channel.publish(PUSH_EXCHANGE, push.routingKey, Buffer.from(JSON.stringify(push.payload)), { contentType: 'application/json', headers: push.headers });
}
