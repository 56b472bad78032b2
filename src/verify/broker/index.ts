/** Producer verification on a real broker: triggers, run-scoped names, captures (docs/transports.md). */
export { providerTriggers, asTriggerDefinition } from './definition';
export type { Trigger, TriggerContext, TriggerDefinition, TriggerFields, BrokerProviderDefinition } from './definition';
export type { BrokerConnection, KafkaConnection, AmqpConnection, ConnectionDetails } from './connection';
export { runNamespace } from './namespace';
export type { RunNamespace } from './namespace';
export type { BrokerResources } from './resources';
export { verifyProviderOnBroker, contractChannel, DEFAULT_BROKER_TIMEOUT_MS, DEFAULT_SETTLE_MS } from './verify-on-broker';
export type { BrokerVerifyOptions, BrokerVerificationReport, BrokerRunDetails, BrokerRepliesOption } from './verify-on-broker';
