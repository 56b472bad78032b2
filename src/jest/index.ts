/** jest helpers: the globalSetup/globalTeardown pair for consumer test projects. */
export { default as globalSetup } from './global-setup';
export { default as globalTeardown } from './global-teardown';
export { isFullRun } from './run-mode';
export { verifyProviderInJest } from './provider';
export { loadContractsSync } from '../contract/load';
export type { JestBrokerSource, JestVerifyOptions } from './provider';
