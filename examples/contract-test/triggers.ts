/**
 * Triggers for the orders provider started by `herald contract-test`: each one asks the running
 * provider (HERALD_PROVIDER_URL, set by contract-test) to place an order, which makes it publish
 * OrderPlaced with its own Kafka producer on the topic of this run.
 */
import { providerTriggers } from 'herald';

function providerUrl(): string {
  const url = process.env['HERALD_PROVIDER_URL'];
  if (url === undefined) throw new Error('HERALD_PROVIDER_URL is not set: run these triggers through herald contract-test --port <port>.');
  return url;
}

export default providerTriggers('orders', {
  states: { 'an order exists': () => undefined },
  triggers: {
    'an OrderPlaced event': async ({ orderId, total }, ctx) => {
      const response = await fetch(`${providerUrl()}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId, total, topic: ctx.topic }),
        signal: ctx.signal,
      });
      if (!response.ok) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
    },
  },
});
