/**
 * Which Kafka client Herald's transport uses: kafkajs (the default) or @platformatic/kafka.
 * Chosen with `createKafkaTransport({ client })`, `HERALD_KAFKA_CLIENT`, or the CLI's
 * `--kafka-client`; an unknown name is HERALD_USAGE listing the choices.
 */
import { HeraldError } from 'herald';
import { KafkaTransport, type KafkaTransportOptions, type KafkaStartedCapture, type KafkaStartedSubscription } from './transport';
import type { PlatformaticKafkaTransport, PlatformaticKafkaTransportOptions } from '../platformatic-kafka/transport';

export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/**
 * The client named by `value` (else HERALD_KAFKA_CLIENT, else kafkajs). `source` names where the
 * value came from, for the error.
 */
export function kafkaClientName(value: string | undefined = process.env['HERALD_KAFKA_CLIENT'], source = 'HERALD_KAFKA_CLIENT'): KafkaClientName {
  const name = value?.trim() ?? '';
  if (name === '') return 'kafkajs';
  if ((KAFKA_CLIENTS as readonly string[]).includes(name)) return name as KafkaClientName;
  throw new HeraldError('HERALD_USAGE', `Unknown Kafka client ${JSON.stringify(name)} in ${source}: use ${KAFKA_CLIENTS.join(' or ')}.`);
}

/** What both Kafka transports offer, whichever client runs underneath. */
export type AnyKafkaTransport = KafkaTransport | PlatformaticKafkaTransport;
export type { KafkaStartedCapture, KafkaStartedSubscription };

export type CreateKafkaTransportOptions = KafkaTransportOptions &
  Omit<PlatformaticKafkaTransportOptions, keyof KafkaTransportOptions> & {
    /** The client (default: HERALD_KAFKA_CLIENT, else kafkajs). */
    readonly client?: KafkaClientName;
  };

/**
 * A Kafka transport on the chosen client.
 *
 * @example
 * await using broker = await startKafkaBroker();
 * await using transport = createKafkaTransport({ brokers: broker.brokers, client: 'platformatic' });
 */
export function createKafkaTransport(options: CreateKafkaTransportOptions): AnyKafkaTransport {
  const { client, ...rest } = options;
  const name = client === undefined ? kafkaClientName() : kafkaClientName(client, 'the client option');
  if (name === 'kafkajs') return new KafkaTransport(rest);
  // Required here so herald/kafka never loads the other adapter unless asked to (it loads its peer lazily, too).
  const { PlatformaticKafkaTransport: Platformatic } = require('../platformatic-kafka/transport') as typeof import('../platformatic-kafka/transport');
  const { kafka: _kafkajsOnly, logLevel: _logLevel, loadKafkajs: _loader, ...shared } = rest;
  return new Platformatic(shared);
}
