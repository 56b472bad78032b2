/** jest helpers: the globalSetup/globalTeardown pair for consumer test projects. */
export { default as globalSetup } from './global-setup';
export { default as globalTeardown } from './global-teardown';
export { isFullRun } from './run-mode';
export { verifyProviderInJest, loadContractsSync } from './provider';
export type { JestVerifyOptions } from './provider';
