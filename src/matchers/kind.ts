/**
 * A matcher kind: the Pact rule it writes (`match` name), how it checks one actual value, and what
 * it tells the bi-directional checks (compare/, diff) and the AsyncAPI export about the values it
 * accepts. Structural behaviour (array lengths, wildcards, eachKey/eachValue traversal,
 * arrayContains) belongs to the matching engine; a kind answers only for the value in front of it.
 * Shared code asks the kind (through registry.ts) and never switches on `match` names.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';
import type { CheckFailure, MismatchCode } from './mismatch';

export interface CheckInput {
  readonly rule: RuleJson;
  /** The value found; undefined when absent. */
  readonly actual: JsonValue | undefined;
  /** The contract's example at the same path, when there is one. */
  readonly expected: JsonValue | undefined;
  /** `actual` as written on the wire when it is a number whose text is not `JSON.stringify(actual)` (see contract/number-literals.ts). */
  readonly actualText?: string;
  /** `expected` as written in the contract file, likewise. */
  readonly expectedText?: string;
}

export type JsonTypeName = 'null' | 'boolean' | 'integer' | 'decimal' | 'string' | 'array' | 'object' | 'undefined';

/** A JSON type as Pact tells them apart (whole numbers `integer`, others `decimal`); the same union as asyncapi/schema's. */
export type JsonType = Exclude<JsonTypeName, 'undefined'>;

/** Array length bounds a rule sets; `{}` when the rule checks an array without bounding its length. */
export interface ArrayBounds {
  readonly min?: number;
  readonly max?: number;
}

/**
 * What a provider's JSON Schema promises about one value, as far as a matcher can use it to prove
 * itself without trying values.
 */
export interface SchemaPromise {
  /** The schema's anchored `pattern`s (`^…$`): JSON Schema patterns search, so only these can prove a full match. */
  readonly patterns: readonly string[];
  /** The schema's `format`s (`date-time`, `uuid`…). */
  readonly formats: readonly string[];
  /** `minLength` (0 when absent). */
  readonly minLength: number;
  /** `minItems` (0 when absent). */
  readonly minItems: number;
}

export interface MatcherKind {
  /** Pact `match` names this kind answers for (first is the one Herald writes). */
  readonly names: readonly string[];
  /**
   * Other spellings Pact implementations write (`min`, `content-type`, `real`…): a rule read with
   * one of them is renamed to `names[0]` when the contract is compiled.
   */
  readonly aliases?: readonly string[];
  /**
   * How the rule treats an array it is written for: `'items'` when pact-rust accepts it on an array
   * as a rule for the items (regex, integer, date…: it passes at the array and cascades to each
   * item); absent when the kind's `check` looks at the array itself (type with min/max, notEmpty…).
   */
  readonly onArray?: 'items';
  /**
   * The rule as it applies to values below the path it was written for (Pact cascades rules to
   * children): undefined when nothing of it survives the cascade. Absent: the rule cascades whole.
   *
   * @example typeKind.cascade({ match: 'type', min: 1 }) // { match: 'type' }: min/max stay where written
   */
  cascade?(rule: RuleJson): RuleJson | undefined;
  check(input: CheckInput): CheckFailure | undefined;
  /**
   * The JSON types a value under `rule` may have, given the contract's `example` at its path;
   * undefined when any type would do. Kinds that match "like the example" (type, regex, equality…)
   * answer the example's family: what the handler's inferred type says.
   *
   * @example integerKind.accepts({ match: 'integer' }, 3) // Set { 'integer' }
   */
  accepts(rule: RuleJson, example: JsonValue): ReadonlySet<JsonType> | undefined;
  /**
   * What the rule demands beyond the value's JSON type, as reports print it after the type
   * (`string (regex ^[0-9]+$)`); undefined when it demands nothing more (the type is printed from
   * `accepts`). A rule with a description is one that limits values beyond their type.
   *
   * @example regexKind.describe({ match: 'regex', regex: '^(?:A|B)$' }, 'A') // 'one of "A", "B"'
   */
  describe(rule: RuleJson, example: JsonValue): string | undefined;
  /**
   * The JSON Schema fragment of the values the rule accepts, for the AsyncAPI export
   * (`type`, `pattern`, `format`, `const`, `enum`, `minLength`…); `{}` when it cannot say.
   *
   * @example dateKind.jsonSchema({ match: 'date', format: 'yyyy-MM-dd' }, '2024-01-15') // { type: 'string', format: 'date' }
   */
  jsonSchema(rule: RuleJson, example: JsonValue): JsonObject;
  /**
   * True when every value a schema keeping `promise` allows is known to satisfy the rule (a spec's
   * matching pattern proves a regex, `format: date-time` a datetime). False means "not proven
   * here": the caller may still try sample values.
   */
  provenBy(rule: RuleJson, promise: SchemaPromise): boolean;
  /**
   * How the rule bounds an array's length; undefined when it says nothing about length (an array
   * no rule bounds is compared item by item, so its length is exact).
   */
  arrayBounds(rule: RuleJson): ArrayBounds | undefined;
}

