/**
 * The orders service verifies shipping's contract through Herald's library API (the CLI does the
 * same: `herald verify`). Reads the contract the shipping consumer tests write
 * (contracts/shipping-orders.json, or $HERALD_CONTRACTS_DIR).
 */
import path from 'node:path';
import { defaultContractsDir, loadContracts, message, provider, verifyProvider, type Contract } from 'herald';
import factories, { orders, published } from './factories';
import { orderPlacedRecord } from './src/events';

const contractFile = path.join(defaultContractsDir(), 'shipping-orders.json');
let contracts: Contract[];

beforeAll(async () => {
  contracts = await loadContracts([contractFile]);
});

describe('orders verifies the events shipping consumes', () => {
  it('produces every message in the contract', async () => {
    const report = await verifyProvider(contracts, factories);
    const failures = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.description}: ${r.status} ${r.error?.message ?? JSON.stringify(r.mismatches)}`);
    expect(failures).toEqual([]);
    expect(report.results.map((r) => r.description).sort()).toEqual(['an OrderCancelled event', 'an OrderPlaced event']);
    expect(report.summary).toMatchObject({ ok: true, failed: 0, passed: 2, unusedFactories: [] });
  });

  it('checks the topic, as the factories say where they publish', async () => {
    const report = await verifyProvider(contracts, factories);
    expect(report.results.flatMap((r) => r.notes)).toEqual([]);
  });
});

describe('a broken orders producer is caught', () => {
  // The same service, after a refactoring that serialises quantities as strings.
  const brokenQuantities = provider('orders', {
    ...(factories.states === undefined ? {} : { states: factories.states }),
    messages: {
      ...factories.messages,
      'an OrderPlaced event': ({ orderId }) => {
        const order = orders.findByNumber(Number(orderId));
        if (order === undefined) throw new Error('the state did not run');
        const record = orderPlacedRecord(order, '4bf92f3577b34da6a3ce929d0e0e4736');
        return message({ ...record.value, items: record.value.items.map((item) => ({ ...item, qty: String(item.qty) })) }, { key: record.key, headers: record.headers });
      },
    },
  });

  it('reports a quantity sent as a string at $.items[0].qty', async () => {
    const report = await verifyProvider(contracts, brokenQuantities, { description: /OrderPlaced/ });
    expect(report.summary).toMatchObject({ ok: false, failed: 1, passed: 0 });
    const [result] = report.results;
    expect(result?.status).toBe('failed');
    expect(result?.mismatches.map((m) => [m.path, m.code])).toEqual([
      ['$.items[0].qty', 'type'],
      ['$.items[1].qty', 'type'],
    ]);
  });

  it('reports an empty trace-id header by its metadata key', async () => {
    const withoutTrace = provider('orders', {
      ...(factories.states === undefined ? {} : { states: factories.states }),
      messages: {
        ...factories.messages,
        'an OrderPlaced event': ({ orderId }) => {
          const order = orders.findByNumber(Number(orderId));
          if (order === undefined) throw new Error('the state did not run');
          // The tracing middleware was removed: the trace id is empty.
          return published(orderPlacedRecord(order, ''));
        },
      },
    });
    const report = await verifyProvider(contracts, withoutTrace, { description: /OrderPlaced/ });
    expect(report.results[0]?.mismatches.map((m) => [m.part, m.path, m.code])).toEqual([['metadata', 'trace-id', 'regex']]);
  });
});
