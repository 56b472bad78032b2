/** The push client's production requester: RabbitMQ RPC with direct reply-to, on amqplib. */
import { randomUUID } from 'node:crypto';
import type * as Amqp from 'amqplib';
import type { JsonValue } from 'herald';
import type { Requester } from './auth-client';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** What the client reads of an authorise reply. */
export interface AuthoriseReplyRead {
  readonly sessionId: string;
  readonly ok: boolean;
}

/** Reads a reply off the wire, refusing one that is not an authorise reply. */
export function parseAuthoriseReply(text: string): AuthoriseReplyRead {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null && 'sessionId' in value && 'ok' in value) {
    const { sessionId, ok } = value;
    if (typeof sessionId === 'string' && typeof ok === 'boolean') return { sessionId, ok };
  }
  throw new Error(`the reply is not an authorise reply: ${text.slice(0, 200)}`);
}

export class AmqpRequester implements Requester {
  private readonly pending = new Map<string, (reply: { payload: AuthoriseReplyRead }) => void>();

  private constructor(
    private readonly channel: Amqp.Channel,
    private readonly queue: string,
    private readonly timeoutMs: number,
  ) {}

  /** Opens a channel consuming direct reply-to (no-ack, before any request, as RabbitMQ requires). */
  static async connect(connection: Amqp.ChannelModel, queue: string, timeoutMs = 15_000): Promise<AmqpRequester> {
    const requester = new AmqpRequester(await connection.createChannel(), queue, timeoutMs);
    await requester.channel.consume(
      DIRECT_REPLY_TO,
      (msg) => {
        if (msg === null) return;
        const id = msg.properties.correlationId === undefined ? undefined : String(msg.properties.correlationId);
        const resolve = id === undefined ? undefined : requester.pending.get(id);
        if (id === undefined || resolve === undefined) return;
        requester.pending.delete(id);
        resolve({ payload: parseAuthoriseReply(msg.content.toString('utf8')) });
      },
      { noAck: true },
    );
    return requester;
  }

  request(sent: { payload: unknown; headers?: Readonly<Record<string, JsonValue>> }): Promise<{ payload: AuthoriseReplyRead }> {
    const id = randomUUID();
    const reply = new Promise<{ payload: AuthoriseReplyRead }>((resolve, reject) => {
      this.pending.set(id, resolve);
      setTimeout(() => reject(new Error(`no reply to authorise request ${id} within ${this.timeoutMs} ms`)), this.timeoutMs).unref();
    });
    this.channel.sendToQueue(this.queue, Buffer.from(JSON.stringify(sent.payload)), { contentType: 'application/json', headers: { ...sent.headers }, replyTo: DIRECT_REPLY_TO, correlationId: id });
    return reply;
  }
}
