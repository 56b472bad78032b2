/**
 * The contract validators ajv compiled at build time (pact-message-validators.generated.ts and
 * pact-message-full-validators.generated.ts) are the ones the schema gives today, report what ajv
 * compiling the schema at run time reports, and the split check gives the whole schema's verdict.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { GENERATED, validatorsSource } from '../../scripts/generate-contract-validators';
import type { JsonValue } from './json';
import { pactMessageSchema, shellDefinitions } from './pact-message-schema';
import { validateV3, validateV4 } from './pact-message-full-validators.generated';
import { checkContractShape } from './schema';

jest.setTimeout(60_000);

const HANDWRITTEN = path.resolve(__dirname, '../../test/fixtures/contracts/handwritten');

/** Every handwritten fixture, valid and invalid, with bad variants of a small V4 and V3 file. */
function samples(): [string, JsonValue][] {
  const files = ['valid', 'invalid'].flatMap((dir) =>
    readdirSync(path.join(HANDWRITTEN, dir))
      .filter((f) => f.endsWith('.json'))
      .flatMap((f): [string, JsonValue][] => {
        try {
          return [[`${dir}/${f}`, JSON.parse(readFileSync(path.join(HANDWRITTEN, dir, f), 'utf8')) as JsonValue]];
        } catch {
          return []; // malformed JSON never reaches the schema
        }
      }),
  );
  const message = (extra: Record<string, JsonValue>): JsonValue => ({ type: 'Asynchronous/Messages', description: 'an event', contents: { content: {}, contentType: 'application/json' }, ...extra });
  const v4 = (...interactions: JsonValue[]): JsonValue => ({ consumer: { name: 'a' }, provider: { name: 'b' }, interactions });
  return [
    ...files,
    ['an unknown rule category', v4(message({ matchingRules: { header: {} } }))],
    ['a body path without $', v4(message({ matchingRules: { body: { id: { match: 'type' } } } }))],
    ['an empty consumer name', { consumer: { name: '' }, provider: { name: 'b' }, interactions: [] }],
    ['a kafka channel without topic', v4(message({ herald: { channel: { transport: 'kafka', partition: -1 } } }))],
    ['an amqp exchange type', v4(message({ herald: { channel: { transport: 'amqp', exchange: 'x', exchangeType: 'nope' } } }))],
    ['a sync message without request', v4({ type: 'Synchronous/Messages', description: 'a request', response: [{ contents: { encoded: true } }] })],
    ['a V3 message list', { consumer: { name: 'a' }, provider: { name: 'b' }, messages: [{ description: '', providerStates: [{ params: 1 }] }] }],
    ['a matcher with a min string', v4(message({ matchingRules: { body: { '$.a': { combine: 'XOR', matchers: [{ min: '1' }, { match: 'regex' }] } } } }))],
  ];
}

describe('the generated contract validators', () => {
  const files = Object.entries(GENERATED).map(([file, generated]) => [path.basename(file), file, generated] as const);

  it.each(files)('are what scripts/generate-contract-validators.ts writes from the schema today (else run it): %s', (_name, file, generated) => {
    expect(readFileSync(file, 'utf8')).toBe(validatorsSource(generated));
  });

  it.each(files)('contain no require() or import: checking a contract loads no ajv code (%s)', (_name, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/\brequire\(|^import /m);
  });

  const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
  ajv.addSchema(pactMessageSchema);
  const runtime = { 3: ajv.compile({ $ref: `${pactMessageSchema.$id}#/definitions/v3Contract` }), 4: ajv.compile({ $ref: `${pactMessageSchema.$id}#/definitions/v4Contract` }) };

  const generated = { 3: validateV3 as (data: unknown) => boolean, 4: validateV4 as (data: unknown) => boolean };
  const errorsOf = (validate: unknown): unknown => (validate as { errors?: unknown }).errors;

  it.each(samples())('give the verdict and the errors ajv gives at run time for %s', (_name, json) => {
    for (const major of [3, 4] as const) {
      expect(generated[major](json)).toBe(runtime[major](json));
      expect(errorsOf(generated[major])).toEqual(runtime[major].errors);
    }
  });

  it.each(samples())('check the file and each distinct rule or generator map apart with the verdict of the whole schema for %s', (_name, json) => {
    expect(checkContractShape(json, 3).ok).toBe(generated[3](json));
    expect(checkContractShape(json, 4).ok).toBe(generated[4](json));
  });

  it('are refused for a schema that checks a rule map where its failure need not fail the file', () => {
    const definitions = JSON.parse(JSON.stringify(pactMessageSchema.definitions)) as Record<string, JsonValue>;
    expect(Object.keys(shellDefinitions(definitions)).sort()).toEqual(['v3Contract', 'v3Message', 'v4Contract', 'v4Interaction', 'v4Message', 'v4MessagePart', 'v4SyncMessage']);
    const anyOf = { ...definitions, v4MessagePart: { anyOf: [{ properties: { matchingRules: { $ref: '#/definitions/matchingRules' } } }, { required: ['contents'] }] } };
    expect(() => shellDefinitions(anyOf)).toThrow('The contract schema checks a rule or generator map under "anyOf"');
  });
});
