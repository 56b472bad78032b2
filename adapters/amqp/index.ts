/**
 * herald/amqp: the AMQP 0-9-1 (RabbitMQ) transport adapter and RabbitMQ brokers for tests.
 * Needs the optional peers amqplib (transport) and testcontainers (brokers), loaded on first use.
 */
export { AmqpTransport, capturedFromAmqp, loadAmqplib } from './transport';
export type { AmqpTransportOptions, ExchangeOptions, AmqpStartedCapture, AmqpStartedSubscription } from './transport';
export { RabbitMqBrokerContainer, startRabbitMqBroker, DEFAULT_RABBITMQ_IMAGE } from './broker';
export type { StartedRabbitMqBroker, StartRabbitMqBrokerOptions } from './broker';
export { redactUrl } from './errors';
export { AmqpRequestReplyClient, DIRECT_REPLY_TO } from './reply';
export type { AmqpRequestReplyClientOptions } from './reply';
