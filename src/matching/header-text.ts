/**
 * Header text read as JSON. Kafka headers and keys are bytes: a header "3" may stand for a number
 * the contract declares, but only in one canonical form, so that "0x3", "3e0", "3.0", " 3 " and
 * "03" never pass for 3 (they are different bytes to any consumer that parses them strictly).
 *
 * The rule, one for every metadata value that arrives as text while the contract expects a number,
 * boolean or null:
 *
 *     number  = [ "-" ] ( "0" / %x31-39 *DIGIT ) [ "." *DIGIT %x31-39 ]   ; no "+", exponent, spaces, leading
 *                                                                          ; or trailing zeros; not "-0"
 *     boolean = "true" / "false"
 *     null    = "null"
 *
 * Text that follows it is read as that JSON value, and the number keeps the text as its literal (an
 * integer above 2^53 is judged as written). Anything else stays text and fails the expected type.
 * A string expected is never satisfied by a number or boolean: those are typed values (AMQP
 * headers, factory metadata), not text.
 */
import type { JsonValue } from '../contract/json';

const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** A text metadata value read as the contract's expected type; `note` says when text was read as another type. */
export interface HeaderReading {
  readonly value: JsonValue;
  /** The number's text when the value was read from text (its literal, see contract/number-literals.ts). */
  readonly literal?: string;
  readonly note?: string;
}

/** Reads `actual` as the JSON type of `expected` under the canonical-text rule above. */
export function readHeaderText(key: string, expected: JsonValue, actual: JsonValue): HeaderReading {
  if (typeof actual !== 'string') return { value: actual };
  const read = (value: JsonValue, what: string): HeaderReading => ({
    value,
    note: `The metadata value ${JSON.stringify(key)} arrived as the text ${JSON.stringify(actual)} and was read as the ${what} ${actual}, as the contract expects`,
  });
  if (typeof expected === 'number' && CANONICAL_NUMBER.test(actual) && actual !== '-0') {
    return { ...read(Number(actual), 'number'), literal: actual };
  }
  if (typeof expected === 'boolean' && (actual === 'true' || actual === 'false')) return read(actual === 'true', 'boolean');
  if (expected === null && actual === 'null') return read(null, 'JSON');
  return { value: actual };
}

/** Why text that JS would read as the expected number was not, for the mismatch message; '' when it does not apply. */
export function notCanonicalHint(expected: JsonValue, actual: JsonValue): string {
  if (typeof expected !== 'number' || typeof actual !== 'string' || actual.trim() === '' || !Number.isFinite(Number(actual))) return '';
  return ' (header text is read as a number only in canonical decimal form: no "+", exponent, hex, spaces, leading or trailing zeros)';
}
