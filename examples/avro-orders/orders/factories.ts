/**
 * The orders service's message factories for Herald's verification: each returns the bytes the
 * service publishes (Confluent-framed Avro from its own encoding code), with key, headers and topic.
 * The registry and schema id come from the test (orders.provider.test.ts).
 */
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { kafkaTopic, message, provider, type ProviderDefinition } from 'herald';
import { orderPlacedRecord, orderPlacedValue, sampleOrder, TOPIC, type Order } from './events';

/** How a record becomes bytes: the service's own encoding, or a broken one in tests. */
export type Encode = (registry: SchemaRegistry, schemaId: number, order: Order) => Promise<Buffer>;

export function ordersFactories(registry: SchemaRegistry, schemaId: number, encode: Encode = orderPlacedValue): ProviderDefinition {
  return provider('orders', {
    messages: {
      'an OrderPlaced event': async () => {
        const order = sampleOrder();
        return message(await encode(registry, schemaId, order), { key: order.id, headers: { 'event-type': 'OrderPlaced' }, channel: kafkaTopic(TOPIC) });
      },
    },
  });
}

/** A broken encoding for tests: quantities written as text with schema v3. */
export const encodeQuantitiesAsText: Encode = (registry, schemaId, order) => {
  const items = order.lines.map((line) => ({ sku: line.sku, quantity: String(line.quantity) }));
  return registry.encode(schemaId, { ...orderPlacedRecord(order), items });
};
