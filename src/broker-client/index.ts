/**
 * Herald's client for a contract broker (Herald Broker or Pact Broker): publish contracts, fetch
 * pacts for verification and publish results, can-i-deploy, environments and deployments.
 * See docs/broker-client.md.
 */
export { BrokerClient, type BrokerAuth, type BrokerClientOptions } from './hal-client';
export { publishContracts, readContractsToPublish, publishRequests, type PublishOptions, type PublishResult, type ContractToPublish, type BrokerNotice } from './publish';
export {
  fetchPactsForVerification,
  publishVerificationResult,
  verificationResultBody,
  recordBranch,
  type ConsumerVersionSelector,
  type ForVerificationOptions,
  type PactForVerification,
} from './for-verification';
export { canIDeploy, formatCanIDeploy, type CanIDeployOptions, type CanIDeployResult, type MatrixRow } from './can-i-deploy';
export { listEnvironments, createEnvironment, recordInEnvironment, type Environment, type RecordKind } from './environments';
