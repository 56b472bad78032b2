/**
 * `contentType`: Pact's check that content is of a media type (pact-rust sniffs the bytes). Herald
 * sees decoded values, so it checks what it can and reports the rest, never passing it:
 * - the value is the content, never a name for it: the V4 matcher table says "the byte string
 *   representation of the attribute/field must match the given content type", so a metadata value
 *   "application/json" is text, not JSON (as pact-rust judges it);
 * - for a JSON type, a parsed JSON value (object, array, number, boolean, null) is JSON; a string
 *   must be JSON text;
 * - for `text/*`, a string is text;
 * - any other type cannot be told from a decoded value: unsupported.
 */
import type { JsonValue } from '../../contract/json';
import { failure, show, stringOption, type MatcherKind } from '../kind';
import { pairCache } from '../pair-cache';

export const contentTypeKind: MatcherKind = {
  names: ['contentType'],
  aliases: ['content-type'],
  onArray: 'items',
  check({ rule, actual }) {
    const wanted = stringOption(rule, 'value') ?? '';
    if (actual === undefined) return failure('content-type', wanted, actual, `Expected content of type "${wanted}" but there is none`);
    const base = parseMediaType(wanted).base;
    if (/^application\/(?:[\w.+-]+\+)?json$/.test(base)) {
      if (typeof actual !== 'string' || isJsonText(actual)) return undefined;
      return failure('content-type', wanted, actual, `Expected content of type "${wanted}" (JSON) but got text that is not JSON: ${show(actual)}`);
    }
    if (base.startsWith('text/')) {
      return typeof actual === 'string' ? undefined : failure('content-type', wanted, actual, `Expected content of type "${wanted}" (text) but got ${show(actual)}`);
    }
    return failure('unsupported', wanted, actual, `Herald cannot check the content type "${wanted}" by its bytes; verify such content with a transport adapter`);
  },
  // A check of bytes, not of a JSON value: it says nothing the comparisons or the export could use.
  accepts: () => undefined,
  describe: () => undefined,
  jsonSchema: () => ({}),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface MediaType {
  readonly base: string;
  readonly params: Map<string, string>;
}

/** Splits a media type into its lower-cased base and its parameters (names lower-cased, quotes removed). */
export function parseMediaType(value: string): MediaType {
  const [base = '', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0)
      params.set(
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      );
  }
  return { base: base.trim().toLowerCase(), params };
}

/** Same media type, and every expected parameter (charset…) present with the same value. */
export function sameMediaType(expected: string, actual: string): boolean {
  return sameMediaTypeOnce(expected, actual);
}

function compareMediaTypes(expected: string, actual: string): boolean {
  const e = parseMediaType(expected);
  const a = parseMediaType(actual);
  if (e.base !== a.base) return false;
  for (const [k, v] of e.params) {
    const got = a.params.get(k);
    if (got === undefined || (k === 'charset' ? got.toLowerCase() !== v.toLowerCase() : got !== v)) return false;
  }
  return true;
}

// Every message of a contract usually carries the same pair: decided once.
const sameMediaTypeOnce = pairCache(compareMediaTypes);
