/** Odd Jobs: a board of contractors free to take small jobs. It cares only whether a contractor is available. */
export interface ContractorUpdated {
  contractorId: string;
  name: string;
  available: boolean;
  stock: string;
  updatedAt: string;
}

export class JobBoard {
  readonly available = new Set<string>();

  /** Handles a ContractorUpdated event: the Kafka key is the contractor id; only `available` is read. */
  onContractorUpdated(contractorId: string, event: ContractorUpdated): void {
    if (event.available) this.available.add(contractorId);
    else this.available.delete(contractorId);
  }
}
