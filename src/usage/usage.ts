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
import { declaredPayload, declaredPaths, type DeclaredNode } from './declared';
import type { Mismatch } from '../matchers/mismatch';
import { parsePath, type PathToken } from '../contract/path';

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
export function usageOf(interaction: Pick<MessageInteraction, 'herald'>): FieldUsage | undefined {
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
  const read = usage.payload.map(tokensOf).filter((t): t is readonly PathToken[] => t !== undefined);
  const unused: string[] = [];
  for (const { path, tokens } of declaredTokens(declaredPayload(interaction))) {
    // A field counts as read when it or anything below it was read (reading `$.a.b` reads `$.a`).
    if (tokens === undefined || read.some((r) => covers(tokens, r))) continue;
    if (unused.some((parent) => path.startsWith(parent) && /^[.[]/.test(path.slice(parent.length)))) continue;
    unused.push(path);
  }
  const headers = Object.keys(headersOf(interaction.metadata))
    .filter((h) => !usage.headers.includes(h))
    .sort();
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

/** Declared paths below the root with their tokens, once per declared tree. */
function declaredTokens(root: DeclaredNode): readonly { readonly path: string; readonly tokens: readonly PathToken[] | undefined }[] {
  let list = tokensByTree.get(root);
  if (list === undefined) tokensByTree.set(root, (list = declaredPaths(root).map((path) => ({ path, tokens: tokensOf(path) }))));
  return list;
}

const tokensByTree = new WeakMap<DeclaredNode, readonly { readonly path: string; readonly tokens: readonly PathToken[] | undefined }[]>();

/** Usage lists repeat the same paths across interactions: parse each once (bounded). */
const parsedTokens = new Map<string, readonly PathToken[] | undefined>();

function tokensOf(path: string): readonly PathToken[] | undefined {
  if (parsedTokens.has(path)) return parsedTokens.get(path);
  const parsed = parsePath(path);
  const tokens = parsed.ok ? parsed.tokens : undefined;
  if (parsedTokens.size >= 10_000) parsedTokens.clear();
  parsedTokens.set(path, tokens);
  return tokens;
}

/** Whether the declared path `outer` is `inner` or one of its ancestors (wildcards match any key or index). */
function covers(outer: readonly PathToken[], inner: readonly PathToken[]): boolean {
  if (outer.length > inner.length) return false;
  return outer.every((o, i) => {
    const t = inner[i] as PathToken;
    if (o.kind === 'star') return t.kind !== 'root';
    if (o.kind === 'starIndex') return t.kind === 'index' || t.kind === 'starIndex';
    if (o.kind === 'field') return t.kind === 'field' && t.name === o.name;
    if (o.kind === 'index') return t.kind === 'index' && t.index === o.index;
    return t.kind === 'root';
  });
}

/** Mismatches of a verification, split by what the consumer reads. */
export interface MismatchesByUsage {
  /** Mismatches on fields the consumer reads (or on the message as a whole): they fail. */
  readonly failing: readonly Mismatch[];
  /** Mismatches only on fields the consumer declared but never read: reported, not failed. */
  readonly unread: readonly Mismatch[];
}

/**
 * Herald's one rule for what the consumer needs, shared by verify, compare and diff: a field the
 * consumer declared but never read (per the contract's recorded `herald.usage`) does not fail;
 * it is reported with its path. Without usage data (pact-js files…), or with `allFields`
 * (`--all-fields`), every declared field counts. A field that was read, a parent object of a read
 * field, and anything about the message as a whole (content type, decoding, the body's root) fail.
 *
 * @example splitByUsage(oddJobs, mismatches).unread.map((m) => m.path) // ['$.stock']
 */
export function splitByUsage(interaction: MessageInteraction, mismatches: readonly Mismatch[], allFields = false): MismatchesByUsage {
  const usage = allFields ? undefined : usageOf(interaction);
  if (usage === undefined || mismatches.length === 0) return { failing: mismatches, unread: [] };
  const unused = unusedFields(interaction, usage);
  const unreadPaths = unused.payload.map(tokensOf).filter((t): t is readonly PathToken[] => t !== undefined);
  const isUnread = (m: Mismatch): boolean => {
    if (m.code === 'decode' || m.code === 'content-type' || m.code === 'unsupported') return false;
    if (m.part === 'metadata') return unused.headers.includes(m.path) || (m.path === META.kafkaKey && unused.key);
    const tokens = tokensOf(m.path);
    return tokens !== undefined && tokens.length > 1 && unreadPaths.some((u) => covers(u, tokens));
  };
  return { failing: mismatches.filter((m) => !isUnread(m)), unread: mismatches.filter(isUnread) };
}
