/**
 * Every run ends with a verdict for every interaction or a non-zero exit: user code that can never
 * settle (thenables, top-level await) must not let node drain its event loop and exit 0 silently.
 */
import { CONTRACTS, FACTORIES, lastLine, verify } from './run-cli';
import { unfinishedReport } from '../../../src/cli/unfinished';
import type { Contract } from '../../../src/contract/model';
import { loadContracts } from '../../../src/contract/load';
import path from 'node:path';
import { ROOT } from './run-cli';

jest.setTimeout(60_000);
const shipping = ['--contracts', `${CONTRACTS}/shipping-orders.json`];

describe('herald verify with user code that never settles', () => {
  it('fails a factory and a state handler returning never-settling thenables, with a verdict for every interaction', async () => {
    const run = await verify([...shipping, '--factories', `${FACTORIES}/never-settles.factories.ts`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('HERALD_STATE_TIMEOUT');
    expect(run.stdout).toContain('HERALD_FACTORY_FAILED');
    expect(lastLine(run.stdout)).toMatch(/^1 passed, 1 failed, 0 pending, 0 without factory, 1 state failed/);
  });

  it('exits 2 with HERALD_RUN_UNFINISHED when the factories module never finishes loading', async () => {
    const run = await verify([...shipping, '--factories', `${FACTORIES}/never-loads.factories.mjs`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HERALD_RUN_UNFINISHED: Failed to verify: loading .*never-loads\.factories\.mjs never finished/);
  });
});

describe('unfinishedReport', () => {
  let contracts: Contract[];
  beforeAll(async () => {
    contracts = await loadContracts([path.join(ROOT, CONTRACTS, 'shipping-orders.json')]);
  });

  it('keeps the verdicts reached and fails every other selected interaction as not run', () => {
    const [contract] = contracts;
    if (contract === undefined) throw new Error('no contract');
    const passed = {
      consumer: 'shipping',
      provider: 'orders',
      description: 'an OrderPlaced event',
      ...(contract.source === undefined ? {} : { contractFile: contract.source }),
      status: 'passed' as const,
      mismatches: [],
      notes: [],
      pending: false,
      durationMs: 1,
    };
    const report = unfinishedReport(contracts, { provider: 'orders', description: { test: (d) => d !== 'a ping' } }, [passed], 5, 'factories');
    expect(report.results.map((r) => [r.description, r.status, r.error?.code])).toEqual([
      ['an OrderPlaced event', 'passed', undefined],
      ['an OrderShipped event', 'failed', 'HERALD_RUN_UNFINISHED'],
    ]);
    expect(report.results[1]?.error?.message).toContain('The run stopped while verifying "an OrderShipped event"');
    expect(report.summary).toMatchObject({ total: 2, passed: 1, failed: 1, ok: false });
  });
});
