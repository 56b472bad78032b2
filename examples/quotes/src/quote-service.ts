/** The quote service: prices a quantity of a product, and answers quote requests on Kafka (Spring's reply headers). */
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';

export interface QuoteRequest {
  readonly sku: string;
  readonly quantity: number;
}

export interface Quote {
  readonly sku: string;
  readonly quantity: number;
  readonly total: number;
  readonly currency: string;
}

/** Reads a request off the wire, refusing one that is not a quote request. */
export function parseQuoteRequest(text: string): QuoteRequest {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null && 'sku' in value && 'quantity' in value) {
    const { sku, quantity } = value;
    if (typeof sku === 'string' && typeof quantity === 'number') return { sku, quantity };
  }
  throw new Error(`not a quote request: ${text.slice(0, 200)}`);
}

const PRICES: Readonly<Record<string, number>> = { 'sku-1': 9.95, 'sku-2': 4.5 };

export class QuoteService {
  /** The domain logic: unit price times quantity, in euros; an unknown product costs nothing. */
  quote(request: QuoteRequest): Quote {
    const unit = PRICES[request.sku] ?? 0;
    return { sku: request.sku, quantity: request.quantity, total: Math.round(unit * request.quantity * 100) / 100, currency: 'EUR' };
  }
}

export interface ServeOptions {
  readonly brokers: readonly string[];
  readonly requests: string;
  /** Copy kafka_correlationId into the reply (default true; false is the defect the container test shows). */
  readonly echoCorrelationId?: boolean;
}

/**
 * Serves `service` on the requests topic like a Spring `@KafkaListener` + `@SendTo`: each reply goes
 * to the topic in the request's `kafka_replyTopic` header, with its `kafka_correlationId` copied.
 */
export async function serveOnKafka(service: QuoteService, options: ServeOptions): Promise<{ stop(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'quote-service', brokers: [...options.brokers], logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer();
  const consumer: Consumer = kafka.consumer({ groupId: `quote-service-${Date.now()}-${Math.random().toString(16).slice(2)}`, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [options.requests], fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const replyTopic = message.headers?.['kafka_replyTopic']?.toString();
      if (replyTopic === undefined) return;
      const request = parseQuoteRequest(message.value?.toString('utf8') ?? '');
      const correlation = message.headers?.['kafka_correlationId'];
      const headers: Record<string, Buffer | string> = { 'content-type': 'application/json' };
      if (options.echoCorrelationId !== false && correlation !== undefined) headers['kafka_correlationId'] = Buffer.isBuffer(correlation) ? correlation : String(correlation);
      await producer.send({ topic: replyTopic, messages: [{ key: message.key, value: JSON.stringify(service.quote(request)), headers }] });
    },
  });
  await joined;
  return {
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
