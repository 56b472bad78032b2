/**
 * The billing service's message factories for contract verification:
 *
 *   npx herald verify --contracts contracts/ledger-billing.json --factories examples/billing-provider/factories.ts
 *
 * The provider state issues an invoice for the order the contract names ({ orderId }); the
 * contract generates the payload's orderId from that state (a ProviderState generator), so the
 * event must carry the very order id the state was given.
 */
import { randomUUID } from 'node:crypto';
import { amqpExchange, message, provider, type ProducedMessage } from 'herald';
import { invoiceCreatedPublish, type InvoicePublish } from './src/events';
import { Invoicing } from './src/invoices';

export const invoicing = new Invoicing();

/**
 * What amqplib publishes, as Herald checks it: body, basic properties, headers, and the exchange and
 * routing key it publishes to. The contract's channel also names the ledger's queue, which the
 * publisher does not know: Herald leaves that consumer-side detail to broker verification.
 */
export function published(publish: InvoicePublish): ProducedMessage {
  const { contentType, ...properties } = publish.properties;
  return message(publish.body, { contentType, properties, headers: publish.headers, channel: amqpExchange(publish.exchange, publish.routingKey) });
}

export default provider('billing', {
  states: {
    'an invoice was issued for an order': {
      setup: ({ orderId }) => {
        if (typeof orderId !== 'string') throw new Error(`the state needs an orderId string, got ${JSON.stringify(orderId)}`);
        invoicing.issueFor({
          orderId,
          tenant: 'acme',
          customerEmail: 'ap@acme.example',
          currency: 'EUR',
          lines: [{ description: 'Widget', quantity: 3, unitPriceCents: 850 }],
        });
      },
      teardown: () => invoicing.clear(),
    },
  },
  messages: {
    'an invoice.created event': ({ orderId }) => {
      const invoice = typeof orderId === 'string' ? invoicing.forOrder(orderId) : undefined;
      if (invoice === undefined) throw new Error(`no invoice for order ${JSON.stringify(orderId)}: the state "an invoice was issued for an order" did not run`);
      return published(invoiceCreatedPublish(invoice, randomUUID()));
    },
  },
});
