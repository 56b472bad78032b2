import { startSchemaRegistry, type StartedSchemaRegistry } from './server';
import { hasErrorCode } from '../../errors/herald-error';

const CT = 'application/vnd.schemaregistry.v1+json';

const v1 = { type: 'record', name: 'Order', namespace: 'acme', fields: [{ name: 'id', type: 'string' }] };
const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] }; // backward + forward compatible
const v3NoDefault = { ...v1, fields: [...v1.fields, { name: 'warehouse', type: 'string' }] }; // forward only
const v4Retyped = { ...v1, fields: [{ name: 'id', type: 'int' }] }; // neither
const v5Dropped = { type: 'record', name: 'Order', namespace: 'acme', fields: [] as unknown[] }; // backward only (drops id, which has no default)

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string | null;
}

async function call(registry: StartedSchemaRegistry, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'content-type': CT, ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), contentType: response.headers.get('content-type') };
}

const register = (r: StartedSchemaRegistry, subject: string, schema: unknown, extra: Record<string, unknown> = {}): Promise<Answer> =>
  call(r, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: JSON.stringify(schema), ...extra });

describe('embedded schema registry over HTTP', () => {
  let registry: StartedSchemaRegistry;
  beforeEach(async () => {
    registry = await startSchemaRegistry();
  });
  afterEach(async () => {
    await registry.stop();
  });

  it('listens on a free port of 127.0.0.1 and answers in the registry content type', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(registry.port).toBeGreaterThan(0);
    const answer = await call(registry, 'GET', '/subjects');
    expect(answer).toEqual({ status: 200, body: [], contentType: CT });
  });

  it('registers a schema, gives the same schema the same id, and counts versions per subject', async () => {
    expect((await register(registry, 'orders-value', v1)).body).toEqual({ id: 1 });
    expect((await register(registry, 'orders-value', v1)).body).toEqual({ id: 1 });
    // attribute order and whitespace do not make another schema
    const reordered = `{ "namespace": "acme", "fields": [{"type": "string", "name": "id"}], "name": "Order", "type": "record" }`;
    expect((await call(registry, 'POST', '/subjects/orders-value/versions', { schema: reordered })).body).toEqual({ id: 1 });
    expect((await register(registry, 'orders-value', v2)).body).toEqual({ id: 2 });
    // ids are global: the same schema under another subject keeps its id
    expect((await register(registry, 'audit-value', v1)).body).toEqual({ id: 1 });
    expect((await call(registry, 'GET', '/subjects')).body).toEqual(['audit-value', 'orders-value']);
    expect((await call(registry, 'GET', '/subjects/orders-value/versions')).body).toEqual([1, 2]);
  });

  it('serves versions by number and as latest, and the bare schema', async () => {
    await register(registry, 'orders-value', v1);
    await register(registry, 'orders-value', v2);
    expect((await call(registry, 'GET', '/subjects/orders-value/versions/1')).body).toEqual({ subject: 'orders-value', version: 1, id: 1, schema: JSON.stringify(v1) });
    expect((await call(registry, 'GET', '/subjects/orders-value/versions/latest')).body).toMatchObject({ version: 2, id: 2 });
    expect((await call(registry, 'GET', '/subjects/orders-value/versions/-1')).body).toMatchObject({ version: 2 });
    expect((await call(registry, 'GET', '/subjects/orders-value/versions/2/schema')).body).toEqual(v2);
  });

  it('answers Confluent error codes for unknown subjects, versions and ids, and invalid versions', async () => {
    await register(registry, 'orders-value', v1);
    expect(await call(registry, 'GET', '/subjects/nope/versions')).toMatchObject({ status: 404, body: { error_code: 40401, message: "Subject 'nope' not found." } });
    expect(await call(registry, 'GET', '/subjects/orders-value/versions/9')).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call(registry, 'GET', '/subjects/orders-value/versions/zero')).toMatchObject({ status: 422, body: { error_code: 42202 } });
    expect(await call(registry, 'GET', '/subjects/orders-value/versions/0')).toMatchObject({ status: 422, body: { error_code: 42202 } });
    expect(await call(registry, 'GET', '/schemas/ids/99')).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call(registry, 'GET', '/no/such/route')).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await call(registry, 'PATCH', '/subjects')).toMatchObject({ status: 405, body: { error_code: 405 } });
  });

  it('rejects schemas that do not parse, other schema types and references with 42201', async () => {
    expect(await call(registry, 'POST', '/subjects/x/versions', { schema: '{"type": "record", "name": "A", "fields": [{"name": "a", "type": "nope"}]}' })).toMatchObject({
      status: 422,
      body: { error_code: 42201, message: expect.stringContaining('undefined type name: nope') },
    });
    expect(await call(registry, 'POST', '/subjects/x/versions', { schema: 'not json' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call(registry, 'POST', '/subjects/x/versions', { schema: 'syntax = "proto3";', schemaType: 'PROTOBUF' })).toMatchObject({
      status: 422,
      body: { error_code: 42201, message: expect.stringContaining('AVRO only') },
    });
    expect(await register(registry, 'x', v1, { references: [{ name: 'acme.Other', subject: 'other', version: 1 }] })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call(registry, 'POST', '/subjects/x/versions', '{not json')).toMatchObject({ status: 400 });
    expect((await call(registry, 'GET', '/subjects')).body).toEqual([]);
  });

  it('accepts schemaType AVRO explicitly and lists AVRO as the only type', async () => {
    expect(await register(registry, 'x', v1, { schemaType: 'AVRO' })).toMatchObject({ status: 200, body: { id: 1 } });
    expect((await call(registry, 'GET', '/schemas/types')).body).toEqual(['AVRO']);
  });

  it('looks a schema up under a subject (POST /subjects/{subject})', async () => {
    await register(registry, 'orders-value', v1);
    await register(registry, 'orders-value', v2);
    expect((await call(registry, 'POST', '/subjects/orders-value', { schema: JSON.stringify(v2) })).body).toEqual({ subject: 'orders-value', version: 2, id: 2, schema: JSON.stringify(v2) });
    expect(await call(registry, 'POST', '/subjects/orders-value', { schema: JSON.stringify(v4Retyped) })).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call(registry, 'POST', '/subjects/other', { schema: JSON.stringify(v1) })).toMatchObject({ status: 404, body: { error_code: 40401 } });
  });

  it('serves schemas by id, with the subjects and versions that use them', async () => {
    await register(registry, 'orders-value', v1);
    await register(registry, 'audit-value', v1);
    expect((await call(registry, 'GET', '/schemas/ids/1')).body).toEqual({ schema: JSON.stringify(v1) });
    expect((await call(registry, 'GET', '/schemas/ids/1/schema')).body).toEqual(v1);
    expect((await call(registry, 'GET', '/schemas/ids/1/versions')).body).toEqual([
      { subject: 'orders-value', version: 1 },
      { subject: 'audit-value', version: 1 },
    ]);
    expect((await call(registry, 'GET', '/schemas/ids/1/subjects')).body).toEqual(['orders-value', 'audit-value']);
  });

  it('deletes softly first and permanently second, for subjects and versions', async () => {
    await register(registry, 'orders-value', v1);
    await register(registry, 'orders-value', v2);
    expect(await call(registry, 'DELETE', '/subjects/orders-value/versions/2?permanent=true')).toMatchObject({ status: 404, body: { error_code: 40407 } });
    expect((await call(registry, 'DELETE', '/subjects/orders-value/versions/2')).body).toBe(2);
    expect(await call(registry, 'DELETE', '/subjects/orders-value/versions/2')).toMatchObject({ status: 404, body: { error_code: 40406 } });
    expect((await call(registry, 'GET', '/subjects/orders-value/versions')).body).toEqual([1]);
    expect((await call(registry, 'GET', '/subjects/orders-value/versions?deleted=true')).body).toEqual([1, 2]);
    expect((await call(registry, 'DELETE', '/subjects/orders-value/versions/2?permanent=true')).body).toBe(2);
    expect(await call(registry, 'DELETE', '/subjects/orders-value?permanent=true')).toMatchObject({ status: 404, body: { error_code: 40405 } });
    expect((await call(registry, 'DELETE', '/subjects/orders-value')).body).toEqual([1]);
    expect((await call(registry, 'GET', '/subjects')).body).toEqual([]);
    expect((await call(registry, 'GET', '/subjects?deleted=true')).body).toEqual(['orders-value']);
    expect(await call(registry, 'DELETE', '/subjects/orders-value')).toMatchObject({ status: 404, body: { error_code: 40404 } });
    expect((await call(registry, 'DELETE', '/subjects/orders-value?permanent=true')).body).toEqual([1]);
    expect(await call(registry, 'GET', '/subjects/orders-value/versions?deleted=true')).toMatchObject({ status: 404, body: { error_code: 40401 } });
    // the id survives: a message written with it can still be read
    expect((await call(registry, 'GET', '/schemas/ids/1')).status).toBe(200);
  });

  it('reads and sets the global and per-subject compatibility level', async () => {
    expect((await call(registry, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call(registry, 'PUT', '/config', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call(registry, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect(await call(registry, 'GET', '/config/orders-value')).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect((await call(registry, 'GET', '/config/orders-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await call(registry, 'PUT', '/config/orders-value', { compatibility: 'forward_transitive' })).body).toEqual({ compatibility: 'FORWARD_TRANSITIVE' });
    expect((await call(registry, 'GET', '/config/orders-value')).body).toEqual({ compatibilityLevel: 'FORWARD_TRANSITIVE' });
    expect(await call(registry, 'PUT', '/config', { compatibility: 'SIDEWAYS' })).toMatchObject({ status: 422, body: { error_code: 42203 } });
    expect((await call(registry, 'DELETE', '/config/orders-value')).body).toEqual({ compatibilityLevel: 'FORWARD_TRANSITIVE' });
    expect(await call(registry, 'GET', '/config/orders-value')).toMatchObject({ status: 404 });
  });

  it('refuses an incompatible schema with 409 and per-field reasons, and registers nothing', async () => {
    await register(registry, 'orders-value', v1);
    const answer = await register(registry, 'orders-value', v4Retyped);
    expect(answer.status).toBe(409);
    const body = answer.body as { error_code: number; message: string };
    expect(body.error_code).toBe(409);
    expect(body.message).toContain('Schema being registered is incompatible with an earlier schema for subject "orders-value"');
    expect(body.message).toContain("errorType:'TYPE_MISMATCH'");
    expect(body.message).toContain('the new schema reads `id` as int; version 1 makes it string');
    expect(body.message).toContain("{compatibility: 'BACKWARD'}");
    expect((await call(registry, 'GET', '/subjects/orders-value/versions')).body).toEqual([1]);
  });

  describe('compatibility modes decide registration', () => {
    const outcome = async (mode: string, history: readonly unknown[], candidate: unknown): Promise<number> => {
      await call(registry, 'PUT', '/config/s', { compatibility: mode });
      for (const schema of history) expect((await register(registry, 's', schema)).status).toBe(200);
      return (await register(registry, 's', candidate)).status;
    };

    it.each([
      ['BACKWARD', [v1], v2, 200],
      ['BACKWARD', [v1], v3NoDefault, 409], // the new schema cannot read old data: warehouse has no default
      ['BACKWARD', [v1], v5Dropped, 200],
      ['FORWARD', [v1], v3NoDefault, 200], // old readers ignore the new field
      ['FORWARD', [v1], v5Dropped, 409], // old readers need id
      ['FULL', [v1], v2, 200],
      ['FULL', [v1], v3NoDefault, 409],
      ['FULL', [v1], v5Dropped, 409],
      ['NONE', [v1], v4Retyped, 200],
    ])('%s: %#', async (mode, history, candidate, status) => {
      expect(await outcome(mode, history, candidate)).toBe(status);
    });

    // v1 → v1b (drops id's only use… as a long) → a candidate compatible with the latest only
    const a1 = { type: 'record', name: 'T', fields: [{ name: 'n', type: 'int' }] };
    const a2 = {
      type: 'record',
      name: 'T',
      fields: [
        { name: 'n', type: 'int' },
        { name: 's', type: 'string', default: '' },
      ],
    };
    const a3 = {
      type: 'record',
      name: 'T',
      fields: [
        { name: 's', type: 'string', default: '' },
        { name: 'k', type: 'string', default: '' },
      ],
    };
    const a4 = {
      type: 'record',
      name: 'T',
      fields: [
        { name: 's', type: 'string', default: '' },
        { name: 'n', type: 'string' },
      ],
    };

    it('BACKWARD checks the latest version only; BACKWARD_TRANSITIVE checks every version', async () => {
      // a4 reads n as string: unreadable from a1/a2 (int), but a3 has no n (and a4 gives n no default → fails too)
      expect(
        await outcome('BACKWARD', [a1, a2, a3], {
          ...a4,
          fields: [
            { name: 's', type: 'string', default: '' },
            { name: 'n', type: 'string', default: 'x' },
          ],
        }),
      ).toBe(200);
    });

    it('BACKWARD_TRANSITIVE refuses what an older version wrote in another type', async () => {
      expect(
        await outcome('BACKWARD_TRANSITIVE', [a1, a2, a3], {
          ...a4,
          fields: [
            { name: 's', type: 'string', default: '' },
            { name: 'n', type: 'string', default: 'x' },
          ],
        }),
      ).toBe(409);
    });

    it('FORWARD_TRANSITIVE and FULL_TRANSITIVE check every version', async () => {
      const b1 = {
        type: 'record',
        name: 'U',
        fields: [
          { name: 'a', type: 'int' },
          { name: 'b', type: 'int' },
        ],
      };
      const b2 = {
        type: 'record',
        name: 'U',
        fields: [
          { name: 'a', type: 'int' },
          { name: 'b', type: 'int', default: 0 },
        ],
      };
      const b3 = { type: 'record', name: 'U', fields: [{ name: 'a', type: 'int' }] }; // b1 readers need b
      expect(await outcome('FORWARD', [b1, b2], b3)).toBe(200);
      await registry.stop();
      registry = await startSchemaRegistry();
      expect(await outcome('FORWARD_TRANSITIVE', [b1, b2], b3)).toBe(409);
      await registry.stop();
      registry = await startSchemaRegistry();
      expect(await outcome('FULL_TRANSITIVE', [b1, b2], b3)).toBe(409);
    });
  });

  describe('POST /compatibility/subjects/{subject}/versions/{version}', () => {
    it('answers is_compatible, with reasons when verbose', async () => {
      await register(registry, 'orders-value', v1);
      expect((await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/latest', { schema: JSON.stringify(v2) })).body).toEqual({ is_compatible: true });
      expect((await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/latest', { schema: JSON.stringify(v4Retyped) })).body).toEqual({ is_compatible: false });
      const verbose = (await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/1?verbose=true', { schema: JSON.stringify(v3NoDefault) })).body as {
        is_compatible: boolean;
        messages: string[];
      };
      expect(verbose.is_compatible).toBe(false);
      expect(verbose.messages[0]).toContain("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
      expect(verbose.messages[0]).toContain('the new schema reads `warehouse` (string), which version 1 does not have');
      expect((await call(registry, 'POST', '/compatibility/subjects/orders-value/versions?verbose=true', { schema: JSON.stringify(v2) })).body).toEqual({ is_compatible: true, messages: [] });
    });

    it('honours the subject mode (FORWARD accepts what BACKWARD refuses)', async () => {
      await register(registry, 'orders-value', v1);
      await call(registry, 'PUT', '/config/orders-value', { compatibility: 'FORWARD' });
      expect((await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/latest', { schema: JSON.stringify(v3NoDefault) })).body).toEqual({ is_compatible: true });
      await call(registry, 'PUT', '/config/orders-value', { compatibility: 'NONE' });
      expect((await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/latest', { schema: JSON.stringify(v4Retyped) })).body).toEqual({ is_compatible: true });
    });

    it('checks one given version only, without transitivity', async () => {
      const c1 = { type: 'record', name: 'C', fields: [{ name: 'n', type: 'int' }] };
      const c2 = { type: 'record', name: 'C', fields: [{ name: 'n', type: 'string', default: '' }] };
      await call(registry, 'PUT', '/config/c', { compatibility: 'NONE' });
      await register(registry, 'c', c1);
      await register(registry, 'c', c2);
      await call(registry, 'PUT', '/config/c', { compatibility: 'BACKWARD_TRANSITIVE' });
      const reader = {
        type: 'record',
        name: 'C',
        fields: [
          { name: 'n', type: 'string', default: '' },
          { name: 'm', type: 'int', default: 0 },
        ],
      };
      expect((await call(registry, 'POST', '/compatibility/subjects/c/versions/2', { schema: JSON.stringify(reader) })).body).toEqual({ is_compatible: true });
      expect((await call(registry, 'POST', '/compatibility/subjects/c/versions/1', { schema: JSON.stringify(reader) })).body).toEqual({ is_compatible: false });
      expect((await call(registry, 'POST', '/compatibility/subjects/c/versions/latest', { schema: JSON.stringify(reader) })).body).toEqual({ is_compatible: false });
    });

    it('answers 40401 / 40402 / 42201 for unknown subjects, versions and invalid schemas', async () => {
      await register(registry, 'orders-value', v1);
      expect(await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/7', { schema: JSON.stringify(v2) })).toMatchObject({ status: 404, body: { error_code: 40402 } });
      expect(await call(registry, 'POST', '/compatibility/subjects/none/versions/1', { schema: JSON.stringify(v2) })).toMatchObject({ status: 404, body: { error_code: 40401 } });
      expect(await call(registry, 'POST', '/compatibility/subjects/orders-value/versions/latest', { schema: '{"type":"nope"}' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
      // no versions yet: anything is compatible with nothing
      expect((await call(registry, 'POST', '/compatibility/subjects/new/versions/latest', { schema: JSON.stringify(v2) })).body).toEqual({ is_compatible: true });
    });
  });

  it('decodes subjects with URL-encoded characters', async () => {
    await register(registry, 'com.acme/orders value', v1);
    expect((await call(registry, 'GET', '/subjects')).body).toEqual(['com.acme/orders value']);
    expect((await call(registry, 'GET', `/subjects/${encodeURIComponent('com.acme/orders value')}/versions/1`)).body).toMatchObject({ subject: 'com.acme/orders value', id: 1 });
  });
});

describe('embedded schema registry lifecycle', () => {
  it('stops idempotently and with await using', async () => {
    let url: string;
    {
      await using registry = await startSchemaRegistry();
      url = registry.url;
      expect((await fetch(`${url}/subjects`)).status).toBe(200);
    }
    await expect(fetch(`${url}/subjects`)).rejects.toThrow();
    const again = await startSchemaRegistry();
    await again.stop();
    await again.stop();
  });

  it('fails with HERALD_REGISTRY_START_FAILED when the port is taken', async () => {
    await using first = await startSchemaRegistry();
    const error = await startSchemaRegistry({ port: first.port }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_REGISTRY_START_FAILED')).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${first.port}`);
  });

  it('requires basic auth when configured', async () => {
    await using registry = await startSchemaRegistry({ auth: { username: 'sr', password: 's3cret' } });
    expect((await fetch(`${registry.url}/subjects`)).status).toBe(401);
    const wrong = Buffer.from('sr:nope').toString('base64');
    expect((await fetch(`${registry.url}/subjects`, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);
    const right = Buffer.from('sr:s3cret').toString('base64');
    expect((await fetch(`${registry.url}/subjects`, { headers: { authorization: `Basic ${right}` } })).status).toBe(200);
  });

  it('starts with another global compatibility level', async () => {
    await using registry = await startSchemaRegistry({ compatibility: 'FULL_TRANSITIVE' });
    expect(await (await fetch(`${registry.url}/config`)).json()).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
  });
});

describe('embedded schema registry on hostile requests', () => {
  let registry: StartedSchemaRegistry;
  beforeEach(async () => {
    registry = await startSchemaRegistry();
  });
  afterEach(async () => {
    await registry.stop();
  });

  it('answers 413 to a body over 8 MB instead of resetting the connection', async () => {
    const answer = await call(registry, 'POST', '/subjects/big-value/versions', { schema: JSON.stringify(v1), padding: 'x'.repeat(9 * 1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error_code: 413, message: expect.stringContaining('larger than') as unknown });
    // The registry still serves the next request.
    expect((await register(registry, 'small-value', v1)).status).toBe(200);
  });

  it('gives schemas that differ only in a "__proto__" attribute different ids', async () => {
    const plain = '{"type":"record","name":"P","fields":[{"name":"id","type":"string"}]}';
    const withProto = '{"type":"record","name":"P","fields":[{"name":"id","type":"string","__proto__":{"doc":"x"}}]}';
    const a = await call(registry, 'POST', '/subjects/a-value/versions', { schema: plain });
    const b = await call(registry, 'POST', '/subjects/b-value/versions', { schema: withProto });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect((b.body as { id: number }).id).not.toBe((a.body as { id: number }).id);
  });
});
