/**
 * Herald: contract testing for asynchronous messages over Kafka and AMQP.
 * Consumers declare messages (consumer DSL + matchers `m`), their handlers run against generated
 * examples, and Pact V4 contract files come out; providers verify those files.
 *
 * Named exports only: what a consumer or provider team uses. Helpers for adapter authors are in
 * `herald/adapter-kit`, Avro and schema registries in `herald/avro`, usage / compare / diff /
 * AsyncAPI in `herald/bidirectional`. test/unit/entries.test.ts snapshots every entry's names.
 */
// Consumer side: the DSL, matchers and contract files.
export { consumer } from './dsl/consumer';
export type { Consumer, Pair } from './dsl/consumer';
export type { MessageBuilder, MessageExpectation, HeaderTemplates, PropertyTemplates } from './dsl/message';
export type { RequestBuilder, RequestDeclared, RequestReplyExpectation, ReplyingDouble, ReplyRoute, ReplyDetails, SentRequest } from './dsl/request';
export type { ReceivedMessage, MessageHandler } from './contract/received';
export type { FlowBuilder, FlowDeclaration, FlowValues, Bind, StepDeclaration, StepValues, StepHandler, MessageValues, ExchangeValues } from './dsl/flow';
export { writeContracts, defaultContractsDir } from './dsl/session';
export { m } from './matchers/index';
export type { Matcher, Template, Infer } from './matchers/index';
// Channels and the contract model.
export { kafkaTopic, amqpExchange, amqpQueue, channel, isKafkaChannel, isAmqpChannel } from './contract/channel';
export type {
  Contract,
  MessageInteraction,
  MessageContents,
  ProviderState,
  Channel,
  KafkaChannel,
  AmqpChannel,
  AmqpExchangeType,
  CustomChannel,
  HeraldInteractionBlock,
  RuleMap,
  RuleList,
  RuleJson,
  GeneratorMap,
  GeneratorJson,
} from './contract/model';
export type { JsonValue, JsonObject, JsonPrimitive } from './contract/json';
export { loadContracts, loadContractsSync, readContractFile, readContractFileSync, findContractFiles } from './contract/load';
export { parseContract } from './contract/reader';
export { serializeContract } from './contract/serialize';
export { contractFilePath } from './contract/store';
// Provider side: factories, verification (in memory and on real brokers), consumer verification.
export { provider, message } from './verify/index';
export type { ProviderDefinition, StateHandler, StateLifecycle, MessageFactory, FactoryContext, MessageDetails, ProducedMessage } from './verify/index';
export { verifyProvider } from './verify/index';
export type { VerifyOptions, InteractionResult, InteractionStatus, VerificationReport, VerificationSummary } from './verify/index';
export { providerTriggers, verifyProviderOnBroker } from './verify/index';
export type { Trigger, TriggerContext, TriggerDefinition, TriggerFields, BrokerConnection, KafkaConnection, AmqpConnection, BrokerVerifyOptions, BrokerVerificationReport } from './verify/index';
export { verifyConsumerOnBroker, formatConsumerReport } from './verify/index';
export type { ConsumerContext, ConsumerHandle, ConsumerUnderTest, ConsumerVerifyOptions, Probe, ProbeOption, ConsumerVerificationReport, ConsumerInteractionResult } from './verify/index';
export { verifySyncInteraction, requestOf, verifyRepliesOnBroker } from './verify/index';
export type { ReplyFactory, ReceivedRequest, RequestReplyClient, BrokerRequest, BrokerReply, ReplyRouteJson, VerifyRepliesOnBrokerOptions, ReplyingProvider } from './verify/index';
export { verifyFlowsOnBroker } from './verify/index';
export type { FlowProvider, FlowTrigger, VerifyFlowsOnBrokerOptions } from './verify/index';
export { KafkaRequestReplyClient, SPRING_REPLY_TOPIC_HEADER, SPRING_CORRELATION_HEADER, answerRequestsOnBroker } from './verify/index';
export type { KafkaRequestReplyClientOptions, AnswerRequestsOptions, AnsweredRequest, StartedResponder, RequestReplySource } from './verify/index';
export { replyFor } from './verify/index';
export type { TypedRequest } from './verify/index';
export { InMemoryTransport, InMemoryBroker } from './transport/memory';
export type { InMemoryTransportOptions, InMemoryBrokerOptions } from './transport/memory';
export type { TransportAdapter } from './transport/types';
// Matching results and errors.
export { matchMessage, formatMismatches } from './matching/index';
export type { Mismatch, MismatchCode, ActualMessage } from './matching/index';
export { HeraldError, isHeraldError, hasErrorCode, errorCatalogue } from './errors/index';
export type { ErrorCode, HeraldErrorContext } from './errors/index';
export { isTransportError } from './transport/errors';
