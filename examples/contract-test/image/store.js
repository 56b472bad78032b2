// The orders provider's own dependency, as it runs in its image (herald/orders-store): a small
// order store over HTTP. PUT /orders/:id saves an order and answers its sequence number, GET
// /orders/:id reads it back, GET /health says it is up. Orders are kept in memory: each
// contract-test run starts a fresh store, as it would a fresh database.
'use strict';
const http = require('node:http');

const port = Number(process.env.STORE_PORT || 7070);
const orders = new Map();

http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return void res.writeHead(200).end('ok');
    const match = /^\/orders\/([^/]+)$/.exec(req.url || '');
    if (match === null) return void res.writeHead(404).end();
    const id = decodeURIComponent(match[1]);
    if (req.method === 'GET') {
      const order = orders.get(id);
      return void (order === undefined ? res.writeHead(404).end() : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(order)));
    }
    if (req.method !== 'PUT') return void res.writeHead(405).end();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const order = { ...JSON.parse(body || '{}'), seq: orders.size + 1 };
        orders.set(id, order);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(order));
      } catch (error) {
        res.writeHead(400).end(String(error && error.message));
      }
    });
  })
  .listen(port, () => console.log(`orders-store listening on ${port}`));
