// The orders provider as it runs in its image: an HTTP API (POST /orders saves the order in its
// order store, then publishes OrderPlaced on Kafka) with GET /health (up when Kafka is connected and
// the store answers). The broker comes from HERALD_KAFKA_BROKERS, the store from HERALD_DEP_STORE
// (host:port; herald contract-test --dependency store:7070=herald/orders-store:1.0.0).
// ORDERS_VERSION is baked in by build-images.sh; 1.1.0 renames orderId to id (the breaking change
// the shipping consumer's contract catches).
'use strict';
const http = require('node:http');
const { Kafka, logLevel } = require('kafkajs');

const version = process.env.ORDERS_VERSION || '1.0.0';
const brokers = (process.env.HERALD_KAFKA_BROKERS || '').split(',').filter(Boolean);
const port = Number(process.env.PORT || 8080);
const store = `http://${process.env.HERALD_DEP_STORE || '127.0.0.1:7070'}`;
const producer = new Kafka({ clientId: `orders-${version}`, brokers, logLevel: logLevel.ERROR }).producer({ allowAutoTopicCreation: true });

function orderPlaced(orderId, total) {
  return version === '1.0.0' ? { orderId, total, currency: 'EUR' } : { id: orderId, total, currency: 'EUR' };
}

async function main() {
  await producer.connect();
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      fetch(`${store}/health`, { signal: AbortSignal.timeout(1000) })
        .then((answer) => res.writeHead(answer.ok ? 200 : 503).end(answer.ok ? 'ok' : `store answered ${answer.status}`))
        .catch((error) => res.writeHead(503).end(`store unreachable at ${store}: ${error.cause?.code || error.message}`));
      return;
    }
    if (req.method === 'POST' && req.url === '/orders') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        try {
          const { orderId, total, topic } = JSON.parse(body || '{}');
          const saved = await fetch(`${store}/orders/${encodeURIComponent(String(orderId))}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ orderId: String(orderId), total: Number(total) }),
          });
          if (!saved.ok) throw new Error(`the order store answered ${saved.status}`);
          const { seq } = await saved.json();
          const event = { ...orderPlaced(String(orderId), Number(total)), seq };
          await producer.send({ topic: topic || 'orders.v1', messages: [{ key: String(orderId), value: JSON.stringify(event), headers: { 'event-type': 'OrderPlaced' } }] });
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(event));
        } catch (error) {
          res.writeHead(500).end(String(error && error.message));
        }
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, () => console.log(`orders ${version} listening on ${port}`));
  const stop = () => server.close(() => producer.disconnect().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(`orders ${version} failed to start: ${error && error.message}`);
  process.exit(1);
});
