/**
 * The orders service's triggers for verification on a real Kafka broker: each one runs the
 * service's own use case (placeOrder, cancelOrder), which publishes with the service's own kafkajs
 * producer (src/publisher.ts), configured from the context: the broker and the run's topic.
 *
 *   npx herald verify --contracts contracts/shipping-orders.json --transport kafka \
 *     --triggers examples/orders-provider/triggers.ts --brokers localhost:9092
 */
import { randomBytes } from 'node:crypto';
import { providerTriggers, type TriggerContext, type TriggerDefinition } from 'herald';
import { sampleOrder } from './factories';
import { Orders } from './src/orders';
import { cancelOrder, placeOrder } from './src/place-order';
import { OrderEventsPublisher } from './src/publisher';

const traceId = (): string => randomBytes(16).toString('hex');

/** Builds the triggers around a publisher factory (tests swap in a faulty publisher). */
export function ordersTriggers(
  connect: (ctx: TriggerContext) => Promise<OrderEventsPublisher> = (ctx) => OrderEventsPublisher.connect({ brokers: ctx.kafkaBrokers(), ...(ctx.topic === undefined ? {} : { topic: ctx.topic }) }),
): TriggerDefinition {
  const orders = new Orders();
  // One producer per broker and topic for the whole run, as the service keeps one.
  const publishers = new Map<string, Promise<OrderEventsPublisher>>();
  const publisher = (ctx: TriggerContext): Promise<OrderEventsPublisher> => {
    const key = `${ctx.connection === undefined ? '' : JSON.stringify(ctx.connection)}|${ctx.topic ?? ''}`;
    let p = publishers.get(key);
    if (p === undefined) {
      p = connect(ctx);
      publishers.set(key, p);
      p.catch(() => publishers.delete(key));
    }
    return p;
  };
  return providerTriggers('orders', {
    states: { 'an order exists': { teardown: () => orders.clear() } },
    triggers: {
      'an OrderPlaced event': async ({ orderId }, ctx) => {
        await placeOrder(orders, await publisher(ctx), sampleOrder(Number(orderId)), traceId());
      },
      'an OrderCancelled event': async (_params, ctx) => {
        const events = await publisher(ctx);
        const order = await placeOrder(orders, events, sampleOrder(8), traceId());
        await cancelOrder(orders, events, order.id, 'customer-request', traceId());
        orders.clear();
      },
    },
    cleanup: async () => {
      const open = [...publishers.values()];
      publishers.clear();
      await Promise.all(open.map(async (p) => (await p.catch(() => undefined))?.close()));
    },
  });
}

export default ordersTriggers();
