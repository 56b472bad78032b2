/**
 * Every matcher kind, by Pact `match` name. Adding a kind: one file in kinds/ and one line here.
 * Unknown rules fail with an `unsupported` mismatch: a verifier never passes what it cannot check.
 * For the comparisons and the export an unknown rule promises nothing: any type, no description,
 * an empty schema, never proven, no array bounds.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';
import type { CheckFailure } from './mismatch';
import type { ArrayBounds, CheckInput, JsonType, MatcherKind, SchemaPromise } from './kind';
import { booleanKind } from './kinds/boolean';
import { arrayContainsKind, eachKeyKind, eachValueKind, valuesKind } from './kinds/collections';
import { contentTypeKind } from './kinds/content-type';
import { dateKind, datetimeKind, timeKind } from './kinds/date-time';
import { decimalKind } from './kinds/decimal';
import { equalityKind } from './kinds/equality';
import { includeKind } from './kinds/include';
import { integerKind } from './kinds/integer';
import { notEmptyKind } from './kinds/not-empty';
import { nullKind } from './kinds/null';
import { numberKind } from './kinds/number';
import { regexKind } from './kinds/regex';
import { semverKind } from './kinds/semver';
import { typeKind } from './kinds/type';

// Built on first use: collections.ts imports this module, so the kinds may not be loaded yet here.
const kinds = (): readonly MatcherKind[] => [
  typeKind,
  equalityKind,
  regexKind,
  integerKind,
  decimalKind,
  numberKind,
  booleanKind,
  nullKind,
  includeKind,
  dateKind,
  timeKind,
  datetimeKind,
  semverKind,
  notEmptyKind,
  valuesKind,
  eachKeyKind,
  eachValueKind,
  arrayContainsKind,
  contentTypeKind,
];

let table: Map<string, MatcherKind> | undefined;

// A Map, never an object literal: a rule named "toString" or "constructor" must find nothing.
function byName(): Map<string, MatcherKind> {
  if (table !== undefined) return table;
  table = new Map<string, MatcherKind>(kinds().flatMap((kind) => [...kind.names, ...(kind.aliases ?? [])].map((name) => [name, kind] as const)));
  return table;
}

/** The `match` names Herald writes, one per kind, for messages that list what a rule may say. */
export function knownMatcherNames(): string[] {
  return kinds().map((kind) => kind.names[0] as string);
}

export function kindFor(match: string): MatcherKind | undefined {
  return typeof match === 'string' ? byName().get(match) : undefined;
}

/**
 * Resolves Pact's spellings of a matcher as pact-rust's `MatchingRule::from_json` does: a kind's
 * alias becomes its name (`min` → `type`), `pact:matcher:type` is read as `match`, and V2 rules
 * that name no matcher are inferred from their options. A string is the reason the rule cannot be
 * read; an unknown `match` name is kept (checking it fails as unsupported).
 */
export function normaliseRule(raw: unknown): RuleJson | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'the matcher is not an object';
  const record = raw as Record<string, unknown>;
  const name = record['match'] ?? record['pact:matcher:type'];
  const rule = raw as RuleJson;
  if (typeof name === 'string') {
    const kind = kindFor(name);
    const canonical = kind !== undefined && kind.aliases?.includes(name) === true ? (kind.names[0] as string) : name;
    return canonical === record['match'] ? rule : { ...rule, match: canonical };
  }
  if (name !== undefined) return `its "match" is ${JSON.stringify(name)}, not a matcher name`;
  // V2 rules name no matcher: Pact infers it from the options.
  if ('regex' in record) return { ...rule, match: 'regex' };
  if (typeof record['min'] === 'number' || typeof record['max'] === 'number') return { ...rule, match: 'type' };
  for (const flavour of ['timestamp', 'time', 'date'] as const) {
    const format = record[flavour];
    if (typeof format === 'string') return { match: flavour === 'timestamp' ? 'datetime' : flavour, format };
  }
  return 'it has no "match" field and its type cannot be guessed';
}

const nestedCache = new WeakMap<RuleJson, readonly RuleJson[]>();

/**
 * The nested rules of eachKey / eachValue, normalised. A nested rule that cannot be read becomes an
 * `unreadable` rule that fails as unsupported: dropping it would check less than the contract says.
 */
