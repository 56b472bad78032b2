/**
 * The self-check of declarations that reuse a compiled shape (shape.ts): an example must satisfy its
 * own matchers. One example of the shape is checked in full and kept; a later example has the same
 * structure (keys in the same order, array lengths) and differs from it only in some leaf values.
 *
 * When every body rule is of a kind whose check on an object or array compared with itself reads
 * only its keys or length, and whose walk below it is plain descent (STRUCTURAL_KINDS), the full walk
 * of the later example does exactly what it did on the checked one except at the changed leaves, and
 * a leaf's verdict depends only on its path, the rules and its value. So only the changed leaves are
 * compared (matchBodyLeaf). Anything else (other kinds, changed metadata, structure or rule maps)
 * and any leaf that fails runs the full check, which reports the mismatches as before.
 */
import type { JsonValue } from '../contract/json';
import type { MessageInteraction, RuleMap } from '../contract/model';
import { numberLiteral } from '../contract/number-literals';
import { isSealedRuleMap } from '../contract/sealed';
import type { PathSegment } from '../contract/path';
import { matchBodyLeaf } from '../matching/engine';

/**
 * Kinds whose check of a container against itself depends on its structure only: `type` (type,
 * min/max), `equality` (a value equals itself), `notEmpty` (size); `regex` never runs on a container;
 * `integer`, `decimal`, `number`, `boolean`, `include`, `date`, `time` and `datetime` run on array
 * items only and fail on any object. Not here: `values`, `eachKey`, `eachValue` and `arrayContains`
 * (the walk reads keys and items through them), `contentType`, `semver`, `null` and unknown names.
 */
const STRUCTURAL_KINDS: ReadonlySet<string> = new Set(['type', 'equality', 'notEmpty', 'regex', 'integer', 'decimal', 'number', 'boolean', 'include', 'date', 'time', 'datetime']);

interface Checked {
  readonly bodyRules: RuleMap;
  readonly metadataRules: RuleMap;
  readonly contentType: string;
  /** Copies of the checked example: the interaction handed out may be changed by its user. */
  readonly content: JsonValue;
  readonly metadata: JsonValue;
}

/** The checked example of each reused shape, by the shape's compiled parts. */
const checked = new WeakMap<object, Checked>();

interface Change {
  readonly segments: readonly PathSegment[];
  readonly value: JsonValue;
}

const isJsonBody = (contentType: string): boolean => /json/i.test(contentType) && !/xml/i.test(contentType);

function structuralRules(rules: RuleMap): boolean {
  for (const list of Object.values(rules)) {
    if (!Array.isArray(list.matchers)) return false;
    for (const rule of list.matchers) if (typeof rule !== 'object' || rule === null || !STRUCTURAL_KINDS.has(rule.match)) return false;
  }
  return true;
}

/** The walk reads object keys with `for…in`: an enumerable key on Object.prototype would join every object's. */
function prototypeHasEnumerableKeys(): boolean {
  for (const _ in {}) return true;
  return false;
}

/** A copy keeping -0 and every other number as it is (JSON text would turn -0 into 0). */
function copyOf(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(copyOf);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) out[key] = copyOf(value[key] as JsonValue);
  return out;
}

const isPlainObject = (value: object): boolean => Object.getPrototypeOf(value) === Object.prototype;
const isContainer = (value: JsonValue): value is JsonValue[] | Record<string, JsonValue> => typeof value === 'object' && value !== null;

/**
 * Adds to `out` the leaves of `next` whose value is not `base`'s; false when the two differ in
 * structure (a key, its order, a length, a container for a leaf) or `next` is not plain JSON as
 * exampleOf builds it (plain objects and arrays, numbers without a recorded literal).
 */
function collectChanges(base: JsonValue, next: JsonValue, segments: PathSegment[], out: Change[]): boolean {
  if (Array.isArray(base)) {
    if (!Array.isArray(next) || Object.getPrototypeOf(next) !== Array.prototype || next.length !== base.length) return false;
    for (let i = 0; i < base.length; i++) {
      segments.push(i);
      const same = leafOrContainer(base[i] as JsonValue, next, i, segments, out);
      segments.pop();
      if (!same) return false;
    }
    return true;
  }
  if (typeof base !== 'object' || base === null) return false;
  if (typeof next !== 'object' || next === null || Array.isArray(next) || !isPlainObject(next)) return false;
  const keys = Object.keys(base);
  const nextKeys = Object.keys(next);
  if (keys.length !== nextKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (nextKeys[i] !== key) return false;
    segments.push(key);
    const same = leafOrContainer(base[key] as JsonValue, next, key, segments, out);
    segments.pop();
    if (!same) return false;
  }
  return true;
}

function leafOrContainer(base: JsonValue, parent: JsonValue[] | Record<string, JsonValue>, key: string | number, segments: PathSegment[], out: Change[]): boolean {
  const next = (parent as Record<string | number, JsonValue>)[key] as JsonValue;
  if (isContainer(base) || isContainer(next)) return isContainer(base) && isContainer(next) && collectChanges(base, next, segments, out);
  if (typeof next === 'number' && numberLiteral(parent, key) !== undefined) return false;
  if (!Object.is(base, next)) out.push({ segments: [...segments], value: next });
  return true;
}

/** The leaves of `next` that differ from `base`, or undefined when their structures differ. */
function changesFrom(base: JsonValue, next: JsonValue): Change[] | undefined {
  const out: Change[] = [];
  return collectChanges(base, next, [], out) ? out : undefined;
}

/**
 * Remembers `interaction`'s example, which has just passed the full self-check with the shape's
 * `parts`, when later examples of the shape can be checked by their changes (see the file comment).
 */
export function rememberChecked(parts: object, interaction: MessageInteraction): void {
  if (checked.has(parts)) return;
  const { content, contentType } = interaction.contents;
  const { body, metadata } = interaction.matchingRules;
  // Only sealed (frozen) rule maps, a reused shape's (shape.ts): they read later as they read now.
  if (!isSealedRuleMap(body) || !isSealedRuleMap(metadata)) return;
  if (!isJsonBody(contentType) || typeof content !== 'object' || content === null || !structuralRules(body)) return;
  checked.set(parts, {
    bodyRules: body,
    metadataRules: metadata,
    contentType,
    content: copyOf(content),
    metadata: copyOf(interaction.metadata),
  });
}

/**
 * True when `interaction` (a declaration of the shape with `parts`) passes its self-check because
 * the checked example of the shape passed and each leaf that changed since passes; false means
 * "not known": run the full check.
 */
export function passesAsChecked(parts: object, interaction: MessageInteraction): boolean {
  const base = checked.get(parts);
  if (base === undefined || prototypeHasEnumerableKeys()) return false;
  const { content, contentType } = interaction.contents;
  if (interaction.matchingRules.body !== base.bodyRules || interaction.matchingRules.metadata !== base.metadataRules || contentType !== base.contentType) return false;
  if (content === undefined || changesFrom(base.metadata, interaction.metadata)?.length !== 0) return false;
  const changes = changesFrom(base.content, content);
  if (changes === undefined) return false;
  try {
    for (const change of changes) if (matchBodyLeaf(base.bodyRules, change.segments, change.value).length > 0) return false;
    return true;
  } catch {
    return false;
  }
}
