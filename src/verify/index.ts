export { provider, asProviderDefinition } from './provider';
export type { ProviderDefinition, StateHandler, StateLifecycle, MessageFactory, FactoryContext } from './provider';
export { message, isProducedMessage } from '../contract/produced';
export type { MessageDetails, ProducedMessage } from '../contract/produced';
export { verifyProvider, verifyInteraction, selectContracts } from './verify-provider';
export type { VerifyOptions } from './verify-provider';
export type { InteractionResult, InteractionStatus, VerificationReport, VerificationSummary } from './result';
// Verification on real brokers: producers through triggers, consumers through probes (docs/transports.md).
export * from './broker/index';
export * from './consumer/index';
// Request/reply (docs/request-reply.md): reply factories and the request they receive.
export { verifySyncInteraction, requestOf } from './reply';
export type { ReplyFactory, ReceivedRequest } from './reply';
export { verifyRepliesOnBroker } from './reply-broker';
export type { RequestReplyClient, BrokerRequest, BrokerReply, ReplyRouteJson, VerifyRepliesOnBrokerOptions, ReplyingProvider } from './reply-broker';
// Flows (docs/request-reply.md, "Flows"): steps verified in order; on a broker through verifyFlowsOnBroker.
export { verifyFlowsOnBroker } from './flow-broker';
export type { FlowProvider, FlowTrigger, VerifyFlowsOnBrokerOptions } from './flow-broker';
export { verifyReplyOnBroker } from './reply-broker';
export { KafkaRequestReplyClient, SPRING_REPLY_TOPIC_HEADER, SPRING_CORRELATION_HEADER } from './kafka-reply';
export type { KafkaRequestReplyClientOptions } from './kafka-reply';
export { answerRequestsOnBroker } from './consumer/answer-requests';
export type { AnswerRequestsOptions, AnsweredRequest, StartedResponder, RequestReplySource } from './consumer/answer-requests';
export { replyFor } from './reply-for';
export type { TypedRequest } from './reply-for';
