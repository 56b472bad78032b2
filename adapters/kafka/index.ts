/**
 * herald/kafka: the Kafka transport adapter and Kafka brokers for tests.
 * Needs the optional peers kafkajs (transport) and testcontainers (brokers), loaded on first use.
 */
export { KafkaTransport, capturedFromKafka, loadKafkajs } from './transport';
export type { KafkaTransportOptions, KafkaStartedCapture, KafkaStartedSubscription, KafkaLogLevel } from './transport';
export { KafkaBrokerContainer, startKafkaBroker, DEFAULT_KAFKA_IMAGE } from './broker';
export type { StartedKafkaBroker, StartKafkaBrokerOptions } from './broker';
export { createKafkaTransport, kafkaClientName, KAFKA_CLIENTS } from './client';
export type { KafkaClientName, AnyKafkaTransport, CreateKafkaTransportOptions } from './client';