/** JSON type of a value, telling integers from decimals as Pact does. */
export function jsonType(value: JsonValue | undefined): JsonTypeName {
  return value === undefined ? 'undefined' : valueType(value);
}

/** JSON type of a present value. */
export function valueType(value: JsonValue): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  return typeof value as 'boolean' | 'string' | 'object';
}

/** Short rendering of a value for messages. */
export function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A value with its JSON type, for type mismatches: `a string ("3")`, `null`, `nothing`. */
export function showTyped(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const t = valueType(value);
  const name = t === 'integer' || t === 'decimal' ? 'number' : t;
  return `${name === 'array' || name === 'object' ? 'an' : 'a'} ${name} (${show(value)})`;
}

/**
 * Code points of a string as `U+0065 U+0301`, for messages about strings that print alike (NFC vs
 * NFD, zero-width or other invisible characters); at most `limit` code points, then `…`.
 */
export function codePoints(text: string, limit = 24): string {
  const points = [...text].map((c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`);
  return points.length > limit ? `${points.slice(0, limit).join(' ')} …` : points.join(' ');
}

/** Invisible, format and combining characters: strings holding them can print like others. */
const DECEPTIVE = /[\p{Cf}\p{M}\p{Zl}\p{Zp}\u00a0\u2000-\u200a\u3000]/u;

/**
 * For two different strings that a reader may not tell apart (same after NFC, or holding invisible
 * or combining characters): ` (code points: expected …; got …)`; otherwise ''.
 */
export function codePointHint(expected: JsonValue | undefined, actual: JsonValue | undefined): string {
  if (typeof expected !== 'string' || typeof actual !== 'string' || expected === actual) return '';
  if (expected.normalize('NFC') !== actual.normalize('NFC') && !DECEPTIVE.test(expected) && !DECEPTIVE.test(actual)) return '';
  return ` (code points: expected ${codePoints(expected)}; got ${codePoints(actual)})`;
}

/** `String.prototype.isWellFormed` (native, ES2024) where the runtime has it; else false, and the regex decides. */
const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function' ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed() : () => false;

/** The first lone surrogate in `text` (which UTF-8 cannot encode), as `U+D800`; undefined when the text is well formed. */
export function loneSurrogate(text: string): string | undefined {
  if (isWellFormed(text)) return undefined;
  const found = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  return found === null ? undefined : `U+${found[0].charCodeAt(0).toString(16).toUpperCase()}`;
}

export function failure(code: MismatchCode, expected: JsonValue | undefined, actual: JsonValue | undefined, message: string): CheckFailure {
  return { code, expected, actual, message };
}

/** Pact compares regexes, includes and formats against a value's text form. */
export function textOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function stringOption(rule: RuleJson, ...names: string[]): string | undefined {
  // Indexed, not for…of: this runs for every checked value, and until V8 optimises it each step of
  // an array iterator allocates a result object.
  for (let i = 0; i < names.length; i += 1) {
    const v = rule[names[i] as string];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

const NUMBER: ReadonlySet<JsonType> = new Set<JsonType>(['integer', 'decimal']);

/** The type family of an example, as `type`-like matchers accept it: numbers are integer or decimal alike. */
export function familyOf(example: JsonValue): ReadonlySet<JsonType> {
  const t = valueType(example);
  return t === 'integer' || t === 'decimal' ? NUMBER : new Set<JsonType>([t]);
}

/** Exactly these types. */
export const only = (...types: JsonType[]): ReadonlySet<JsonType> => new Set<JsonType>(types);

/** The JSON Schema `type` of an example (`number` for integers and decimals alike). */
export function schemaTypeOf(example: JsonValue): string {
  const t = valueType(example);
  return t === 'integer' || t === 'decimal' ? 'number' : t;
}
