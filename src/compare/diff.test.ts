import type { JsonObject } from '../contract/json';
import type { Contract, MessageInteraction } from '../contract/model';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import type { Template } from '../matchers/node';
import { parseSpec } from '../asyncapi/load';
import type { Spec } from '../asyncapi/model';
import { diffSpecs, type DiffReport } from './diff';

/** A JSON Schema spec of the ContractorUpdated payload. */
const spec = (properties: JsonObject, required: string[] = Object.keys(properties)): Promise<Spec> =>
  parseSpec(JSON.stringify({ title: 'ContractorUpdated', type: 'object', properties, required }), 'contractor.schema.json');

function contract(name: string, payload: Template, read?: string[]): Contract {
  const declared = consumer(name).expectsFrom('contractors').message('a ContractorUpdated event').withPayload(payload).toInteraction();
  const interaction: MessageInteraction = read === undefined ? declared : { ...declared, herald: { ...declared.herald, usage: { payload: read, headers: [], key: false } } };
  return { consumer: name, provider: 'contractors', interactions: [interaction], specVersion: '4.0', metadata: {}, source: `contracts/${name}-contractors.json` };
}

const consumers = (): Contract[] => [
  contract('odd-jobs', { available: m.boolean(true), stock: m.string('12'), status: m.string('ACTIVE') }, ['$.available']),
  contract('materials', { stock: m.regex(/^[0-9]+$/, '12'), status: m.oneOf(['ACTIVE', 'RETIRED']) }),
];

const V1 = { available: { type: 'boolean' }, stock: { type: 'string', pattern: '^[0-9]+$' }, status: { type: 'string', enum: ['ACTIVE', 'RETIRED'] }, note: { type: 'string' } };

const rows = (report: DiffReport): [string, string, string, string[]][] => report.changes.map((c) => [c.classification, c.kind, c.path, c.affected.map((a) => a.consumer)]);