export function nestedRules(rule: RuleJson): readonly RuleJson[] {
  const cached = nestedCache.get(rule);
  if (cached !== undefined) return cached;
  const rules = rule['rules'];
  const out: RuleJson[] = [];
  if (Array.isArray(rules)) {
    for (const raw of rules) {
      const r = normaliseRule(raw);
      out.push(typeof r === 'string' ? { match: UNREADABLE, reason: r } : r);
    }
  }
  nestedCache.set(rule, out);
  return out;
}

/** The `match` of a nested rule that could not be read; no kind answers to it. */
const UNREADABLE = '(unreadable rule)';

/** The rule as it applies below where it was written (MatcherKind.cascade); undefined when nothing of it survives. */
export function cascadeRule(rule: RuleJson): RuleJson | undefined {
  const kind = kindFor(rule.match);
  return kind?.cascade === undefined ? rule : kind.cascade(rule);
}

/** True when the rule, written for an array, is a rule for its items (MatcherKind.onArray). */
export function appliesToItems(rule: RuleJson): boolean {
  return kindFor(rule.match)?.onArray === 'items';
}

/** Types a value under `rule` may have (MatcherKind.accepts); undefined: any, as for unknown rules. */
export function ruleAccepts(rule: RuleJson, example: JsonValue): ReadonlySet<JsonType> | undefined {
  return kindFor(rule.match)?.accepts(rule, example);
}

/** What `rule` demands beyond the value's type, for reports (MatcherKind.describe); undefined for unknown rules. */
export function describeRule(rule: RuleJson, example: JsonValue): string | undefined {
  return kindFor(rule.match)?.describe(rule, example);
}

/** JSON Schema fragment of `rule` (MatcherKind.jsonSchema); `{}` for unknown rules. */
export function ruleJsonSchema(rule: RuleJson, example: JsonValue): JsonObject {
  return kindFor(rule.match)?.jsonSchema(rule, example) ?? {};
}

/** Whether `promise` proves `rule` (MatcherKind.provenBy); false for unknown rules. */
export function ruleProvenBy(rule: RuleJson, promise: SchemaPromise): boolean {
  return kindFor(rule.match)?.provenBy(rule, promise) ?? false;
}

/** Array bounds `rule` sets (MatcherKind.arrayBounds); undefined for unknown rules. */
export function ruleArrayBounds(rule: RuleJson): ArrayBounds | undefined {
  return kindFor(rule.match)?.arrayBounds(rule);
}

/** Number literals of the two values, when they were written in a form JSON.stringify would not write (contract/number-literals.ts). */
export interface NumberTexts {
  readonly actualText?: string | undefined;
  readonly expectedText?: string | undefined;
}

/** Checks one value against a single rule. */
export function checkRule(rule: RuleJson, actual: JsonValue | undefined, expected: JsonValue | undefined, texts?: NumberTexts): CheckFailure | undefined {
  const kind = kindFor(rule.match);
  if (kind === undefined) {
    const reason =
      typeof rule['reason'] === 'string' && rule.match === UNREADABLE
        ? `a matching rule cannot be read: ${rule['reason']}`
        : `Herald does not support the ${JSON.stringify(String(rule.match))} matcher`;
    return { code: 'unsupported', expected: String(rule.match), actual, message: `${reason}; the value cannot be verified` };
  }
  const input: CheckInput = { rule, actual, expected };
  if (texts !== undefined && (texts.actualText !== undefined || texts.expectedText !== undefined)) {
    return kind.check({ ...input, ...(texts.actualText === undefined ? {} : { actualText: texts.actualText }), ...(texts.expectedText === undefined ? {} : { expectedText: texts.expectedText }) });
  }
  return kind.check(input);
}

/** Checks one value against a rule list: AND needs every rule, OR needs one. */
export function checkRuleList(rules: readonly RuleJson[], combine: 'AND' | 'OR', actual: JsonValue | undefined, expected: JsonValue | undefined): CheckFailure | undefined {
  if (combine === 'OR') {
    const failures: CheckFailure[] = [];
    for (const rule of rules) {
      const problem = checkRule(rule, actual, expected);
      if (problem === undefined) return undefined;
      failures.push(problem);
    }
    const first = failures[0];
    return first === undefined ? undefined : { ...first, message: failures.map((f) => f.message).join(', or ') };
  }
  for (const rule of rules) {
    const problem = checkRule(rule, actual, expected);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
