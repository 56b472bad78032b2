/** Pacts for the web page's tests: a Kafka message with usage and rules, and an AMQP request/reply. */

export interface UiPactOptions {
  readonly topic?: string;
  /** Put into the payload example (a hostile string checks escaping). */
  readonly note?: string;
}

export function uiPact(consumer: string, provider: string, options: UiPactOptions = {}): Record<string, unknown> {
  const topic = options.topic ?? 'orders';
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [
      {
        type: 'Asynchronous/Messages',
        description: 'an order.created event',
        key: 'order-created',
        pending: false,
        providerStates: [{ name: 'an order exists', params: { id: 'ord-1' } }],
        contents: { content: { orderId: 'ord-1', total: 12.5, note: options.note ?? 'fragile' }, contentType: 'application/json', encoded: false },
        metadata: { contentType: 'application/json', kafka_topic: topic, kafka_key: 'ord-1', 'x-trace-id': 'trace-1' },
        matchingRules: {
          body: { '$.orderId': { combine: 'AND', matchers: [{ match: 'regex', regex: '^ord-\\d+$' }] }, '$.total': { combine: 'AND', matchers: [{ match: 'decimal' }] } },
        },
        herald: { channel: { transport: 'kafka', topic }, owner: 'test/orders.test.ts', usage: { payload: ['$.orderId'], headers: ['x-trace-id'], key: true } },
      },
      {
        type: 'Synchronous/Messages',
        description: 'a price quote',
        key: 'price-quote',
        pending: false,
        request: {
          contents: { content: { sku: 'A1' }, contentType: 'application/json', encoded: false },
          metadata: { contentType: 'application/json', amqp_exchange: 'pricing', amqp_exchange_type: 'topic', amqp_routing_key: 'quote.request' },
        },
        response: [{ contents: { content: { sku: 'A1', price: 3 }, contentType: 'application/json', encoded: false }, metadata: { contentType: 'application/json' } }],
        herald: { channel: { transport: 'amqp', exchange: 'pricing', exchangeType: 'topic', routingKey: 'quote.request' } },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' }, herald: { version: '0.1.0' } },
  };
}
