/**
 * JSON Schema (draft-07, checked with ajv) for the message parts of Pact V3 and V4 contract files,
 * and the conversion of ajv errors into {@link ContractIssue}s that name a JSON pointer.
 * Strict where Herald relies on a field, tolerant of fields other Pact tools add.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonObject, JsonValue } from './json';
import type { HeraldInteractionBlock } from './model';
import { pointerSegment } from './safe-json';

/** One schema violation: where (JSON pointer), which schema keyword, and what is wrong. */
export interface ContractIssue {
  readonly pointer: string;
  readonly keyword: string;
  /** Reads after the pointer: `/interactions/0/contents/contentType` + ` must be string (found number)`. */
  readonly message: string;
}

// --- raw shapes the schemas guarantee -----------------------------------------------------------
// Internal to src/contract (the reader turns them into the model); not part of Herald's public API.

/** Rule and generator category names accepted in files; the reader folds them to body/metadata. */
export type RawCategory = 'body' | 'content' | 'metadata' | 'metaData';
/** A matcher as written: `{ "match": "regex", "regex": "^\\d+$" }`. */
export interface RawMatcher {
  readonly match: string;
  readonly [option: string]: JsonValue;
}
/** Rules at one path in the V3/V4 form. */
export interface RawRuleList {
  readonly combine?: 'AND' | 'OR';
  readonly matchers: readonly RawMatcher[];
}
/** A rule entry: the V3/V4 list form, or the V2 flat form (a single matcher). */
export type RawRule = RawRuleList | RawMatcher;
/** A generator as written: `{ "type": "Uuid" }`. */
export interface RawGenerator {
  readonly type: string;
  readonly [option: string]: JsonValue;
}
/** Category (with aliases) → path → rule or generator. */
export type RawCategories<T> = { readonly [category in RawCategory]?: Readonly<Record<string, T>> };
/** A provider state as written; `params` may be null. */
export interface RawProviderState {
  readonly name: string;
  readonly params?: JsonObject | null;
}
interface RawMessageCommon {
  readonly description: string;
  readonly providerStates?: readonly RawProviderState[];
  readonly metadata?: JsonObject;
  readonly matchingRules?: RawCategories<RawRule>;
  readonly generators?: RawCategories<RawGenerator>;
}
/** An entry of a V3 file's `messages`. */
export interface RawV3Message extends RawMessageCommon {
  readonly providerState?: string;
  readonly contents?: JsonValue;
  readonly metaData?: JsonObject;
}
/** V4 `contents`: `encoded` is false, true (base64) or the encoding name. */
export interface RawV4Contents {
  readonly content?: JsonValue;
  readonly contentType?: string;
  readonly encoded?: boolean | string;
}
/** A V4 interaction of type Asynchronous/Messages. */
export interface RawV4Message extends RawMessageCommon {
  readonly type: 'Asynchronous/Messages';
  readonly contents?: RawV4Contents;
  readonly pending?: boolean;
  readonly key?: string;
  readonly comments?: JsonObject;
  readonly herald?: HeraldInteractionBlock;
}
/** One side (request or one response) of a V4 Synchronous/Messages interaction. */
export interface RawV4MessagePart {
  readonly contents?: RawV4Contents;
  readonly metadata?: JsonObject;
  readonly matchingRules?: RawCategories<RawRule>;
  readonly generators?: RawCategories<RawGenerator>;
}
/** A V4 interaction of type Synchronous/Messages: a request and the expected responses. */
export interface RawV4SyncMessage {
  readonly type: 'Synchronous/Messages';
  readonly description: string;
  readonly providerStates?: readonly RawProviderState[];
  readonly request?: RawV4MessagePart;
  readonly response?: readonly RawV4MessagePart[];
  readonly pending?: boolean;
  readonly key?: string;
  readonly comments?: JsonObject;
  readonly herald?: HeraldInteractionBlock;
}
/** A V4 interaction Herald skips (HTTP). */
export interface RawOtherInteraction {
  readonly type: 'Synchronous/HTTP';
  readonly description: string;
}
/** Any V4 interaction. */
export type RawV4Interaction = RawV4Message | RawV4SyncMessage | RawOtherInteraction;
interface RawContractBase {
  readonly consumer: { readonly name: string };
  readonly provider: { readonly name: string };
  readonly metadata?: JsonObject;
}
/** A V3 message pact. */
export interface RawV3Contract extends RawContractBase {
  readonly messages?: readonly RawV3Message[];
  /** HTTP interactions of a V3 file: skipped. */
  readonly interactions?: readonly JsonValue[];
}
/** A V4 pact. */
export interface RawV4Contract extends RawContractBase {
  readonly interactions: readonly RawV4Interaction[];
}

