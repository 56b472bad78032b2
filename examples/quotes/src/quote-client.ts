/** The quote client: asks the quote service for a price, over whatever answers requests. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { JsonValue } from 'herald';

/** What the client needs from its broker connection (KafkaRequester in production, Herald's replying double in tests). */
export interface Requester {
  request(sent: QuoteRequestSent): Promise<{ readonly payload: QuoteReply }>;
}

export interface QuoteRequestSent {
  readonly payload: unknown;
  readonly key?: JsonValue;
  readonly headers?: Readonly<Record<string, JsonValue>>;
}

/** What the client reads of a reply. */
export interface QuoteReply {
  readonly sku: string;
  readonly total: number;
  readonly currency: string;
}

/** Reads a reply off the wire, refusing one that is not a quote. */
export function parseQuoteReply(text: string): QuoteReply {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null && 'sku' in value && 'total' in value && 'currency' in value) {
    const { sku, total, currency } = value;
    if (typeof sku === 'string' && typeof total === 'number' && typeof currency === 'string') return { sku, total, currency };
  }
  throw new Error(`the reply is not a quote: ${text.slice(0, 200)}`);
}

export class QuoteClient {
  constructor(
    private readonly requester: Requester,
    private readonly clientId = 'web-shop',
  ) {}

  /** The price of `quantity` items of `sku`, formatted for the basket. */
  async price(sku: string, quantity: number): Promise<string> {
    const reply = await this.requester.request({ payload: { sku, quantity }, key: sku, headers: { 'client-id': this.clientId } });
    return `${reply.payload.total.toFixed(2)} ${reply.payload.currency}`;
  }
}

/**
 * The production requester, on kafkajs, as Spring's ReplyingKafkaTemplate does it: a request with
 * kafka_replyTopic and kafka_correlationId, the reply taken from the reply topic by its correlation id.
 */
export class KafkaRequester implements Requester {
  private readonly pending = new Map<string, (reply: { payload: QuoteReply }) => void>();
  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly topics: { readonly requests: string; readonly replies: string },
    private readonly timeoutMs: number,
  ) {}

  static async connect(brokers: readonly string[], topics: { readonly requests: string; readonly replies: string }, timeoutMs = 15_000): Promise<KafkaRequester> {
    const kafka = new Kafka({ clientId: 'quote-client', brokers: [...brokers], logLevel: logLevel.NOTHING });
    const requester = new KafkaRequester(kafka.producer(), kafka.consumer({ groupId: `quote-client-${randomUUID()}`, maxWaitTimeInMs: 100 }), topics, timeoutMs);
    await requester.producer.connect();
    await requester.consumer.connect();
    await requester.consumer.subscribe({ topics: [topics.replies], fromBeginning: false });
    const joined = new Promise<void>((resolve) => requester.consumer.on(requester.consumer.events.GROUP_JOIN, () => resolve()));
    await requester.consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.headers?.['kafka_correlationId']?.toString();
        if (id === undefined) return;
        const resolve = requester.pending.get(id);
        if (resolve === undefined) return;
        requester.pending.delete(id);
        resolve({ payload: parseQuoteReply(message.value?.toString('utf8') ?? '') });
      },
    });
    await joined;
    return requester;
  }

  request(sent: QuoteRequestSent): Promise<{ payload: QuoteReply }> {
    const id = randomUUID();
    const reply = new Promise<{ payload: QuoteReply }>((resolve, reject) => {
      this.pending.set(id, resolve);
      setTimeout(() => reject(new Error(`no reply to quote request ${id} within ${this.timeoutMs} ms`)), this.timeoutMs).unref();
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', kafka_replyTopic: this.topics.replies, kafka_correlationId: id };
    for (const [name, value] of Object.entries(sent.headers ?? {})) headers[name] = String(value);
    return this.producer.send({ topic: this.topics.requests, messages: [{ key: sent.key === undefined ? null : String(sent.key), value: JSON.stringify(sent.payload), headers }] }).then(() => reply);
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}
