/** The push server's authorisation service: answers authorise requests on an AMQP queue (RPC). */
import { randomUUID } from 'node:crypto';
import type * as Amqp from 'amqplib';

export interface AuthoriseRequest {
  readonly deviceId: string;
  readonly token: string;
}

export interface AuthoriseReply {
  readonly sessionId: string;
  readonly ok: boolean;
}

export class AuthService {
  private readonly devices = new Set<string>();

  register(deviceId: string): void {
    this.devices.add(deviceId);
  }

  unregister(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  /** The domain logic: a registered device with a token gets a session. */
  authorise(request: AuthoriseRequest): AuthoriseReply {
    const ok = this.devices.has(request.deviceId) && request.token.length > 0;
    return { sessionId: ok ? randomUUID() : '00000000-0000-0000-0000-000000000000', ok };
  }
}

/** Serves `service` on `queue`, answering to each request's reply_to with its correlation_id. */
export async function serveOnAmqp(channel: Amqp.Channel, queue: string, service: AuthService, options: { readonly echoCorrelationId?: boolean } = {}): Promise<void> {
  await channel.assertQueue(queue, { durable: false });
  await channel.consume(queue, (msg) => {
    if (msg === null) return;
    channel.ack(msg);
    const reply = service.authorise(JSON.parse(msg.content.toString('utf8')) as AuthoriseRequest);
    const correlation = options.echoCorrelationId === false ? {} : { correlationId: String(msg.properties.correlationId) };
    channel.sendToQueue(String(msg.properties.replyTo), Buffer.from(JSON.stringify(reply)), { contentType: 'application/json', headers: { 'session-kind': 'device' }, ...correlation });
  });
}
