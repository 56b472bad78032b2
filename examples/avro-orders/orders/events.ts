/**
 * The orders service's side: it builds OrderPlaced records with its writer schema v2, registers
 * the schema, encodes values in the Confluent wire format and publishes them to Kafka. Plain
 * application code: it knows kafkajs and @kafkajs/confluent-schema-registry, not Herald.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Producer } from 'kafkajs';

export const TOPIC = 'orders.v1';
/** Confluent's TopicNameStrategy: the value schema's subject is `<topic>-value`. */
export const SUBJECT = `${TOPIC}-value`;
export const schemaFile = (version: 'v1' | 'v2' | 'v3-broken'): string => path.join(__dirname, `../schemas/order-placed.${version}.avsc`);
export const schemaText = (version: 'v1' | 'v2' | 'v3-broken'): string => JSON.stringify(JSON.parse(readFileSync(schemaFile(version), 'utf8')));

export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly placedAt: Date;
  readonly currency: 'EUR' | 'GBP' | 'USD';
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly unitPriceCents: number }[];
  readonly channel: 'web' | 'app';
}

export function sampleOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: randomUUID(),
    customerId: 'cust-1001',
    placedAt: new Date('2024-03-01T10:15:00.000Z'),
    currency: 'EUR',
    lines: [
      { sku: 'ABC-1', quantity: 2, unitPriceCents: 1249 },
      { sku: 'XYZ-42', quantity: 1, unitPriceCents: 999 },
    ],
    channel: 'web',
    ...overrides,
  };
}

/** An unscaled decimal as Avro's two's-complement big-endian bytes. */
function decimalBytes(unscaled: number): Buffer {
  let hex = BigInt(unscaled).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** The record as avsc writes it with schema v2 (timestamp as epoch millis, decimal as bytes). */
export function orderPlacedRecord(order: Order): Record<string, unknown> {
  return {
    orderId: order.id,
    placedAt: order.placedAt.getTime(),
    customerId: order.customerId,
    total: decimalBytes(order.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0)),
    currency: order.currency,
    items: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    giftMessage: null,
    channel: order.channel,
    loyaltyPoints: 0,
  };
}

/** Registers the writer schema under the topic's value subject (the registry enforces compatibility). */
export async function registerWriterSchema(registry: SchemaRegistry, version: 'v1' | 'v2' | 'v3-broken' = 'v2', subject = SUBJECT): Promise<number> {
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: schemaText(version) }, { subject });
  return id;
}

/** The Kafka message value: Confluent-framed Avro. */
export function orderPlacedValue(registry: SchemaRegistry, schemaId: number, order: Order): Promise<Buffer> {
  return registry.encode(schemaId, orderPlacedRecord(order));
}

/** What the service publishes for a placed order. */
export async function publishOrderPlaced(producer: Producer, registry: SchemaRegistry, schemaId: number, order: Order, topic = TOPIC): Promise<void> {
  await producer.send({ topic, messages: [{ key: order.id, value: await orderPlacedValue(registry, schemaId, order), headers: { 'event-type': 'OrderPlaced' } }] });
}
