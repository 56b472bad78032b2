/**
 * jest `globalSetup` for consumer test projects: marks the run full or partial so contract
 * writers know whether they may drop interactions that tests no longer declare.
 * jest.config: `globalSetup: 'herald/jest/global-setup'`, `globalTeardown: 'herald/jest/global-teardown'`.
 */
import { randomBytes } from 'node:crypto';
import { ledgerDirFor, RUN_ENV } from '../dsl/session';
import { isFullRun, type JestGlobalConfigLike } from './run-mode';

export default function heraldGlobalSetup(globalConfig: JestGlobalConfigLike): void {
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  process.env[RUN_ENV.id] = id;
  process.env[RUN_ENV.mode] = isFullRun(globalConfig) ? 'full' : 'merge';
  process.env[RUN_ENV.ledger] = ledgerDirFor(id);
}
