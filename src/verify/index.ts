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
