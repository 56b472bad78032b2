/**
 * A matcher kind: the Pact rule it writes (`match` name) and how it checks one actual value.
 * Structural behaviour (array lengths, wildcards, eachKey/eachValue traversal, arrayContains)
 * belongs to the matching engine; a kind answers only for the value in front of it.
 */
import type { JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';
import type { CheckFailure, MismatchCode } from '../matching/mismatch';

export interface CheckInput {
  readonly rule: RuleJson;
  /** The value found; undefined when absent. */
  readonly actual: JsonValue | undefined;
  /** The contract's example at the same path, when there is one. */
  readonly expected: JsonValue | undefined;
}

export interface MatcherKind {
  /** Pact `match` names this kind answers for (first is the one Herald writes). */
  readonly names: readonly string[];
  check(input: CheckInput): CheckFailure | undefined;
}

export type JsonTypeName = 'null' | 'boolean' | 'integer' | 'decimal' | 'string' | 'array' | 'object' | 'undefined';

/** JSON type of a value, telling integers from decimals as Pact does. */
export function jsonType(value: JsonValue | undefined): JsonTypeName {
  if (value === undefined) return 'undefined';
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
  for (const name of names) {
    const v = rule[name];
    if (typeof v === 'string') return v;
  }
  return undefined;
}
