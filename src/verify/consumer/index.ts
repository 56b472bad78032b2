/** Consumer verification on a real broker: examples published by Herald, handled by the consumer's own subscription (docs/transports.md). */
export { verifyConsumerOnBroker } from './verify-consumer';
export type { ConsumerContext, ConsumerHandle, ConsumerUnderTest, ConsumerVerifyOptions } from './verify-consumer';
export { PROBE_HEADER } from './probe';
export type { Probe, ProbeHeaders, ProbeTarget, ProbeOption, PollingProbe, PublishedExample } from './probe';
export { reifyExample } from './reify';
export type { ReifiedExample } from './reify';
export { formatConsumerReport } from './result';
export type { ConsumerInteractionResult, ConsumerInteractionStatus, ConsumerVerificationReport, ConsumerVerificationSummary } from './result';
