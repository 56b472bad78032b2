/**
 * Materials consumes ContractorUpdated events from the contractors service and reads `stock` as a
 * string. Writes contracts/materials-contractors.json with the handler's field usage.
 */
import { contractorUpdated } from './contract';
import { StockLedger } from './stock';

describe('materials consumes contractor updates', () => {
  it('records the stock a contractor holds', async () => {
    const ledger = new StockLedger();
    await contractorUpdated.verify((message) => ledger.onContractorUpdated(message.payload), { strictUsage: true });
    expect([...ledger.units.values()]).toEqual([12]);
  });
});
