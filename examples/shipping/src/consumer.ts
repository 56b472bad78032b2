/**
 * Shipping's Kafka consumer: subscribes to the orders topic in its consumer group, dispatches on
 * the `event-type` header and plans a shipment for each OrderPlaced (handleOrderPlaced). A record
 * it cannot handle is reported (onProcessed) and skipped, so one bad record does not stop the
 * service; OrderCancelled and unknown event types are acknowledged without work.
 */
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { handleOrderPlaced, type OrderPlaced, type ShipmentRepository } from './shipments';

/** A record as the consumer saw it, for observability hooks. */
export interface ProcessedRecord {
  readonly topic: string;
  readonly key: string | undefined;
  readonly headers: IHeaders;
}

export interface ShippingConsumerConfig {
  readonly brokers: readonly string[];
  /** Default `orders.v1`. */
  readonly topic?: string;
  /** Default `shipping`. */
  readonly groupId?: string;
  readonly repository: ShipmentRepository;
  /** Observability hook, called once per record: `error` is set when handling failed. */
  readonly onProcessed?: (record: ProcessedRecord, error?: unknown) => void;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

const text = (value: IHeaders[string]): string | undefined => {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : last.toString();
};

/**
 * Starts the consumer; resolves once it has joined its group (it receives from then on). A new
 * group reads the topic from its beginning: shipping must not miss orders placed before its first
 * deployment.
 */
export async function startShippingConsumer(config: ShippingConsumerConfig): Promise<RunningConsumer> {
  const kafka = new Kafka({ clientId: 'shipping', brokers: [...config.brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: config.groupId ?? 'shipping', sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200 });
  let joined: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (joined = resolve));
  const off = consumer.on(consumer.events.GROUP_JOIN, () => joined());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [config.topic ?? 'orders.v1'], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const record: ProcessedRecord = { topic, key: message.key?.toString(), headers: message.headers ?? {} };
        try {
          const type = text(record.headers['event-type']);
          if (type === 'OrderPlaced') {
            const event: OrderPlaced = JSON.parse(message.value?.toString('utf8') ?? 'null');
            await handleOrderPlaced(event, text(record.headers['trace-id']) ?? '', config.repository);
          }
        } catch (error) {
          config.onProcessed?.(record, error);
          return;
        }
        config.onProcessed?.(record);
      },
    });
    await ready;
  } catch (error) {
    off();
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  off();
  return { stop: () => consumer.disconnect() };
}
