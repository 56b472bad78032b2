/**
 * Every matcher kind, by Pact `match` name. Adding a kind: one file in kinds/ and one line here.
 * Unknown rules fail with an `unsupported` mismatch: a verifier never passes what it cannot check.
 * For the comparisons and the export an unknown rule promises nothing: any type, no description,
 * an empty schema, never proven, no array bounds.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';
import type { CheckFailure } from '../matching/mismatch';
import type { ArrayBounds, JsonType, MatcherKind, SchemaPromise } from './kind';
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
  typeKind, equalityKind, regexKind, integerKind, decimalKind, numberKind, booleanKind, nullKind, includeKind,
  dateKind, timeKind, datetimeKind, semverKind, notEmptyKind, valuesKind, eachKeyKind, eachValueKind,
  arrayContainsKind, contentTypeKind,
];

let table: Map<string, MatcherKind> | undefined;

function byName(): Map<string, MatcherKind> {
  if (table !== undefined) return table;
  table = new Map<string, MatcherKind>(kinds().flatMap((kind) => kind.names.map((name) => [name, kind] as const)));
  // Pact V2 / pact-js aliases.
  table.set('real', decimalKind);
  table.set('min', typeKind);
  table.set('max', typeKind);
  return table;
}

export function kindFor(match: string): MatcherKind | undefined {
  return byName().get(match);
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

/** Checks one value against a single rule. */
export function checkRule(rule: RuleJson, actual: JsonValue | undefined, expected: JsonValue | undefined): CheckFailure | undefined {
  const kind = kindFor(rule.match);
  if (kind === undefined) {
    return { code: 'unsupported', expected: rule.match, actual, message: `Herald does not support the "${rule.match}" matcher; the value cannot be verified` };
  }
  return kind.check({ rule, actual, expected });
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
