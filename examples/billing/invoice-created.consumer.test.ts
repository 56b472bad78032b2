/**
 * The ledger service consumes invoice.created events that billing publishes on the AMQP topic
 * exchange `billing`. Writes contracts/ledger-billing.json.
 */
import { amqpExchange, consumer, m } from 'herald';
import { Ledger } from './src/invoices';

const billing = consumer('ledger').expectsFrom('billing');

export const invoiceCreated = billing
  .message('an invoice.created event')
  .given('an invoice was issued for an order', { orderId: 'ord-42' })
  .on(amqpExchange('billing', 'invoice.created', { type: 'topic', queue: 'ledger.invoices' }))
  .withProperties({ correlationId: m.uuid(), messageId: m.uuid(), type: 'invoice.created', contentEncoding: 'utf-8' })
  .withHeaders({ 'x-tenant': m.regex(/^[a-z][a-z0-9-]{2,30}$/, 'acme') })
  .withPayload({
    invoiceId: m.regex(/^INV-\d{6}$/, 'INV-000042'),
    orderId: m.fromProviderState('${orderId}', 'ord-42'),
    issuedOn: m.date(),
    dueOn: m.date('yyyy-MM-dd', '2024-02-14'),
    amount: { value: m.decimal(25.5), currency: m.oneOf(['EUR', 'GBP']) },
    lines: m.eachLike({ description: m.string('Widget'), quantity: m.integer(3), unitPrice: m.decimal(8.5) }, { min: 1 }),
    customer: { id: m.uuid(), email: m.regex(/^[^@\s]+@[^@\s]+$/, 'ap@acme.example') },
  });

describe('ledger consumes billing events', () => {
  it('records an invoice.created event in the ledger', async () => {
    const ledger = new Ledger();
    await invoiceCreated.verify((message) => {
      ledger.record(message.payload, message.properties.correlationId);
    });
    expect(ledger.entries[0]?.amountInCents).toBe(2550);
  });
});
