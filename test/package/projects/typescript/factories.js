// The orders provider's factories, in plain CommonJS JavaScript.
const { kafkaTopic, message, provider } = require('herald');

module.exports = provider('orders', {
  messages: {
    'an OrderPlaced event': () =>
      message(
        { orderId: '0b6b5c8e-8f49-4c8e-9d3e-4f7f2a1c9e10', total: 30.75, items: [{ sku: 'XYZ-42', qty: 3 }] },
        { key: '5f0c7d0e-2a3b-4c5d-8e9f-0a1b2c3d4e5f', channel: kafkaTopic('orders.v1') },
      ),
  },
});
