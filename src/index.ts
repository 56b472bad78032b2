/**
 * Herald: contract testing for asynchronous messages over Kafka and AMQP.
 * Consumers declare messages (consumer DSL + matchers `m`), their handlers run against generated
 * examples, and Pact V4 contract files come out; providers verify those files.
 */
export { consumer } from './dsl/consumer';
export type { Consumer, Pair } from './dsl/consumer';
export type { MessageBuilder, MessageExpectation, HeaderTemplates, PropertyTemplates } from './dsl/message';
export type { RequestBuilder, RequestDeclared, RequestReplyExpectation, ReplyingDouble, ReplyRoute, ReplyDetails, SentRequest } from './dsl/request';
export type { ReceivedMessage, MessageHandler } from './dsl/received';
export { writeContracts, defaultContractsDir } from './dsl/session';
export { m } from './matchers/index';
export type { Matcher, Template, Infer } from './matchers/index';
export { kafkaTopic, amqpExchange, amqpQueue, channel, channelMetadata, channelFromMetadata, headersOf, isKafkaChannel, isAmqpChannel, META, AMQP_PROPERTY_KEYS } from './contract/channel';
export type * from './contract/model';
export type { JsonValue, JsonObject, JsonPrimitive } from './contract/json';
export { serializeContract } from './contract/serialize';
export { contractFilePath } from './contract/store';
export { HeraldError, isHeraldError, hasErrorCode, errorCatalogue } from './errors/index';
export type { ErrorCode, HeraldErrorContext } from './errors/index';
export type { Mismatch, MismatchCode } from './matching/mismatch';
export * from './verify/index';
export { loadContracts, loadContractsSync, readContractFile, readContractFileSync, findContractFiles } from './contract/load';
export { parseContract } from './contract/reader';
export { matchMessage, matchBody, matchMetadata, formatMismatches } from './matching/index';
export type { ActualMessage } from './matching/engine';
export type * from './transport/types';
// Transports: the in-memory adapter, decoding captured messages for matching (types: ./transport/types above).
export { InMemoryTransport, InMemoryBroker } from './transport/memory';
export type { InMemoryTransportOptions, InMemoryBrokerOptions } from './transport/memory';
export { toActualMessage, matchCaptured } from './transport/decode';
export type { DecodedMessage } from './transport/decode';
export { describeChannel } from './transport/describe';
// For adapter authors (herald/kafka, herald/amqp and third-party adapters).
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
// Avro payloads and schema registries (docs/avro.md).
export * from './avro/index';
export type { AvroPayloadOptions } from './avro/dsl';
export * from './schema-registry/index';
// Bi-directional checks (docs/bidirectional.md): field usage, contracts against a provider's spec, breaking changes, AsyncAPI export.
export { usageOf, unusedFields } from './usage/usage';
export type { FieldUsage, UnusedFields } from './usage/usage';
export type { VerifyHandlerOptions, UsageReport } from './usage/hook';
export { loadSpec, parseSpec } from './asyncapi/load';
export type { Spec, SpecMessage, SpecChannel, SpecKind, SpecAction } from './asyncapi/model';
export { compareContracts, compareInteraction } from './compare/compare';
export type { CompareOptions, CompareResult, CompareStatus, ComparisonReport, ComparisonSummary } from './compare/compare';
export type { Finding, FindingCode, Severity } from './compare/findings';
export { diffSpecs } from './compare/diff';
export type { DiffReport, DiffOptions, DiffSummary, SpecChange, ChangeKind, Classification, AffectedInteraction } from './compare/diff';
export { contractsToAsyncApi } from './asyncapi/export';
export type { AsyncApiExportOptions } from './asyncapi/export';
export { renderCompareReport, renderDiffReport } from './compare/report';
export type { CompareReporterName, RenderOptions } from './compare/report';
