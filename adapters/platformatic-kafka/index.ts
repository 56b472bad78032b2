/**
 * herald/platformatic-kafka: the Kafka transport adapter on @platformatic/kafka (pure
 * JavaScript), with the same behaviour and error codes as herald/kafka's kafkajs one. Needs the
 * optional peer @platformatic/kafka (1.x on Node ≥ 20.19), loaded on first use; brokers for tests
 * come from herald/kafka (`startKafkaBroker`).
 */
export { PlatformaticKafkaTransport } from './transport';
export { capturedFromPlatformatic, loadPlatformaticKafka, PLATFORMATIC_KAFKA_PEER } from './lib';
export type { PlatformaticKafkaTransportOptions, PlatformaticKafkaStartedCapture, PlatformaticKafkaStartedSubscription } from './transport';
