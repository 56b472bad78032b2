/** The billing service's use case: invoice an order, then announce invoice.created on AMQP. */
import { invoiceCreatedPublish } from './events';
import type { BillableOrder, Invoice, Invoicing } from './invoices';
import type { InvoiceEventsPublisher } from './publisher';

/** Issues the invoice for an order and publishes invoice.created; `correlationId` ties it to the order event that caused it. */
export async function issueInvoice(invoicing: Invoicing, publisher: Pick<InvoiceEventsPublisher, 'publish'>, order: BillableOrder, correlationId: string): Promise<Invoice> {
  const invoice = invoicing.issueFor(order);
  await publisher.publish(invoiceCreatedPublish(invoice, correlationId));
  return invoice;
}
