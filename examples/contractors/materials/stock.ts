/** Materials: tracks how many units each contractor holds. `stock` arrives as decimal digits in a string. */
export interface ContractorStock {
  contractorId: string;
  stock: string;
}

export class StockLedger {
  readonly units = new Map<string, number>();

  /** Handles a ContractorUpdated event: parses `stock` as text, as the contract declares it. */
  onContractorUpdated(event: ContractorStock): void {
    const digits = event.stock.trim();
    if (!/^[0-9]+$/.test(digits)) throw new Error(`contractor ${event.contractorId}: stock ${JSON.stringify(event.stock)} is not a count`);
    this.units.set(event.contractorId, Number.parseInt(digits, 10));
  }
}
