import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasErrorCode } from '../errors/herald-error';
import { loadAsyncApiParser } from './asyncapi';
import { loadSpec, parseSpec } from './load';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'herald-spec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caught = async (run: () => Promise<unknown>): Promise<unknown> =>
  run().then(
    () => undefined,
    (e: unknown) => e,
  );

const V3 = `asyncapi: 3.0.0
info: { title: Contractors, version: 1.0.0 }
channels:
  updates:
    address: contractors.updated.v1
    bindings: { kafka: { topic: contractors.updated.v1 } }
    messages:
      ContractorUpdated: { $ref: '#/components/messages/ContractorUpdated' }
operations:
  sendUpdate:
    action: send
    channel: { $ref: '#/channels/updates' }
    messages: [{ $ref: '#/channels/updates/messages/ContractorUpdated' }]
components:
  messages:
    ContractorUpdated:
      name: ContractorUpdated
      contentType: application/json
      bindings: { kafka: { key: { type: string, format: uuid } } }
      payload: { type: object, required: [stock], properties: { stock: { type: string } } }
`;

const V2 = `asyncapi: 2.6.0
info: { title: Contractors, version: 1.0.0 }
channels:
  contractors.updated.v1:
    bindings: { kafka: { bindingVersion: 0.4.0 } }
    subscribe:
      message:
        messageId: ContractorUpdated
        name: ContractorUpdated
        contentType: application/json
        bindings: { kafka: { key: { type: string, format: uuid } } }
        payload: { type: object, required: [stock], properties: { stock: { type: string } } }
`;

describe('reading specifications', () => {
  it('reads the same message from AsyncAPI 3.0 (action send) and 2.6 (subscribe: the application publishes)', async () => {
    const v3 = await parseSpec(V3, 'v3.yaml');
    const v2 = await parseSpec(V2, 'v2.yaml');
    for (const spec of [v3, v2]) {
      expect(spec.messages).toEqual([
        expect.objectContaining({
          id: 'ContractorUpdated',
          name: 'ContractorUpdated',
          action: 'send',
          contentType: 'application/json',
          channel: expect.objectContaining({ kafkaTopic: 'contractors.updated.v1' }),
          payload: { type: 'object', required: ['stock'], properties: { stock: { type: 'string' } } },
          key: { type: 'string', format: 'uuid' },
        }),
      ]);
    }
    expect([v3.asyncapiVersion, v2.asyncapiVersion]).toEqual(['3.0.0', '2.6.0']);
  });

  it('reads AMQP exchange, type and routing keys (channel address and operation cc)', async () => {
    const spec = await parseSpec(
      `asyncapi: 2.6.0
info: { title: Billing, version: 1.0.0 }
channels:
  invoice.created:
    bindings: { amqp: { is: routingKey, exchange: { name: billing, type: topic } } }
    subscribe:
      bindings: { amqp: { cc: [invoice.created.eu] } }
      message: { name: InvoiceCreated, payload: { type: object } }
`,
      'billing.yaml',
    );
    expect(spec.messages[0]?.channel?.amqp).toEqual({ is: 'routingKey', exchange: 'billing', exchangeType: 'topic', routingKeys: ['invoice.created', 'invoice.created.eu'] });
  });

  it('reads an Avro schema as the JSON form of its records', async () => {
    const file = path.join(dir, 'contractor.avsc');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'record',
        name: 'ContractorUpdated',
        namespace: 'com.example',
        fields: [
          { name: 'stock', type: 'int' },
          { name: 'note', type: ['null', 'string'], default: null },
          { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
          { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
        ],
      }),
    );
    const spec = await loadSpec(file);
    expect(spec.kind).toBe('avro');
    expect(spec.messages[0]?.payload).toEqual({
      type: 'object',
      title: 'com.example.ContractorUpdated',
      required: ['stock', 'note', 'at', 'kind'],
      properties: {
        stock: { type: 'integer' },
        note: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        at: { type: 'string', format: 'date-time' },
        kind: { type: 'string', enum: ['A', 'B'] },
      },
    });
  });

  it('reads a JSON Schema, inlining its local $refs', async () => {
    const spec = await parseSpec(JSON.stringify({ title: 'Contractor', type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'integer' } } }), 'contractor.schema.json');
    expect(spec).toMatchObject({ kind: 'json-schema', title: 'Contractor' });
    expect((spec.messages[0]?.payload as { properties: unknown }).properties).toEqual({ a: { type: 'integer' } });
  });
});

describe('specification errors', () => {
  it('says when the file does not exist (HERALD_SPEC_UNREADABLE)', async () => {
    const error = await caught(() => loadSpec(path.join(dir, 'nope.yaml')));
    expect(hasErrorCode(error, 'HERALD_SPEC_UNREADABLE')).toBe(true);
    expect((error as Error).message).toMatch(/nope\.yaml: it does not exist/);
  });

  it("lists an AsyncAPI document's errors with their location (HERALD_SPEC_INVALID)", async () => {
    const error = await caught(() => parseSpec(V3.replace('action: send', 'action: publish'), 'broken.yaml'));
    expect(hasErrorCode(error, 'HERALD_SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^Failed to read the AsyncAPI document broken\.yaml: it has \d+ error\(s\):\n {2}- line \d+: operations\.sendUpdate\.action: /);
  });

  it('rejects YAML that is not AsyncAPI, and JSON that does not parse', async () => {
    expect(hasErrorCode(await caught(() => parseSpec('type: object\n', 'schema.yaml')), 'HERALD_SPEC_UNSUPPORTED')).toBe(true);
    expect(hasErrorCode(await caught(() => parseSpec('{ "type": ', 'schema.json')), 'HERALD_SPEC_INVALID')).toBe(true);
    expect(hasErrorCode(await caught(() => parseSpec('{ "type": "record", "name": "X", "fields": [{ "name": "a" }] }', 'x.avsc')), 'HERALD_SPEC_INVALID')).toBe(true);
  });

  it('asks to install @asyncapi/parser when it is missing (HERALD_PEER_MISSING)', () => {
    const missing = (): never => {
      throw Object.assign(new Error("Cannot find module '@asyncapi/parser'"), { code: 'MODULE_NOT_FOUND' });
    };
    let error: unknown;
    try {
      loadAsyncApiParser(missing);
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_PEER_MISSING')).toBe(true);
    expect((error as Error).message).toContain('npm install --save-dev @asyncapi/parser');
  });
});
