/**
 * Billing verifies the ledger's contract through the library API. The contract generates the
 * payload's orderId from the provider state ({ orderId }), so the factory must publish the order
 * id the state was given, not a fixed example.
 */
import path from 'node:path';
import { defaultContractsDir, loadContracts, provider, verifyProvider, type Contract, type MessageFactory } from 'herald';
import factories from './factories';

const contractFile = path.join(defaultContractsDir(), 'ledger-billing.json');
let contracts: Contract[];

beforeAll(async () => {
  contracts = await loadContracts([contractFile]);
});

/** The same factories, recording what each one produced. */
function recording(): { definition: typeof factories; produced: unknown[] } {
  const produced: unknown[] = [];
  const messages: Record<string, MessageFactory> = {};
  for (const [description, factory] of Object.entries(factories.messages)) {
    messages[description] = (params, context) => {
      const value = factory(params, context);
      produced.push(value);
      return value;
    };
  }
  return { definition: provider('billing', { ...(factories.states === undefined ? {} : { states: factories.states }), messages }), produced };
}

/** The contract with the provider state given another orderId. */
function withStateOrderId(contract: Contract, orderId: string): Contract {
  return {
    ...contract,
    interactions: contract.interactions.map((i) => ({ ...i, providerStates: i.providerStates.map((s) => ({ ...s, params: { ...s.params, orderId } })) })),
  };
}

describe('billing verifies the events the ledger consumes', () => {
  it('produces the invoice.created event with its AMQP properties and tenant header', async () => {
    const report = await verifyProvider(contracts, factories);
    const failures = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.description}: ${r.status} ${r.error?.message ?? JSON.stringify(r.mismatches)}`);
    expect(failures).toEqual([]);
    expect(report.results.map((r) => r.description)).toEqual(['an invoice.created event']);
    expect(report.summary.ok).toBe(true);
  });

  it("publishes the provider state's orderId in the payload", async () => {
    const { definition, produced } = recording();
    const report = await verifyProvider(
      contracts.map((c) => withStateOrderId(c, 'ord-777')),
      definition,
    );
    expect(report.summary.ok).toBe(true);
    expect(produced).toEqual([expect.objectContaining({ payload: expect.objectContaining({ orderId: 'ord-777' }) })]);
  });

  it('fails the interaction when the state is given no orderId', async () => {
    const withoutParams = contracts.map((c) => ({ ...c, interactions: c.interactions.map((i) => ({ ...i, providerStates: i.providerStates.map((s) => ({ name: s.name })) })) }));
    const report = await verifyProvider(withoutParams, factories);
    expect(report.results[0]).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_FAILED' } });
    expect(report.results[0]?.error?.message).toMatch(/needs an orderId string/);
  });
});
