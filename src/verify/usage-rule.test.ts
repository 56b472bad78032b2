/**
 * Scenario 1 (the silent type change), verified in-process: one rule with compare and diff —
 * fields the consumer declared but never read (herald.usage) are reported, not failed.
 */
import path from 'node:path';
import { loadContracts } from '../contract/load';
import type { Contract, MessageInteraction } from '../contract/model';
import { kafkaTopic } from '../contract/channel';
import { message, provider } from './index';
import { verifyProvider } from './verify-provider';
import type { InteractionResult } from './result';

const ROOT = path.resolve(__dirname, '../..');
const KEY = '0b8f3f9e-3c1a-4a55-9b5e-2d7c8a1e4f60';

/**
 * Contractors after the change. Stock becomes a count object: an integer 12 would satisfy the
 * contracts' `regex ^[0-9]+$` rule (Pact matches a regex against a number's text).
 */
const contractors = (event: Record<string, unknown>, withKey = true) =>
  provider('contractors', {
    messages: { 'a ContractorUpdated event': () => message(event, { ...(withKey ? { key: KEY } : {}), channel: kafkaTopic('contractors.updated.v1') }) },
  });
const updated = { contractorId: KEY, name: 'Ada Builders', available: true, stock: { count: 12 }, updatedAt: '2024-01-15T09:30:00.000Z' };

let contracts: Contract[];
beforeAll(async () => {
  contracts = await loadContracts([path.join(ROOT, 'contracts/odd-jobs-contractors.json'), path.join(ROOT, 'contracts/materials-contractors.json')]);
});

const byConsumer = (results: readonly InteractionResult[]): Record<string, InteractionResult> => Object.fromEntries(results.map((r) => [r.consumer, r]));

describe('verify applies the usage rule (scenario 1)', () => {
  it('fails materials, which reads stock, and clears odd-jobs, which never reads it, naming $.stock', async () => {
    const report = await verifyProvider(contracts, contractors(updated));
    const results = byConsumer(report.results);
    expect(results['materials']).toMatchObject({ status: 'failed' });
    expect(results['materials']?.mismatches.map((m) => m.path)).toEqual(['$.stock']);
    expect(results['odd-jobs']).toMatchObject({ status: 'passed', mismatches: [] });
    expect(results['odd-jobs']?.notes.join('\n')).toMatch(/Not failed, because odd-jobs declared \$\.stock but never reads it/);
    expect(report.summary.ok).toBe(false);
  });

  it('fails odd-jobs too with checkAllDeclaredFields', async () => {
    const report = await verifyProvider(contracts, contractors(updated), { checkAllDeclaredFields: true, consumers: ['odd-jobs'] });
    expect(report.results[0]?.mismatches.map((m) => m.path)).toEqual(['$.stock']);
    expect(report.results[0]?.status).toBe('failed');
  });

  it('still fails a field the consumer reads (available) and the key it reads', async () => {
    const report = await verifyProvider(contracts, contractors({ ...updated, available: 'yes' }, false), { consumers: ['odd-jobs'] });
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((m) => m.path).sort()).toEqual(['$.available', 'kafka_key']);
  });

  it('reports, does not fail, a missing field the consumer never reads', async () => {
    const { stock: _stock, name: _name, ...rest } = updated;
    const report = await verifyProvider(contracts, contractors(rest), { consumers: ['odd-jobs'] });
    expect(report.results[0]?.status).toBe('passed');
    expect(report.results[0]?.notes.join('\n')).toMatch(/declared \$\.name but never reads it/);
  });

  it('checks every field of a contract without usage data', async () => {
    const noUsage = contracts.map((c) => ({ ...c, interactions: c.interactions.map((i): MessageInteraction => ({ ...i, herald: {} })) }));
    const report = await verifyProvider(noUsage, contractors(updated), { consumers: ['odd-jobs'] });
    expect(report.results[0]?.mismatches.map((m) => m.path)).toEqual(['$.stock']);
  });

  it('fails a type change on a parent object the consumer reads, though it never reads the child', async () => {
    const [oddJobs] = contracts.filter((c) => c.consumer === 'odd-jobs');
    if (oddJobs === undefined) throw new Error('no odd-jobs contract');
    const [base] = oddJobs.interactions;
    if (base === undefined) throw new Error('no interaction');
    const nested: MessageInteraction = {
      ...base,
      contents: { ...base.contents, content: { available: true, site: { city: 'Leeds', code: 'LS1' } } },
      matchingRules: { ...base.matchingRules, body: {} },
      herald: { usage: { payload: ['$.available', '$.site'], headers: [], key: true } },
    };
    const contract = { ...oddJobs, interactions: [nested] };
    const parentChanged = await verifyProvider([contract], contractors({ available: true, site: 'Leeds' }));
    expect(parentChanged.results[0]?.status).toBe('failed');
    expect(parentChanged.results[0]?.mismatches.map((m) => m.path)).toEqual(['$.site']);
    const childChanged = await verifyProvider([contract], contractors({ available: true, site: { city: 'Leeds', code: 7 } }));
    expect(childChanged.results[0]?.status).toBe('passed');
    expect(childChanged.results[0]?.notes.join('\n')).toMatch(/declared \$\.site\.code but never reads it/);
  });
});
