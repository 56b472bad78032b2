/**
 * Where the broker is, as the code under test needs it: producers and consumers configure their
 * own clients (kafkajs, amqplib) from this, never from Herald's transport. Plain data, so a
 * started broker (`startKafkaBroker()`'s `{ brokers }`, `startRabbitMqBroker()`'s `{ url }`) is one.
 */
import { HeraldError } from '../../errors/herald-error';

/** Kafka bootstrap brokers, e.g. `{ brokers: ['localhost:9092'] }` or a StartedKafkaBroker. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
}

/** An AMQP URL with credentials, e.g. `{ url: 'amqp://guest:guest@localhost:5672' }` or a StartedRabbitMqBroker. */
export interface AmqpConnection {
  readonly url: string;
}

export type BrokerConnection = KafkaConnection | AmqpConnection;

/** What the code under test may connect to, with accessors that explain a wrong set-up. */
export interface ConnectionDetails {
  /** The transport's name ('kafka', 'amqp', 'memory'…). */
  readonly transportName: string;
  /** The connection given to the verification, if any (none for the in-memory transport). */
  readonly connection: BrokerConnection | undefined;
  /** Kafka bootstrap brokers; throws HERALD_USAGE when the run has none (pass `connection: broker`). */
  kafkaBrokers(): readonly string[];
  /** The AMQP URL; throws HERALD_USAGE when the run has none (pass `connection: broker`). */
  amqpUrl(): string;
}

export function isKafkaConnection(c: BrokerConnection | undefined): c is KafkaConnection {
  return typeof c === 'object' && c !== null && Array.isArray((c as { brokers?: unknown }).brokers);
}

export function isAmqpConnection(c: BrokerConnection | undefined): c is AmqpConnection {
  return typeof c === 'object' && c !== null && typeof (c as { url?: unknown }).url === 'string';
}

/** Connection accessors for contexts handed to triggers and consumers. */
export function connectionDetails(transportName: string, connection: BrokerConnection | undefined, who: string): ConnectionDetails {
  const missing = (what: string, option: string): HeraldError =>
    new HeraldError(
      'HERALD_USAGE',
      `Failed to give ${who} the ${what}: the verification runs on the ${transportName} transport without ${option}. Pass { connection: broker } (a started broker, or ${option}) to the verification, or --brokers / --amqp-url to herald verify.`,
    );
  return {
    transportName,
    connection,
    kafkaBrokers: () => {
      if (isKafkaConnection(connection)) return connection.brokers;
      throw missing('Kafka brokers', '{ brokers: [...] }');
    },
    amqpUrl: () => {
      if (isAmqpConnection(connection)) return connection.url;
      throw missing('AMQP URL', '{ url }');
    },
  };
}
