/**
 * Checks the message parts of Pact V3 and V4 contract files against their JSON Schema
 * (pact-message-schema.ts), with the validators ajv compiled from it at build time
 * (pact-message-validators.generated.ts and pact-message-full-validators.generated.ts: no ajv at
 * run time), and converts ajv's errors into {@link ContractIssue}s that name a JSON pointer.
 */
import type { ErrorObject } from 'ajv';
import { validateGenerators, validateMatchingRules, validateV3Shell, validateV4Shell } from './pact-message-validators.generated';
import { isJsonObject, type JsonObject, type JsonValue } from './json';
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

/** An ajv standalone validator: true when valid, else `errors` says why. */
interface Validator<T> {
  (data: unknown): data is T;
  errors?: ErrorObject[] | null;
}
/** The whole schema's validators, loaded by the first file that fails the split check (see {@link checkContractShape}). */
function wholeSchema(major: 3 | 4): Validator<RawV3Contract | RawV4Contract> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- require() keeps the module uncompiled in a process that reads only valid files
  const full = require('./pact-message-full-validators.generated') as typeof import('./pact-message-full-validators.generated');
  return major === 3 ? (full.validateV3 as Validator<RawV3Contract>) : (full.validateV4 as Validator<RawV4Contract>);
}
const shells = { v3: validateV3Shell as Validator<RawV3Contract>, v4: validateV4Shell as Validator<RawV4Contract> };
const maps = { matchingRules: validateMatchingRules as Validator<unknown>, generators: validateGenerators as Validator<unknown> };

/** The outcome of {@link checkContractShape}: the typed raw contract, or the issues found. */
export type ShapeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ContractIssue[] };

/**
 * Names a rule or generator map by its JSON text (equal texts, equal maps), as the reader interns
 * them; the value must have passed `assertSafeJson` (plain JSON, finite numbers), for which the
 * text is exact.
 */
export type MapText = (map: object) => string;

/**
 * Validates a V3 (`messages`) or V4 (`interactions`) contract against the schema. Issues come
 * most relevant first (ajv's order, minus combinator noise).
 *
 * A file usually repeats a few rule and generator maps in every interaction, so the check is split:
 * the file against the schema with its maps accepted as is (pactMessageShellSchema), and each map
 * whose text `textOf` has not named yet against its definition. The schema applies those definitions
 * only as conjuncts, so the file is valid exactly when both parts are. Anything invalid runs the
 * whole schema again, which reports the issues, in their order, as it always has.
 */
export function checkContractShape(json: JsonValue, major: 3, textOf?: MapText): ShapeResult<RawV3Contract>;
export function checkContractShape(json: JsonValue, major: 4, textOf?: MapText): ShapeResult<RawV4Contract>;
export function checkContractShape(json: JsonValue, major: 3 | 4, textOf: MapText = (map) => JSON.stringify(map)): ShapeResult<RawV3Contract | RawV4Contract> {
  if ((major === 3 ? shells.v3 : shells.v4)(json) && mapsAreValid(json, major, textOf)) return { ok: true, value: json as RawV3Contract | RawV4Contract };
  const validate = wholeSchema(major);
  if (validate(json)) return { ok: true, value: json };
  return { ok: false, issues: toIssues(validate.errors ?? [], major) };
}

/**
 * Whether every map the schema checks in a file that passed the shell is valid, each distinct text
 * validated once. The schema checks the maps of each V3 message; of each V4 interaction whose type is
 * "Asynchronous/Messages"; and of the request and each response of a "Synchronous/Messages" one.
 */
function mapsAreValid(json: JsonValue, major: 3 | 4, textOf: MapText): boolean {
  const checked = { matchingRules: new Map<string, boolean>(), generators: new Map<string, boolean>() };
  const last = { matchingRules: '', generators: '' };
  // Whatever the shell should have rejected answers false: the whole schema then decides.
  const partIsValid = (part: unknown): boolean => {
    if (!isJsonObject(part)) return false;
    for (const name of ['matchingRules', 'generators'] as const) {
      const map = part[name];
      if (map === undefined) continue;
      if (!isJsonObject(map)) return false;
      // Consecutive interactions often spell the same map: the last text is compared first, which
      // spares hashing a long text (as the reader does when it interns the maps).
      const text = textOf(map);
      if (text === last[name]) continue;
      let valid = checked[name].get(text);
      if (valid === undefined) checked[name].set(text, (valid = maps[name](map)));
      if (!valid) return false;
      last[name] = text;
    }
    return true;
  };
  if (!isJsonObject(json)) return false;
  if (major === 3) {
    const messages = json['messages'];
    return messages === undefined || (Array.isArray(messages) && messages.every(partIsValid));
  }
  const interactions = json['interactions'];
  return (
    Array.isArray(interactions) &&
    interactions.every((interaction) => {
      if (!isJsonObject(interaction)) return false;
      if (interaction['type'] === 'Asynchronous/Messages') return partIsValid(interaction);
      if (interaction['type'] !== 'Synchronous/Messages') return true;
      const response = interaction['response'];
      return partIsValid(interaction['request']) && (response === undefined || (Array.isArray(response) && response.every(partIsValid)));
    })
  );
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
