/**
 * Odd Jobs consumes ContractorUpdated events from the contractors service (Kafka topic
 * `contractors.updated.v1`). Runs the real handler on the generated example and writes
 * contracts/odd-jobs-contractors.json, with the fields the handler read in `herald.usage`.
 */
import { JobBoard } from './board';
import { contractorUpdated } from './contract';

describe('odd-jobs consumes contractor updates', () => {
  it('lists an available contractor on the job board', async () => {
    const board = new JobBoard();
    await contractorUpdated.verify((message) => board.onContractorUpdated(message.key, message.payload));
    expect(board.available.size).toBe(1);
  });
});
