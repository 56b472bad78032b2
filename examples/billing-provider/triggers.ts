/**
 * The billing service's triggers for verification on a real RabbitMQ: the trigger runs the
 * service's own use case (issueInvoice), which publishes with its own amqplib publisher
 * (src/publisher.ts), configured from the context: the broker URL and the run's exchange.
 *
 *   npx herald verify --contracts contracts/ledger-billing.json --transport amqp \
 *     --triggers examples/billing-provider/triggers.ts --amqp-url amqp://guest:guest@localhost:5672
 */
import { randomUUID } from 'node:crypto';
import { providerTriggers, type TriggerContext, type TriggerDefinition } from 'herald';
import { issueInvoice } from './src/issue-invoice';
import { Invoicing, type BillableOrder } from './src/invoices';
import { InvoiceEventsPublisher } from './src/publisher';

/** Builds the triggers around a publisher factory (tests swap in a faulty publisher). */
export function billingTriggers(
  connect: (ctx: TriggerContext) => Promise<InvoiceEventsPublisher> = (ctx) =>
    InvoiceEventsPublisher.connect({ url: ctx.amqpUrl(), ...(ctx.exchange === undefined ? {} : { exchange: ctx.exchange }) }),
): TriggerDefinition {
  const invoicing = new Invoicing();
  const publishers = new Map<string, Promise<InvoiceEventsPublisher>>();
  const publisher = (ctx: TriggerContext): Promise<InvoiceEventsPublisher> => {
    const key = `${ctx.amqpUrl()}|${ctx.exchange ?? ''}`;
    let p = publishers.get(key);
    if (p === undefined) {
      p = connect(ctx);
      publishers.set(key, p);
      p.catch(() => publishers.delete(key));
    }
    return p;
  };
  // Orders ready to invoice, set up by the provider state.
  const billable = new Map<string, BillableOrder>();
  return providerTriggers('billing', {
    states: {
      'an invoice was issued for an order': {
        setup: ({ orderId }) => {
          if (typeof orderId !== 'string') throw new Error(`the state needs an orderId string, got ${JSON.stringify(orderId)}`);
          billable.set(orderId, { orderId, tenant: 'acme', customerEmail: 'ap@acme.example', currency: 'EUR', lines: [{ description: 'Widget', quantity: 3, unitPriceCents: 850 }] });
        },
        teardown: () => {
          billable.clear();
          invoicing.clear();
        },
      },
    },
    triggers: {
      'an invoice.created event': async ({ orderId }, ctx) => {
        const order = typeof orderId === 'string' ? billable.get(orderId) : undefined;
        if (order === undefined) throw new Error(`no billable order ${JSON.stringify(orderId)}: the state "an invoice was issued for an order" did not run`);
        await issueInvoice(invoicing, await publisher(ctx), order, randomUUID());
      },
    },
    cleanup: async () => {
      const open = [...publishers.values()];
      publishers.clear();
      await Promise.all(open.map(async (p) => (await p.catch(() => undefined))?.close()));
    },
  });
}

export default billingTriggers();
