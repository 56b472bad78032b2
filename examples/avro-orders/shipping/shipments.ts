/**
 * The shipping service's side: its Kafka consumer decodes OrderPlaced values (Confluent-framed
 * Avro, read with shipping's own reader schema v1) and plans a shipment. Plain application code:
 * it knows @kafkajs/confluent-schema-registry, not Herald.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RawAvroSchema } from '@kafkajs/confluent-schema-registry/dist/@types';

/** Shipping's reader schema: the fields it needs, as it expects them. */
export const READER_SCHEMA_FILE = path.join(__dirname, '../schemas/order-placed.v1.avsc');
const readerSchema: RawAvroSchema = JSON.parse(readFileSync(READER_SCHEMA_FILE, 'utf8'));

export type Currency = 'EUR' | 'GBP' | 'USD';

export interface OrderPlaced {
  readonly orderId: string;
  readonly placedAt: Date;
  readonly customerId: string;
  readonly totalCents: number;
  readonly currency: Currency;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly giftMessage: string | null;
}

export interface Shipment {
  readonly orderId: string;
  readonly parcels: number;
  readonly insuredValue: string;
  readonly dispatchBy: string;
  readonly giftWrap: boolean;
}

/** An Avro decimal (two's-complement big-endian unscaled value) with scale 2, as cents. */
function cents(bytes: Buffer): number {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) n -= 1n << BigInt(bytes.length * 8);
  return Number(n);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCurrency = (v: unknown): v is Currency => v === 'EUR' || v === 'GBP' || v === 'USD';

/** Decodes a Kafka message value with the registry (the writer's schema by id), read as shipping's v1. */
export async function decodeOrderPlaced(registry: SchemaRegistry, value: Buffer): Promise<OrderPlaced> {
  const raw: unknown = await registry.decode(value, { [SchemaType.AVRO]: { readerSchema } });
  if (!isRecord(raw) || typeof raw['placedAt'] !== 'number' || !Buffer.isBuffer(raw['total']) || !Array.isArray(raw['items']) || !isCurrency(raw['currency'])) {
    throw new Error(`not an OrderPlaced record: ${JSON.stringify(raw)}`);
  }
  return {
    orderId: String(raw['orderId']),
    placedAt: new Date(raw['placedAt']),
    customerId: String(raw['customerId']),
    totalCents: cents(raw['total']),
    currency: raw['currency'],
    items: raw['items'].map((item: unknown) => (isRecord(item) ? { sku: String(item['sku']), quantity: Number(item['quantity']) } : { sku: '', quantity: 0 })),
    giftMessage: typeof raw['giftMessage'] === 'string' ? raw['giftMessage'] : null,
  };
}

/** Up to five units per parcel; dispatch within a day of the order. */
export function planShipment(order: OrderPlaced): Shipment {
  const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
  if (order.items.length === 0 || units <= 0) throw new Error(`order ${order.orderId} has nothing to ship`);
  if (order.items.some((item) => !/^[A-Z]{3}-\d+$/.test(item.sku))) throw new Error(`order ${order.orderId} has an unknown SKU`);
  return {
    orderId: order.orderId,
    parcels: Math.ceil(units / 5),
    insuredValue: `${(order.totalCents / 100).toFixed(2)} ${order.currency}`,
    dispatchBy: new Date(order.placedAt.getTime() + 86_400_000).toISOString(),
    giftWrap: order.giftMessage !== null,
  };
}

/** Where planned shipments go (a database in production), keyed by the Kafka message key: redeliveries are idempotent. */
export class InMemoryShipments {
  readonly saved = new Map<string, Shipment>();
  save(key: string, shipment: Shipment): void {
    this.saved.set(key, shipment);
  }
}
