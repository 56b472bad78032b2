/**
 * Herald: contract testing for asynchronous messages over Kafka and AMQP.
 * Consumers declare messages (consumer DSL + matchers `m`), their handlers run against generated
 * examples, and Pact V4 contract files come out; providers verify those files.
 */
export { consumer } from './dsl/consumer';
export type { Consumer, Pair } from './dsl/consumer';
export type { MessageBuilder, MessageExpectation, HeaderTemplates, PropertyTemplates } from './dsl/message';
export type { ReceivedMessage, MessageHandler } from './dsl/received';
export { writeContracts, defaultContractsDir } from './dsl/session';
export { m } from './matchers/index';
export type { Matcher, Template, Infer } from './matchers/index';
export { kafkaTopic, amqpExchange, amqpQueue, channel, channelMetadata, channelFromMetadata, headersOf, META, AMQP_PROPERTY_KEYS } from './contract/channel';
export type * from './contract/model';
export type { JsonValue, JsonObject, JsonPrimitive } from './contract/json';
export { serializeContract } from './contract/serialize';
export { contractFilePath } from './contract/store';
export { HeraldError, isHeraldError, hasErrorCode, errorCatalogue } from './errors/index';
export type { ErrorCode, HeraldErrorContext } from './errors/index';
export type { Mismatch, MismatchCode } from './matching/mismatch';
