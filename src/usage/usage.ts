/**
 * Field usage as stored in a contract: the interaction's `herald.usage` block says which payload
 * paths, headers and key the consumer's handler read in its tests. Comparisons with a provider's
 * specification count only these fields.
 *
 *   "herald": { "usage": { "payload": ["$.available"], "headers": [], "key": false } }
 */
import type { JsonValue } from '../contract/json';
import { headersOf, META } from '../contract/channel';
import type { MessageInteraction } from '../contract/model';
import { declaredPayload, declaredPaths } from './declared';

/** What a consumer's handler read (sorted, deterministic). */
export interface FieldUsage {
  /** Payload paths read, Pact notation (`$.items[*].qty`); a read object lists its own path too. */
  readonly payload: readonly string[];
  /** Header names read. */
  readonly headers: readonly string[];
  /** Whether the Kafka key was read. */
  readonly key: boolean;
}

/** Declared fields a handler never read. */
export interface UnusedFields {
  /** Top-most unread payload paths (children of an unread path are not repeated). */
  readonly payload: readonly string[];
  readonly headers: readonly string[];
  /** True when a key is declared but was never read. */
  readonly key: boolean;
}

const isStringArray = (v: JsonValue | undefined): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The usage recorded in an interaction's `herald.usage`, or undefined when it has none (or a
 * malformed one: then every declared field counts as used).
 *
 * @example const usage = usageOf(contract.interactions[0]); // { payload: ['$.available'], headers: [], key: false }
 */
export function usageOf(interaction: MessageInteraction): FieldUsage | undefined {
  const raw = interaction.herald?.['usage'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const block = raw as { readonly [k: string]: JsonValue | undefined };
  const payload = block['payload'];
  const headers = block['headers'];
  const key = block['key'];
  if (!isStringArray(payload) || !isStringArray(headers) || typeof key !== 'boolean') return undefined;
  return { payload, headers, key };
}

/** The usage block as JSON, for the interaction's `herald` block. */
export function usageJson(usage: FieldUsage): { payload: string[]; headers: string[]; key: boolean } {
  const sort = (xs: readonly string[]): string[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { payload: sort(usage.payload), headers: sort(usage.headers), key: usage.key };
}

/** Whether an interaction declares a Kafka key. */
export function declaresKey(interaction: MessageInteraction): boolean {
  return interaction.metadata[META.kafkaKey] !== undefined;
}

/**
 * Declared fields that `usage` never read.
 *
 * @example unusedFields(interaction, usageOf(interaction)!) // { payload: ['$.stock'], headers: [], key: false }
 */
export function unusedFields(interaction: MessageInteraction, usage: FieldUsage): UnusedFields {
  const read = new Set(usage.payload);
  const unused: string[] = [];
  for (const path of declaredPaths(declaredPayload(interaction))) {
    if (read.has(path)) continue;
    if (unused.some((parent) => path.startsWith(parent) && /^[.[]/.test(path.slice(parent.length)))) continue;
    unused.push(path);
  }
  const headers = Object.keys(headersOf(interaction.metadata)).filter((h) => !usage.headers.includes(h)).sort();
  return { payload: unused, headers, key: declaresKey(interaction) && !usage.key };
}

/** True when nothing declared went unread. */
export function noneUnused(unused: UnusedFields): boolean {
  return unused.payload.length === 0 && unused.headers.length === 0 && !unused.key;
}

/** "$.stock, header trace-id, the key" */
export function describeFields(fields: { readonly payload: readonly string[]; readonly headers: readonly string[]; readonly key?: boolean }): string {
  return [...fields.payload, ...fields.headers.map((h) => `header ${h}`), ...(fields.key === true ? ['the key'] : [])].join(', ');
}
