/**
 * The orders service's Kafka publisher: one record per domain event, JSON value, the order id as
 * key (so an order's events stay in order on one partition), headers for tracing and the event
 * type. The topic comes from configuration (ORDERS_TOPIC by default), as in production.
 */
import { Kafka, logLevel, Partitioners, type Message, type Producer } from 'kafkajs';
import type { OrderRecord } from './events';

/** What the service's use cases publish through (placeOrder, cancelOrder). */
export interface EventPublisher {
  publish<T>(record: OrderRecord<T>): Promise<void>;
}

export interface PublisherConfig {
  readonly brokers: readonly string[];
  /** Overrides the records' topic (configuration per environment). */
  readonly topic?: string;
  readonly clientId?: string;
}

export class OrderEventsPublisher implements EventPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topic?: string,
  ) {}

  /** Connects a producer (acks from all in-sync replicas, idempotent sends). */
  static async connect(config: PublisherConfig): Promise<OrderEventsPublisher> {
    const kafka = new Kafka({ clientId: config.clientId ?? 'orders', brokers: [...config.brokers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    return new OrderEventsPublisher(producer, config.topic);
  }

  async publish<T>(record: OrderRecord<T>): Promise<void> {
    await this.producer.send({ topic: this.topic ?? record.topic, acks: -1, messages: [this.toKafkaMessage(record)] });
  }

  /** The Kafka message for a record. */
  protected toKafkaMessage<T>(record: OrderRecord<T>): Message {
    return { key: record.key, value: JSON.stringify(record.value), headers: { ...record.headers, 'content-type': 'application/json' } };
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