describe('diff: classifying spec changes against consumer contracts', () => {
  it('makes a retyped field breaking for the consumer that reads it, naming consumer and interaction', async () => {
    const report = diffSpecs(await spec(V1), await spec({ ...V1, stock: { type: 'integer' } }), consumers());
    expect(rows(report)).toEqual([['breaking', 'type-changed', '$.stock', ['materials']]]);
    expect(report.changes[0]).toMatchObject({
      description: '`stock` changed from string (pattern ^[0-9]+$) to integer',
      reason: 'it breaks materials: materials reads `stock` as string (regex ^[0-9]+$); the spec makes it integer',
      affected: [{ consumer: 'materials', interaction: 'a ContractorUpdated event', contractFile: 'contracts/materials-contractors.json' }],
    });
    expect(report.summary).toEqual({ changes: 1, breaking: 1, safe: 0, interactions: 2, ok: false });
  });

  it('keeps a change safe when no consumer reads the field', async () => {
    const report = diffSpecs(await spec(V1), await spec({ ...V1, note: { type: 'integer' } }), consumers());
    expect(rows(report)).toEqual([['safe', 'type-changed', '$.note', []]]);
    expect(report.changes[0]?.reason).toBe('unused by any consumer');
  });

  it('keeps a change safe when the consumers that read the field accept it', async () => {
    const report = diffSpecs(await spec(V1), await spec({ ...V1, stock: { type: 'string' } }), [contract('odd-jobs', { stock: m.string('12') })]);
    expect(rows(report)).toEqual([['safe', 'constraint-removed', '$.stock', []]]);
    expect(report.changes[0]?.reason).toBe('odd-jobs reads it and accepts the change');
  });

  it('is safe when the provider adds a field, optional or required', async () => {
    const report = diffSpecs(await spec(V1), await spec({ ...V1, rating: { type: 'number' }, region: { type: 'string' } }, [...Object.keys(V1), 'region']), consumers());
    expect(rows(report)).toEqual([
      ['safe', 'field-added', '$.rating', []],
      ['safe', 'field-added', '$.region', []],
    ]);
    expect(report.summary.ok).toBe(true);
  });

  it('breaks consumers reading a removed field, or one made optional or nullable', async () => {
    const removed = diffSpecs(await spec(V1), await spec({ available: V1.available, status: V1.status, note: V1.note }), consumers());
    expect(rows(removed)).toEqual([['breaking', 'field-removed', '$.stock', ['materials']]]);
    const optional = diffSpecs(await spec(V1), await spec(V1, ['available', 'status', 'note']), consumers());
    expect(rows(optional)).toEqual([['breaking', 'made-optional', '$.stock', ['materials']]]);
    expect(optional.changes[0]?.affected[0]?.reason).toBe('materials reads `stock`, which the provider may now leave out');
    const nullable = diffSpecs(await spec(V1), await spec({ ...V1, available: { type: ['boolean', 'null'] } }), consumers());
    expect(rows(nullable)).toEqual([['breaking', 'made-nullable', '$.available', ['odd-jobs']]]);
  });

  it('breaks a consumer whose matcher lists fewer values when the provider widens an enum; narrowing is safe', async () => {
    const wider = diffSpecs(await spec(V1), await spec({ ...V1, status: { type: 'string', enum: ['ACTIVE', 'RETIRED', 'ON_LEAVE'] } }), consumers());
    expect(rows(wider)).toEqual([['breaking', 'values-added', '$.status', ['materials']]]);
    expect(wider.changes[0]?.affected[0]?.reason).toBe('the spec allows "ON_LEAVE" for `status`; materials accepts only string (one of "ACTIVE", "RETIRED")');
    const narrower = diffSpecs(await spec(V1), await spec({ ...V1, status: { type: 'string', enum: ['ACTIVE'] } }), consumers());
    expect(rows(narrower)).toEqual([['safe', 'values-removed', '$.status', []]]);
  });

  it('is safe when the provider narrows a type', async () => {
    const report = diffSpecs(await spec({ ...V1, note: { type: ['string', 'null'] } }), await spec(V1), consumers());
    expect(rows(report)).toEqual([['safe', 'type-narrowed', '$.note', []]]);
  });

  it('without contracts, calls every possibly-breaking change breaking', async () => {
    const report = diffSpecs(await spec(V1), await spec({ ...V1, note: { type: 'integer' }, rating: { type: 'number' } }));
    expect(rows(report)).toEqual([
      ['breaking', 'type-changed', '$.note', []],
      ['safe', 'field-added', '$.rating', []],
    ]);
    expect(report.changes[0]?.reason).toBe('it may break consumers (no contracts given to check who reads it)');
  });

  it('breaks the consumers of a removed message', async () => {
    const doc = (messages: Record<string, JsonObject>): string =>
      JSON.stringify({
        asyncapi: '3.0.0',
        info: { title: 'Contractors', version: '1.0.0' },
        channels: { updates: { address: 'contractors.v1', bindings: { kafka: { topic: 'contractors.v1' } }, messages } },
        operations: { send: { action: 'send', channel: { $ref: '#/channels/updates' } } },
      });
    const updated = { name: 'ContractorUpdated', payload: { type: 'object', properties: { stock: { type: 'string' } }, required: ['stock'] } };
    const deleted = { name: 'ContractorDeleted', payload: { type: 'object' } };
    const before = await parseSpec(doc({ ContractorUpdated: updated, ContractorDeleted: deleted }), 'v1.json');
    const after = await parseSpec(doc({ ContractorDeleted: deleted }), 'v2.json');
    const reader = consumer('materials')
      .expectsFrom('contractors')
      .message('a ContractorUpdated event')
      .withPayload({ stock: m.string('1') })
      .toInteraction();
    const report = diffSpecs(before, after, [{ consumer: 'materials', provider: 'contractors', interactions: [reader], specVersion: '4.0', metadata: {} }]);
    expect(rows(report)[0]).toEqual(['breaking', 'message-removed', '$', ['materials']]);
    expect(report.changes[0]?.affected[0]?.reason).toBe(`materials reads ContractorUpdated, which the new spec no longer has; it now matches only ContractorDeleted (topic contractors.v1)`);
  });
});
