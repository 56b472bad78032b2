/**
 * Findings are data: what a comparison of a consumer's contract with a provider's specification
 * found, at which path, in the consumer's and the spec's terms. Reporters serialise them as-is and
 * render `message` for people.
 */
import type { JsonValue } from '../contract/json';
import type { Mismatch, MismatchCode } from '../matchers/mismatch';

export type FindingCode =
  | 'missing' // the spec has no such field, header or key
  | 'optional' // the spec may leave out a field the consumer reads
  | 'type' // the spec allows a type the consumer's matcher rejects
  | 'nullable' // the spec allows null where the consumer reads a value
  | 'value' // a value the spec lists (enum, const, example) fails the consumer's matcher
  | 'format' // a value of the spec's format fails the consumer's matcher
  | 'unproven' // the spec does not promise the consumer's constraint (regex, exact value…)
  | 'length' // array bounds the spec does not promise
  | 'unconstrained' // the spec does not say what the value is
  | 'no-message' // no message of the spec matches the interaction
  | 'channel' // channel details differ (exchange type, routing key…)
  | 'content-type' // the spec's content type is not the contract's
  | 'avro' // Avro schema resolution (reader = consumer, writer = spec) fails
  | 'unsupported'; // something Herald cannot compare

export type Severity = 'incompatible' | 'warning';

export interface Finding {
  readonly severity: Severity;
  readonly code: FindingCode;
  /** `body` (payload path), `metadata` (header name or kafka_key) or `message` (the message as a whole). */
  readonly part: 'body' | 'metadata' | 'message';
  readonly path: string;
  /** What the consumer requires, described (`string (regex ^[0-9]+$)`). */
  readonly expected: JsonValue | undefined;
  /** What the spec allows, described (`integer`). */
  readonly actual: JsonValue | undefined;
  readonly message: string;
}

const MISMATCH_CODES: Readonly<Record<FindingCode, MismatchCode>> = {
  missing: 'missing',
  optional: 'missing',
  type: 'type',
  nullable: 'null',
  value: 'value',
  format: 'format',
  unproven: 'regex',
  length: 'length',
  unconstrained: 'unsupported',
  'no-message': 'missing',
  channel: 'value',
  'content-type': 'content-type',
  avro: 'type',
  unsupported: 'unsupported',
};

/** A finding as a matching Mismatch, for the shared reporters (JUnit). */
export function findingAsMismatch(finding: Finding): Mismatch {
  return {
    code: MISMATCH_CODES[finding.code],
    part: finding.part === 'metadata' ? 'metadata' : 'body',
    path: finding.path,
    expected: finding.expected,
    actual: finding.actual,
    message: finding.message,
  };
}

/** One line: `$.stock: materials reads … [type]`. */
export function formatFinding(finding: Finding): string {
  const where = finding.part === 'metadata' ? `metadata ${finding.path}` : finding.path;
  return `${where}: ${finding.message} [${finding.code}]`;
}
