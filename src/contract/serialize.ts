/**
 * Serialises contracts as Pact Specification V4 JSON, deterministically: interactions sorted by
 * description then provider states, rule/generator paths and metadata keys sorted, fixed key order,
 * two-space indentation and a final newline. The same contract always gives the same bytes.
 */
import * as nodeCrypto from 'node:crypto';
import { formatKey } from './path';
import { isJsonObject, type JsonObject, type JsonValue } from './json';
import {
  isSyncInteraction,
  type AnyInteraction,
  type Contract,
  type GeneratorMap,
  type MessageInteraction,
  type MessagePart,
  type ProviderState,
  type RuleMap,
  type SyncMessageInteraction,
} from './model';

export const HERALD_VERSION = '0.1.0';

/** Stable V4 interaction key: a hash of what identifies the interaction. */
export function interactionKey(description: string, providerStates: readonly ProviderState[]): string {
  const identity = identityOf(description, providerStates);
  // crypto.hash (Node ≥ 20.12) is the one-shot form, several times cheaper than a Hash object; same digest.
  return (typeof oneShotHash === 'function' ? oneShotHash('sha256', identity, 'hex') : nodeCrypto.createHash('sha256').update(identity).digest('hex')).slice(0, 16);
}

// Looked up, not imported by name: an ESM named import of a missing export fails on older Node 20.
const oneShotHash = (nodeCrypto as { readonly hash?: typeof nodeCrypto.hash }).hash;

/** Identity of an interaction inside a contract: description plus provider states. */
export function identityOf(description: string, providerStates: readonly ProviderState[]): string {
  return JSON.stringify([description, providerStates.map((s) => [s.name, s.params === undefined ? null : sortKeys(s.params)])]);
}

/** Deep copy with object keys sorted (arrays keep their order). */
export function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] as JsonValue);
    return out;
  }
  return value;
}

function sortedRecord<T>(record: Readonly<Record<string, T>>, map: (v: T) => JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(record).sort()) out[key] = map(record[key] as T);
  return out;
}

/**
 * Declarations of one shape share their rule and generator maps (dsl/shape.ts): each map is laid
 * out once and its layout shared by every interaction that holds it. Callers must not modify what
 * interactionJson returns below `matchingRules` and `generators`.
 */
const layouts = new WeakMap<object, JsonObject>();

function layoutOnce<T extends object>(map: T, layout: (map: T) => JsonObject): JsonObject {
  let out = layouts.get(map);
  if (out === undefined) layouts.set(map, (out = layout(map)));
  return out;
}

const rulesJson = (rules: RuleMap): JsonObject =>
  layoutOnce(rules, (r) => sortedRecord(r, (list) => ({ combine: list.combine, matchers: list.matchers.map((m) => sortKeys(m as unknown as JsonValue)) })));
const generatorsJson = (generators: GeneratorMap): JsonObject => layoutOnce(generators, (g) => sortedRecord(g, (one) => sortKeys(one as unknown as JsonValue)));

/**
 * Metadata rules are keyed by the metadata key itself; a key starting with "$" would read as a
 * path, so it is written as one (`$['$key']`).
 */
function metadataPaths<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const keys = Object.keys(record);
  if (!keys.some((k) => k.startsWith('$'))) return record as Record<string, T>;
  return Object.fromEntries(keys.map((k) => [k.startsWith('$') ? `$${formatKey(k)}` : k, record[k] as T]));
}

/** One interaction in V4 layout. Empty rule/generator categories are omitted, as Pact does. */
export function interactionJson(i: MessageInteraction): JsonObject {
  const out: JsonObject = {
    type: 'Asynchronous/Messages',
    description: i.description,
    key: i.key ?? interactionKey(i.description, i.providerStates),
    pending: i.pending,
  };
  if (i.providerStates.length > 0) out['providerStates'] = statesJson(i.providerStates);
  Object.assign(out, partJson(i));
  const comments = commentsJson(i);
  if (comments !== undefined) out['comments'] = comments;
  return out;
}