// --- the schema ----------------------------------------------------------------------------------

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

let validators: { readonly v3: ValidateFunction<RawV3Contract>; readonly v4: ValidateFunction<RawV4Contract> } | undefined;

function compiled(): NonNullable<typeof validators> {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
    ajv.addSchema(pactMessageSchema);
    validators = {
      v3: ajv.compile<RawV3Contract>({ $ref: `${pactMessageSchema.$id}#/definitions/v3Contract` }),
      v4: ajv.compile<RawV4Contract>({ $ref: `${pactMessageSchema.$id}#/definitions/v4Contract` }),
    };
  }
  return validators;
}

/** The outcome of {@link checkContractShape}: the typed raw contract, or the issues found. */
export type ShapeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ContractIssue[] };

/**
 * Validates a V3 (`messages`) or V4 (`interactions`) contract against the schema. Issues come
 * most relevant first (ajv's order, minus combinator noise).
 */
export function checkContractShape(json: JsonValue, major: 3): ShapeResult<RawV3Contract>;
export function checkContractShape(json: JsonValue, major: 4): ShapeResult<RawV4Contract>;
export function checkContractShape(json: JsonValue, major: 3 | 4): ShapeResult<RawV3Contract | RawV4Contract> {
  const validate = major === 3 ? compiled().v3 : compiled().v4;
  if (validate(json)) return { ok: true, value: json };
  return { ok: false, issues: toIssues(validate.errors ?? [], major) };
}

/** Converts ajv errors to issues: drops combinator noise (`if`, `propertyNames`) and duplicates. */
function toIssues(errors: readonly ErrorObject[], major: 3 | 4): readonly ContractIssue[] {
  const issues: ContractIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const issue = toIssue(error, major);
    const id = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: ErrorObject, major: 3 | 4): ContractIssue {
  const params = error.params as Readonly<Record<string, unknown>>;
  const child = (key: unknown): string => `${error.instancePath}/${pointerSegment(String(key))}`;
  const issue = (pointer: string, message: string): ContractIssue => ({ pointer, keyword: error.keyword, message });
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      return issue(child(missing), `is required${requiredHint(missing, error.instancePath, major)}`);
    }
    case 'type':
      return issue(error.instancePath, `must be ${String(params['type']).replace(/,/g, ' or ')} (found ${jsonType(data)})`);
    case 'enum':
    case 'const': {
      const allowed = error.keyword === 'enum' ? (params['allowedValues'] as readonly unknown[]) : [params['allowedValue']];
      return issue(error.instancePath, `must be ${allowed.map((v) => JSON.stringify(v)).join(' or ')} (found ${preview(data)})`);
    }
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return issue(child(params['additionalProperty']), `is not allowed here (expected one of: ${allowed.join(', ')})`);
    }
    case 'minLength':
      return issue(error.instancePath, 'must not be empty');
    case 'pattern':
      if (error.propertyName !== undefined) {
        return issue(child(error.propertyName), 'is not a JSON path: body paths start with "$" (e.g. "$.items[*].id")');
      }
      return issue(error.instancePath, `must match ${String(params['pattern'])} (found ${preview(data)})`);
    default:
      return issue(error.instancePath, error.message ?? `fails the "${error.keyword}" rule`);
  }
}

function requiredHint(missing: string, parent: string, major: 3 | 4): string {
  if (parent === '' && missing === 'interactions' && major === 4) {
    return ' (Pact V4 files list messages in "interactions"; a file with "messages" is V3: set metadata.pactSpecification.version to "3.0.0")';
  }
  if (missing === 'match')
    return ' (each matcher names its kind, e.g. {"match": "type"}, or is a V2 matcher with "regex", "min", "max", "timestamp", "time" or "date"; a rule list is {"matchers": [...]})';
  if (missing === 'regex') return ' (a "regex" matcher needs the expression, e.g. {"match": "regex", "regex": "^\\\\d+$"})';
  if (missing === 'content') return ' (encoded contents hold the encoded bytes as a string)';
  return '';
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}
