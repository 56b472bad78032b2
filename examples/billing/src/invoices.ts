/** Billing's ledger: record each created invoice and its lines. */
export interface InvoiceCreated {
  invoiceId: string;
  orderId: string;
  issuedOn: string;
  dueOn: string;
  amount: { value: number; currency: string };
  lines: { description: string; quantity: number; unitPrice: number }[];
  customer: { id: string; email: string };
}

export interface LedgerEntry {
  invoiceId: string;
  correlationId: string;
  amountInCents: number;
}

export class Ledger {
  readonly entries: LedgerEntry[] = [];

  /** Records an invoice; the amount must equal the sum of its lines. */
  record(invoice: InvoiceCreated, correlationId: string): LedgerEntry {
    const sum = invoice.lines.reduce((total, line) => total + line.quantity * line.unitPrice, 0);
    if (Math.abs(sum - invoice.amount.value) > 0.005) {
      throw new Error(`invoice ${invoice.invoiceId}: lines add up to ${sum}, amount says ${invoice.amount.value}`);
    }
    if (!invoice.customer.email.includes('@')) throw new Error(`invoice ${invoice.invoiceId}: customer email is invalid`);
    const entry = { invoiceId: invoice.invoiceId, correlationId, amountInCents: Math.round(invoice.amount.value * 100) };
    this.entries.push(entry);
    return entry;
  }
}