/**
 * A request/reply interaction in V4 layout (`Synchronous/Messages`), as pact-js 16 writes it:
 * `request` and `response[]` each with contents, metadata, matchingRules and generators.
 */
export function syncInteractionJson(i: SyncMessageInteraction): JsonObject {
  const out: JsonObject = {
    type: 'Synchronous/Messages',
    description: i.description,
    key: i.key ?? interactionKey(i.description, i.providerStates),
    pending: i.pending,
  };
  if (i.providerStates.length > 0) out['providerStates'] = statesJson(i.providerStates);
  out['request'] = partJson(i.request);
  out['response'] = i.response.map(partJson);
  const comments = commentsJson(i);
  if (comments !== undefined) out['comments'] = comments;
  return out;
}

/**
 * The interaction's comments with Herald's block (channel, Avro schema, usage, owner) under
 * `comments.herald`: the Pact model keeps `comments` when the Pact CLI re-serialises a pact on
 * publish, and drops an interaction-level `herald` field.
 */
function commentsJson(i: AnyInteraction): JsonObject | undefined {
  if (i.comments === undefined && i.herald === undefined) return undefined;
  const out: JsonObject = { ...(i.comments ?? {}) };
  // A block set through comments (a flow step's `flow`, from the DSL) and the interaction's block are one.
  const inComments = out['herald'];
  if (i.herald !== undefined) out['herald'] = { ...(isJsonObject(inComments) ? inComments : {}), ...(i.herald as unknown as JsonObject) } as JsonObject;
  return sortKeys(out) as JsonObject;
}

/** Either kind of interaction in V4 layout. */
export function anyInteractionJson(i: AnyInteraction): JsonObject {
  return isSyncInteraction(i) ? syncInteractionJson(i) : interactionJson(i);
}

function statesJson(states: readonly ProviderState[]): JsonValue {
  return states.map((s) => (s.params === undefined ? { name: s.name } : { name: s.name, params: sortKeys(s.params) }));
}

/** Contents, metadata, rules and generators of a message (or one side of a request/reply). */
function partJson(i: MessagePart): JsonObject {
  const out: JsonObject = {};
  // No body is no "content" key; null and "" are bodies (JSON null, the empty string) and are kept.
  out['contents'] = {
    ...(i.contents.content === undefined ? {} : { content: i.contents.content }),
    contentType: i.contents.contentType,
    encoded: i.contents.encoded,
  };
  out['metadata'] = sortKeys(i.metadata);
  const rules: JsonObject = {};
  if (Object.keys(i.matchingRules.body).length > 0) rules['body'] = rulesJson(i.matchingRules.body);
  if (Object.keys(i.matchingRules.metadata).length > 0) rules['metadata'] = rulesJson(metadataPaths(i.matchingRules.metadata));
  if (Object.keys(rules).length > 0) out['matchingRules'] = rules;
  const generators: JsonObject = {};
  if (Object.keys(i.generators.body).length > 0) generators['body'] = generatorsJson(i.generators.body);
  if (Object.keys(i.generators.metadata).length > 0) generators['metadata'] = generatorsJson(metadataPaths(i.generators.metadata));
  if (Object.keys(generators).length > 0) out['generators'] = generators;
  return out;
}

/** The whole file, as text. */
export function serializeContract(contract: Contract): string {
  // Sort by identity, computed once per interaction rather than once per comparison.
  const all: readonly AnyInteraction[] = [...contract.interactions, ...(contract.synchronous ?? [])];
  const interactions = all
    .map((i) => [identityOf(i.description, i.providerStates), i] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, i]) => anyInteractionJson(i));
  const metadata: JsonObject = {
    ...(sortKeys(contract.metadata) as JsonObject),
    pactSpecification: { version: '4.0' },
    herald: { version: HERALD_VERSION },
  };
  const file: JsonObject = {
    consumer: { name: contract.consumer },
    provider: { name: contract.provider },
    interactions,
    metadata: sortKeys(metadata),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
