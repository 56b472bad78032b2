/**
 * The embedded registry as Confluent's JS client sees it, over HTTP: what projects do against a
 * real Confluent Schema Registry must work against startSchemaRegistry().
 */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { hasErrorCode, isHeraldError } from '../../errors/herald-error';
import { SchemaRegistryClient, schemaRegistryClient, schemaRegistryFromEnv } from './client';
import { startSchemaRegistry, type StartedSchemaRegistry } from './server';

const orderV1 = {
  type: 'record' as const,
  name: 'OrderPlaced',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'total', type: 'double' },
  ],
};
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
const orderIncompatible = {
  ...orderV1,
  fields: [
    { name: 'orderId', type: 'long' },
    { name: 'total', type: 'double' },
  ],
};
const avro = (schema: object): { type: SchemaType.AVRO; schema: string } => ({ type: SchemaType.AVRO, schema: JSON.stringify(schema) });

describe('@kafkajs/confluent-schema-registry against the embedded registry', () => {
  let registry: StartedSchemaRegistry;
  let client: SchemaRegistry;
  beforeEach(async () => {
    registry = await startSchemaRegistry();
    client = new SchemaRegistry({ host: registry.url, retry: { retries: 0 } });
  });
  afterEach(async () => {
    await registry.stop();
  });

  it('registers, finds the latest id, and round-trips a record through encode and decode', async () => {
    const { id } = await client.register(avro(orderV1), { subject: 'orders.v1-value' });
    expect(id).toBe(1);
    expect(await client.getLatestSchemaId('orders.v1-value')).toBe(1);
    expect(await client.getRegistryId('orders.v1-value', 1)).toBe(1);
    expect(await client.getRegistryIdBySchema('orders.v1-value', avro(orderV1))).toBe(1);
    const bytes = await client.encode(id, { orderId: 'ord-1', total: 12.5 });
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 0, 1]);
    // a fresh client (empty cache) fetches the schema by id from the registry
    const reader = new SchemaRegistry({ host: registry.url });
    expect(await reader.decode(bytes)).toEqual({ orderId: 'ord-1', total: 12.5 });
  });

  it('registers a compatible evolution as version 2 and decodes old data with the new reader schema', async () => {
    const { id: v1 } = await client.register(avro(orderV1), { subject: 'orders.v1-value' });
    const old = await client.encode(v1, { orderId: 'ord-1', total: 3 });
    const { id: v2 } = await client.register(avro(orderV2), { subject: 'orders.v1-value' });
    expect(v2).toBe(2);
    expect(await client.getLatestSchemaId('orders.v1-value')).toBe(2);
    expect(await client.decode(old, { [SchemaType.AVRO]: { readerSchema: orderV2 } })).toEqual({ orderId: 'ord-1', total: 3, currency: 'EUR' });
  });

  it('keeps the subject compatibility level the client sets on first registration', async () => {
    await client.register(avro(orderV1), { subject: 'orders.v1-value', compatibility: COMPATIBILITY.FULL });
    expect(await (await fetch(`${registry.url}/config/orders.v1-value`)).json()).toEqual({ compatibilityLevel: 'FULL' });
    // the client refuses to register under another level than the subject's
    await expect(client.register(avro(orderV2), { subject: 'orders.v1-value' })).rejects.toThrow('Compatibility does not match the configuration (BACKWARD != FULL)');
  });

  it('surfaces an incompatible schema as an error from the client', async () => {
    await client.register(avro(orderV1), { subject: 'orders.v1-value' });
    const error: unknown = await client.register(avro(orderIncompatible), { subject: 'orders.v1-value' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      status: 409,
      message: expect.stringContaining('Schema being registered is incompatible with an earlier schema for subject "orders.v1-value"'),
    });
    expect(error).toMatchObject({ message: expect.stringContaining('the new schema reads `orderId` as long; version 1 makes it string') });
  });

  it('surfaces unknown subjects and ids as 404 errors', async () => {
    await expect(client.getLatestSchemaId('nope')).rejects.toMatchObject({ status: 404, message: expect.stringContaining("Subject 'nope' not found.") });
    await expect(client.decode(Buffer.from([0, 0, 0, 0, 9, 2]))).rejects.toMatchObject({ status: 404 });
  });

  it('works against a registry that requires basic auth', async () => {
    await using secured = await startSchemaRegistry({ auth: { username: 'key', password: 'secret' } });
    const ok = new SchemaRegistry({ host: secured.url, auth: { username: 'key', password: 'secret' } });
    expect((await ok.register(avro(orderV1), { subject: 's' })).id).toBe(1);
    const refused = new SchemaRegistry({ host: secured.url, retry: { retries: 0 } });
    await expect(refused.getLatestSchemaId('s')).rejects.toMatchObject({ status: 401 });
  });
});

