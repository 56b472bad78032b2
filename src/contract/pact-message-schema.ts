/**
 * JSON Schema (draft-07) for the message parts of Pact V3 and V4 contract files: strict where
 * Herald relies on a field, tolerant of fields other Pact tools add. Checked at run time by the
 * validators scripts/generate-contract-validators.ts compiles from it with ajv at build time
 * (pact-message-validators.generated.ts, pact-message-full-validators.generated.ts), so
 * verification never loads ajv.
 */
import type { JsonValue } from './json';

const ref = (name: string): { $ref: string } => ({ $ref: `#/definitions/${name}` });
const nonEmptyString = { type: 'string', minLength: 1 };
const categories = (item: string): object => ({
  type: 'object',
  properties: { body: ref(`body${item}`), content: ref(`body${item}`), metadata: ref(`metadata${item}`), metaData: ref(`metadata${item}`) },
  additionalProperties: false,
});

/** Definitions shared by the V3 and V4 schemas; `v3Contract` and `v4Contract` are the roots. */
export const pactMessageSchema = {
  $id: 'https://herald.dev/schemas/pact-message.json',
  definitions: {
    pacticipant: { type: 'object', required: ['name'], properties: { name: nonEmptyString } },
    providerState: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, params: { type: ['object', 'null'] } },
    },
    providerStates: { type: 'array', items: ref('providerState') },
    // A matcher names its kind ("match", or "pact:matcher:type" as consumer DSLs write it), or is
    // the V2 shape whose kind Pact infers from its options: regex, min/max, timestamp/time/date.
    matcher: {
      type: 'object',
      properties: { match: nonEmptyString, 'pact:matcher:type': nonEmptyString },
      if: { required: ['match'] },
      then: {
        if: { properties: { match: { const: 'regex' } } },
        then: { required: ['regex'], properties: { regex: { type: 'string' } } },
      },
      else: {
        if: {
          anyOf: [
            { required: ['pact:matcher:type'] },
            { required: ['regex'] },
            { required: ['min'], properties: { min: { type: 'number' } } },
            { required: ['max'], properties: { max: { type: 'number' } } },
            { required: ['timestamp'], properties: { timestamp: { type: 'string' } } },
            { required: ['time'], properties: { time: { type: 'string' } } },
            { required: ['date'], properties: { date: { type: 'string' } } },
          ],
        },
        then: { properties: { regex: { type: 'string' } } },
        else: { required: ['match'] },
      },
    },
    ruleList: {
      type: 'object',
      required: ['matchers'],
      properties: { combine: { enum: ['AND', 'OR'] }, matchers: { type: 'array', items: ref('matcher') } },
    },
    rule: { type: 'object', if: { required: ['matchers'] }, then: ref('ruleList'), else: ref('matcher') },
    bodyRules: { type: 'object', propertyNames: { pattern: '^\\$' }, additionalProperties: ref('rule') },
    metadataRules: { type: 'object', additionalProperties: ref('rule') },
    matchingRules: categories('Rules'),
    generator: { type: 'object', required: ['type'], properties: { type: nonEmptyString } },
    bodyGenerators: { type: 'object', propertyNames: { pattern: '^\\$' }, additionalProperties: ref('generator') },
    metadataGenerators: { type: 'object', additionalProperties: ref('generator') },
    generators: categories('Generators'),
    v3Message: {
      type: 'object',
      required: ['description'],
      properties: {
        description: nonEmptyString,
        providerState: { type: 'string' },
        providerStates: ref('providerStates'),
        metadata: { type: 'object' },
        metaData: { type: 'object' },
        matchingRules: ref('matchingRules'),
        generators: ref('generators'),
      },
    },
    v4Contents: {
      type: 'object',
      properties: { contentType: nonEmptyString, encoded: { type: ['boolean', 'string'] } },
      // Encoded contents (`"encoded": "base64"`, or `true` as some writers put it) are a string of bytes.
      if: { properties: { encoded: { anyOf: [{ type: 'string' }, { const: true }] } }, required: ['encoded'] },
      then: { required: ['content'], properties: { content: { type: 'string' } } },
    },
    channel: {
      type: 'object',
      required: ['transport'],
      properties: { transport: nonEmptyString },
      allOf: [
        {
          if: { properties: { transport: { const: 'kafka' } } },
          then: { required: ['topic'], properties: { topic: nonEmptyString, partition: { type: 'integer', minimum: 0 } } },
        },
        {
          if: { properties: { transport: { const: 'amqp' } } },
          then: {
            required: ['exchange'],
            properties: {
              exchange: { type: 'string' },
              exchangeType: { enum: ['direct', 'topic', 'fanout', 'headers'] },
              routingKey: { type: 'string' },
              queue: { type: 'string' },
            },
          },
        },
        {
          if: { properties: { transport: { enum: ['kafka', 'amqp'] } } },
          else: { required: ['name'], properties: { name: nonEmptyString } },
        },
      ],
    },
    herald: { type: 'object', properties: { channel: ref('channel'), owner: { type: 'string' } } },
    v4Message: {
      properties: {
        providerStates: ref('providerStates'),
        contents: ref('v4Contents'),
        metadata: { type: 'object' },
        matchingRules: ref('matchingRules'),
        generators: ref('generators'),
        pending: { type: 'boolean' },
        key: { type: 'string' },
        // The Pact CLI keeps `comments` when it re-serialises a pact on publish (it drops `herald`).
        comments: { type: 'object', properties: { herald: ref('herald') } },
        herald: ref('herald'),
      },
    },
    v4MessagePart: {
      type: 'object',
      properties: {
        contents: ref('v4Contents'),
        metadata: { type: 'object' },
        matchingRules: ref('matchingRules'),
        generators: ref('generators'),
      },
    },
    v4SyncMessage: {
      required: ['request'],
      properties: {
        providerStates: ref('providerStates'),
        request: ref('v4MessagePart'),
        response: { type: 'array', items: ref('v4MessagePart') },
        pending: { type: 'boolean' },
        key: { type: 'string' },
        comments: { type: 'object', properties: { herald: ref('herald') } },
        herald: ref('herald'),
      },
    },
    v4Interaction: {
      type: 'object',
      required: ['type', 'description'],
      properties: {
        type: { enum: ['Asynchronous/Messages', 'Synchronous/Messages', 'Synchronous/HTTP'] },
        description: nonEmptyString,
      },
      allOf: [
        { if: { properties: { type: { const: 'Asynchronous/Messages' } }, required: ['type'] }, then: ref('v4Message') },
        { if: { properties: { type: { const: 'Synchronous/Messages' } }, required: ['type'] }, then: ref('v4SyncMessage') },
      ],
    },
    contractMetadata: { type: 'object' },
    v3Contract: {
      type: 'object',
      required: ['consumer', 'provider'],
      properties: {
        consumer: ref('pacticipant'),
        provider: ref('pacticipant'),
        metadata: ref('contractMetadata'),
        messages: { type: 'array', items: ref('v3Message') },
        interactions: { type: 'array' },
      },
    },
    v4Contract: {
      type: 'object',
      required: ['consumer', 'provider', 'interactions'],
      properties: {
        consumer: ref('pacticipant'),
        provider: ref('pacticipant'),
        metadata: ref('contractMetadata'),
        interactions: { type: 'array', items: ref('v4Interaction') },
      },
    },
  },
} as const;

