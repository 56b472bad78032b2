/**
 * Triggers for `herald verify --transport memory` tests: the "orders" provider publishing through
 * the run's in-memory transport, on the channel its context names. HERALD_FIXTURE_BUG=trace
 * drops the trace-id header (a bug only the wire shows).
 */
import { randomUUID } from 'node:crypto';
import { providerTriggers, type TriggerContext } from 'herald';

const bug = process.env['HERALD_FIXTURE_BUG'];

async function publish(ctx: TriggerContext, value: object, headers: Record<string, string>): Promise<void> {
  await ctx.transport.publish({ channel: ctx.channel, key: randomUUID(), headers, contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) });
}

export default providerTriggers('orders', {
  states: { 'an order exists': ({ orderId }) => ({ order: { id: randomUUID(), number: orderId } }) },
  triggers: {
    'an OrderPlaced event': async (_params, ctx) => {
      const headers: Record<string, string> = { 'event-type': 'OrderPlaced', 'trace-id': '4bf92f3577b34da6a3ce929d0e0e4736' };
      if (bug === 'trace') delete headers['trace-id'];
      await publish(
        ctx,
        {
          orderId: randomUUID(),
          customerId: 'cust-1001',
          placedAt: new Date().toISOString(),
          total: 29.97,
          currency: 'EUR',
          items: [{ sku: 'ABC-1', qty: 2 }],
          shippingAddress: { street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' },
        },
        headers,
      );
    },
    'an OrderCancelled event': (_params, ctx) => publish(ctx, { orderId: randomUUID(), reason: 'customer-request', cancelledAt: new Date().toISOString() }, { 'event-type': 'OrderCancelled' }),
  },
});