describe("Herald's SchemaRegistryClient", () => {
  let registry: StartedSchemaRegistry;
  beforeEach(async () => {
    registry = await startSchemaRegistry();
  });
  afterEach(async () => {
    await registry.stop();
  });

  it('registers idempotently, looks ids up, and encodes records in the JSON form', async () => {
    const schema = { ...orderV1, fields: [...orderV1.fields, { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }] };
    const id = await registry.client.register('orders-value', schema);
    expect(await registry.client.register('orders-value', schema)).toBe(id);
    expect(await registry.client.idOf('orders-value', schema)).toBe(id);
    expect(await registry.client.idOf('orders-value', orderV2)).toBeUndefined();
    expect(await registry.client.latestId('orders-value')).toBe(id);
    const bytes = await registry.client.encode(id, { orderId: 'o', total: 1.5, at: '2024-01-15T09:30:00.000Z' });
    expect(await registry.client.decode(bytes)).toEqual({ orderId: 'o', total: 1.5, at: '2024-01-15T09:30:00.000Z' });
  });

  it('registers under a subject whose level is not BACKWARD (the peer alone would refuse)', async () => {
    await fetch(`${registry.url}/config/orders-value`, { method: 'PUT', body: JSON.stringify({ compatibility: 'FULL' }), headers: { 'content-type': 'application/json' } });
    expect(await registry.client.register('orders-value', orderV1)).toBe(1);
  });

  it('raises HERALD_AVRO_INCOMPATIBLE with the registry reasons on 409', async () => {
    await registry.client.register('orders-value', orderV1);
    const error = await registry.client.register('orders-value', orderIncompatible).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_AVRO_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toContain(`Failed to register the schema under the subject "orders-value": the schema registry at ${registry.url} refused it as incompatible`);
    expect((error as Error).message).toContain('the new schema reads `orderId` as long; version 1 makes it string');
  });

  it('raises coded errors for unknown subjects, refused credentials, invalid records and invalid schemas', async () => {
    expect(hasErrorCode(await registry.client.latestId('nope').catch((e: unknown) => e), 'HERALD_AVRO_SCHEMA_NOT_FOUND')).toBe(true);
    await using secured = await startSchemaRegistry({ auth: { username: 'a', password: 'b' } });
    const wrong = new SchemaRegistryClient({ url: secured.url, auth: { username: 'a', password: 'x' }, retries: 0 });
    const refused = await wrong.latestId('s').catch((e: unknown) => e);
    expect(hasErrorCode(refused, 'HERALD_REGISTRY_REQUEST_FAILED')).toBe(true);
    expect((refused as Error).message).toContain('refused the credentials (HTTP 401)');
    const id = await registry.client.register('orders-value', orderV1);
    const bad = await registry.client.encode(id, { orderId: 7 }).catch((e: unknown) => e);
    expect(hasErrorCode(bad, 'HERALD_AVRO_ENCODE_FAILED')).toBe(true);
    expect((bad as Error).message).toContain('$.orderId: expected a string (string) but got 7');
    expect(hasErrorCode(await registry.client.register('x', { type: 'nope' }).catch((e: unknown) => e), 'HERALD_AVRO_SCHEMA_INVALID')).toBe(true);
  });

  it('drops a trailing slash from the URL and registers with credentials and extra headers', async () => {
    await using secured = await startSchemaRegistry({ auth: { username: 'a', password: 'b' } });
    const client = new SchemaRegistryClient({ url: `${secured.url}/`, auth: { username: 'a', password: 'b' }, headers: { 'x-tenant': 'shop' } });
    expect(client.url).toBe(secured.url);
    expect(await client.register('s', orderV1)).toBe(1);
  });

  it('reads a registry from HERALD_SCHEMA_REGISTRY_URL / _USERNAME / _PASSWORD', () => {
    expect(schemaRegistryFromEnv({})).toBeUndefined();
    expect(schemaRegistryFromEnv({ HERALD_SCHEMA_REGISTRY_URL: ' http://sr:8081 ' })).toEqual({ url: 'http://sr:8081' });
    expect(schemaRegistryFromEnv({ HERALD_SCHEMA_REGISTRY_URL: 'https://sr', HERALD_SCHEMA_REGISTRY_USERNAME: 'key', HERALD_SCHEMA_REGISTRY_PASSWORD: 'secret' })).toEqual({
      url: 'https://sr',
      auth: { username: 'key', password: 'secret' },
    });
  });

  it('shares clients by URL and credentials, but a started registry brings its own', () => {
    expect(schemaRegistryClient('http://localhost:8081')).toBe(schemaRegistryClient({ url: 'http://localhost:8081' }));
    expect(schemaRegistryClient({ url: 'http://localhost:8081', auth: { username: 'a', password: 'b' } })).not.toBe(schemaRegistryClient('http://localhost:8081'));
    expect(schemaRegistryClient(registry)).toBe(registry.client);
    expect(schemaRegistryClient(registry.client)).toBe(registry.client);
  });

  it('raises HERALD_PEER_MISSING with the install command when @kafkajs/confluent-schema-registry is absent', () => {
    jest.isolateModules(() => {
      jest.doMock('@kafkajs/confluent-schema-registry', () => {
        throw Object.assign(new Error("Cannot find module '@kafkajs/confluent-schema-registry' from 'src/avro/registry/client.ts'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('./client') as typeof import('./client');
      let error: unknown;
      try {
        void new isolated.SchemaRegistryClient('http://localhost:8081').peer;
      } catch (e) {
        error = e;
      }
      expect(isHeraldError(error) && error.code).toBe('HERALD_PEER_MISSING');
      expect((error as Error).message).toContain('npm install --save-dev @kafkajs/confluent-schema-registry');
    });
  });
});