/** The rule and generator map definitions, which {@link pactMessageShellSchema} leaves out. */
const MAP_DEFINITIONS = ['matchingRules', 'generators'] as const;

const LOCAL_REF = '#/definitions/';

/**
 * Keywords whose subschema may fail while the schema holds (or hold while it fails): a map checked
 * under one is no conjunct, and checking it apart would change verdicts.
 */
const NOT_CONJUNCTIVE: ReadonlySet<string> = new Set(['not', 'anyOf', 'oneOf', 'if', 'contains']);

/**
 * The contract schema with every rule and generator map accepted as is: the interactions of a file
 * repeat the same few maps, so the reader checks the file against this schema and each distinct map
 * once against its own definition (schema.ts). Every definition that holds a map, directly or through
 * another such definition, is copied here with the map's `$ref` replaced by the empty schema; the
 * copies refer to each other, and to the full schema for everything else. Where the full schema
 * applies a map definition is thus where the shell applies nothing, and nowhere else differs.
 */
export const pactMessageShellSchema = {
  $id: 'https://herald.dev/schemas/pact-message-shell.json',
  definitions: shellDefinitions(pactMessageSchema.definitions as unknown as Readonly<Record<string, JsonValue>>),
};

/** The shell's definitions for a schema's `definitions` (exported for its tests). */
export function shellDefinitions(definitions: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> {
  const holders = new Set<string>(MAP_DEFINITIONS);
  // A fixpoint: a definition holds a map when it refers to a map or to a definition that holds one.
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, definition] of Object.entries(definitions)) {
      if (!holders.has(name) && refsOf(definition).some((ref) => holders.has(ref))) {
        holders.add(name);
        grew = true;
      }
    }
  }
  const shell: Record<string, JsonValue> = {};
  for (const name of holders) {
    if (!(MAP_DEFINITIONS as readonly string[]).includes(name)) shell[name] = rewriteRefs(definitions[name] as JsonValue, holders);
  }
  return shell;
}

/** The local definitions `value` refers to. */
function refsOf(value: JsonValue): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (typeof value !== 'object' || value === null) return [];
  const ref = value['$ref'];
  const own = typeof ref === 'string' && ref.startsWith(LOCAL_REF) ? [ref.slice(LOCAL_REF.length)] : [];
  return [...own, ...Object.values(value).flatMap(refsOf)];
}

/** A copy of `value`: a map's ref becomes `{}`, a holder's stays local, any other points to the full schema. */
function rewriteRefs(value: JsonValue, holders: ReadonlySet<string>): JsonValue {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, holders));
  if (typeof value !== 'object' || value === null) return value;
  const ref = value['$ref'];
  if (typeof ref === 'string' && ref.startsWith(LOCAL_REF)) {
    const name = ref.slice(LOCAL_REF.length);
    if ((MAP_DEFINITIONS as readonly string[]).includes(name)) return {};
    return { $ref: holders.has(name) ? ref : `${pactMessageSchema.$id}${ref}` };
  }
  const copy: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (NOT_CONJUNCTIVE.has(key) && refsOf(item).some((name) => holders.has(name))) {
      throw new Error(`The contract schema checks a rule or generator map under "${key}": the split check (schema.ts) cannot take the map apart there.`);
    }
    copy[key] = rewriteRefs(item, holders);
  }
  return copy;
}
