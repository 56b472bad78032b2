/**
 * Numbers judged as written (see contract/number-literals.ts for where the text comes from).
 * Pact-rust decides from serde_json's reading of the text: `integer` ⇔ `is_i64() || is_u64()` (no
 * fraction, no exponent, within i64/u64), `decimal` ⇔ any other number (`is_f64()`). Equality is
 * exact on the decimal value the text denotes, never on a rounded double.
 */
import type { JsonValue } from '../contract/json';

/** The text of a number: its recorded literal, else what JSON.stringify writes (a factory's value on the wire). */
export const numberText = (value: number, literal?: string): string => literal ?? JSON.stringify(value);

const I64_MIN = 9223372036854775808n; // magnitude of -2^63
const U64_MAX = 18446744073709551615n;

/** True when the number text is an integer as serde_json reads it: digits only, within i64 (negative) or u64. */
export function isIntegerText(text: string): boolean {
  if (!/^-?(?:0|[1-9]\d*)$/.test(text)) return false;
  const negative = text.startsWith('-');
  const magnitude = BigInt(negative ? text.slice(1) : text);
  return negative ? magnitude <= I64_MIN : magnitude <= U64_MAX;
}

/** `integer` of a JSON value under Pact's rule; false for non-numbers. */
export function isWireInteger(value: JsonValue | undefined, literal?: string): boolean {
  if (typeof value !== 'number') return false;
  // Fast paths: JSON.stringify writes a safe integer as plain digits, and any other non-integer
  // (a fraction, 1e-7, NaN, Infinity) with a point, an exponent or as null: never plain digits.
  if (literal === undefined && Number.isSafeInteger(value)) return true;
  if (literal === undefined && !Number.isInteger(value)) return false;
  return isIntegerText(numberText(value, literal));
}

/** `decimal`: a number that is not an integer on the wire (`1.5`, `3.0`, `1e21`, 2^64). */
export function isWireDecimal(value: JsonValue | undefined, literal?: string): boolean {
  return typeof value === 'number' && !isWireInteger(value, literal);
}

/** The exact value a number text denotes, as sign, digits without leading/trailing zeros, and exponent. */
function exactKey(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return text;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  let digits = int + frac;
  let exponent = BigInt(exp) - BigInt(frac.length);
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  exponent += BigInt(digits.length - trimmed.length);
  return `${sign}${trimmed}e${exponent}`;
}

/** Two numbers are equal when their texts denote the same exact value (`1.0` = `1`, `9007199254740993` ≠ `9007199254740992`). */
export function sameNumber(a: number, b: number, aLiteral?: string, bLiteral?: string): boolean {
  if (aLiteral === undefined && bLiteral === undefined) return a === b;
  return exactKey(numberText(a, aLiteral)) === exactKey(numberText(b, bLiteral));
}
