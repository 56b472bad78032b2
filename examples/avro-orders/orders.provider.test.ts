/**
 * The orders service verifies shipping's Avro contract: its factories return the bytes it
 * publishes (Confluent-framed Avro written with its schema v2), Herald decodes them through the
 * registry into shipping's reader schema and matches the record. Schema evolution is checked the
 * way the registry does it, with reasons per field.
 */
import path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { avroBlockOf, checkReaderWriter, loadAvroSchema, startSchemaRegistry, type StartedSchemaRegistry } from 'herald/avro';
import { hasErrorCode, loadContracts, verifyProvider, type Contract, type MessageInteraction } from 'herald';
import { encodeQuantitiesAsText, ordersFactories } from './orders/factories';
import { registerWriterSchema, schemaFile, SUBJECT } from './orders/events';

const contractFile = path.join(__dirname, 'contracts', 'shipping-orders.json');
let contracts: Contract[];
let interaction: MessageInteraction;
let registry: StartedSchemaRegistry;
let client: SchemaRegistry;
let v2: number;

beforeAll(async () => {
  contracts = await loadContracts([contractFile]);
  interaction = contracts[0]?.interactions.find((i) => i.description === 'an OrderPlaced event') as MessageInteraction;
  registry = await startSchemaRegistry(); // BACKWARD, as Confluent's default
  client = new SchemaRegistry({ host: registry.url, retry: { retries: 0 } });
  await registerWriterSchema(client, 'v1');
  v2 = await registerWriterSchema(client, 'v2');
});
afterAll(async () => {
  await registry.stop();
});

describe('orders verifies the Avro events shipping consumes', () => {
  it('produces every message in the contract, decoded through the registry', async () => {
    const report = await verifyProvider(contracts, ordersFactories(client, v2), { schemaRegistry: registry });
    expect(report.results.map((r) => [r.description, r.status, r.error?.message ?? r.mismatches])).toEqual([['an OrderPlaced event', 'passed', []]]);
    expect(report.results[0]?.notes).toEqual([]);
  });

  it("writes with a schema shipping's reader schema can read", () => {
    const reader = avroBlockOf(interaction)?.schema ?? null;
    expect(checkReaderWriter(reader, loadAvroSchema(schemaFile('v2'), 'orders v2').type, { reader: 'shipping', writer: 'orders v2' })).toEqual([]);
  });
});

describe('a breaking schema change is caught, field by field', () => {
  it('shipping cannot read v3: quantities became strings', () => {
    const issues = checkReaderWriter(loadAvroSchema(schemaFile('v1'), 'shipping').type, loadAvroSchema(schemaFile('v3-broken'), 'v3').type, { reader: 'shipping', writer: 'writer schema v3' });
    expect(issues.map((i) => i.message)).toEqual(['shipping reads `items[*].quantity` as int; writer schema v3 makes it string']);
  });

  it('the registry refuses v3 under BACKWARD compatibility, with the same reason', async () => {
    const error = await registry.client.register(SUBJECT, loadAvroSchema(schemaFile('v3-broken'), 'v3').schema).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_AVRO_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toContain('the new schema reads `items[*].quantity` as string; version 2 makes it int');
  });

  it('a producer that publishes v3 anyway fails verification, naming the field', async () => {
    // registered under a subject without compatibility checks, as a misconfigured producer would
    await fetch(`${registry.url}/config/orders-unchecked-value`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ compatibility: 'NONE' }) });
    const v3 = await registry.client.register('orders-unchecked-value', loadAvroSchema(schemaFile('v3-broken'), 'v3').schema);
    const report = await verifyProvider(contracts, ordersFactories(client, v3, encodeQuantitiesAsText), { schemaRegistry: registry });
    expect(report.summary).toMatchObject({ ok: false, failed: 1 });
    expect(report.results[0]?.error?.code).toBe('HERALD_AVRO_INCOMPATIBLE');
    expect(report.results[0]?.error?.message).toContain(`$.items[*].quantity (TYPE_MISMATCH): the contract reads \`items[*].quantity\` as int; the writer schema (id ${v3}) makes it string`);
  });
});
