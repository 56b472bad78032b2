/**
 * herald/adapter-kit: what an adapter author needs (herald/kafka, herald/amqp and third-party
 * adapters): the transport contract, the capture / subscription lifecycle, connection state,
 * transport errors, routing and wire helpers. The compliance suite is `herald/compliance`.
 */
export type { HeaderValue, OutgoingMessage, CapturedMessage, NextOptions, DrainOptions, StartedCapture, Delivery, StartedSubscription, DeliveryHandler, TransportAdapter } from './transport/types';
export { BufferedCapture, HandlerSubscription, DEFAULT_NEXT_TIMEOUT_MS } from './transport/started';
export type { StartedOptions } from './transport/started';
export { OpenOnce } from './transport/open-once';
export { BrokerTransport, bounded } from './transport/broker-transport';
export type { BrokerTransportOptions, BeginOptions, StartedLifecycle } from './transport/broker-transport';
export { ConnectionState } from './transport/connection-state';
export type { ConnectionLostListener } from './transport/connection-state';
export { transportError, closedError, timeoutError, reasonOf, isTransportError, TRANSPORT_RETRIABLE } from './transport/errors';
export type { TransportErrorCode, TransportErrorOptions } from './transport/errors';
export { loadPeer } from './transport/peer';
export { topicMatches, isTopicPattern, headersMatch, bindingMatches, murmur2, partitionForKey } from './transport/routing';
export { kafkaHeaderBytes, kafkaContentType, kafkaHeadersOf, amqpPropertiesOf, capturedAmqpChannel, amqpQueueName } from './transport/wire';
export { toActualMessage, matchCaptured } from './transport/decode';
export type { DecodedMessage } from './transport/decode';
export { describeChannel } from './transport/describe';
export { channelMetadata, channelFromMetadata, headersOf, META, AMQP_PROPERTY_KEYS } from './contract/channel';
