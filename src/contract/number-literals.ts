/**
 * Numbers as written. JSON.parse turns every number into a double, so `9007199254740993` reads as
 * `9007199254740992`, `3.0` as `3` and `1e21` as `1000000000000000000000`: a verifier comparing the
 * doubles would pass values that differ on the wire, and call `3.0` an integer.
 *
 * The mechanism, one for contract files and wire bodies alike:
 * - {@link parseJsonKeepingNumbers} parses the text and records, in a side table keyed by the
 *   parsed container (object or array) and the key or index, the literal of every number whose
 *   text is not what `JSON.stringify` writes for its double (rounded, `3.0`, `1e3`, `-0`, `1E+21`…);
 * - a number with no recorded literal is written as `JSON.stringify(value)`: exactly what a factory's
 *   JS value becomes on the wire, and what a canonical literal already was;
 * - the engine and the kinds ask {@link numberLiteral} for the text of a number at (container, key)
 *   and decide `integer` / `decimal` / equality from that text (matchers/numbers.ts), never from the double.
 *
 * The table holds only non-canonical literals, so ordinary JSON costs one regex test. A number that is
 * the whole document (no container) has nowhere to be recorded: callers that parse one compare its double.
 * Copies of parsed values (spread, structuredClone) lose the table: pass the parsed objects themselves.
 */
import type { JsonValue } from './json';
import { stringAt } from './json-text';

/** `-?\d{1,15}` other than `-0`: a literal JSON.stringify writes back unchanged. */
function isShortInteger(literal: string): boolean {
  const start = literal.charCodeAt(0) === 0x2d ? 1 : 0;
  const digits = literal.length - start;
  if (digits < 1 || digits > 15) return false;
  for (let k = start; k < literal.length; k++) {
    const c = literal.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return !(start === 1 && literal === '-0');
}

const literals = new WeakMap<object, Map<string, string>>();

/** The literal of the number at `holder[key]` when it was parsed from text that JSON.stringify would not write; else undefined. */
export function numberLiteral(holder: unknown, key: string | number): string | undefined {
  if (typeof holder !== 'object' || holder === null) return undefined;
  return literals.get(holder)?.get(String(key));
}

/** JSON.parse that keeps non-canonical number literals (see the file comment). Throws as JSON.parse does. */
export function parseJsonKeepingNumbers(text: string): JsonValue {
  const value = JSON.parse(text) as JsonValue;
  recordNumberLiterals(text, value);
  return value;
}

// A fraction, an exponent, 16+ digits or a negative zero: the only literals that may not be canonical.
const SUSPECT = /\d[.eE]|\d{16}|-0/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

interface Frame {
  readonly node: object;
  readonly isArray: boolean;
  index: number;
  key: string | undefined;
  /** Objects: the next string is a key. */
  expectKey: boolean;
}

/**
 * Records the non-canonical number literals of `text` against `root`, the value JSON.parse returned
 * for it. A linear scan that follows the parsed containers; where the text and the value disagree
 * (duplicate keys, where the last wins) it records nothing for the shadowed part.
 */
export function recordNumberLiterals(text: string, root: JsonValue): void {
  if (typeof root !== 'object' || root === null || !SUSPECT.test(text)) return;
  const stack: Frame[] = [];
  let rootSeen = false;
  let i = 0;
  const n = text.length;
  const slot = (): { holder: object | undefined; key: string | undefined } => {
    const top = stack[stack.length - 1];
    if (top === undefined) return { holder: undefined, key: undefined };
    return { holder: top.node, key: top.isArray ? String(top.index) : top.key };
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its end, honouring escapes.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j += 1;
      }
      const top = stack[stack.length - 1];
      if (top !== undefined && !top.isArray && top.expectKey) {
        top.key = stringAt(text, i, j + 1);
        top.expectKey = false;
      }
      i = j + 1;
    } else if (c === 0x7b || c === 0x5b) {
      const isArray = c === 0x5b;
      let node: unknown;
      if (!rootSeen) {
        node = root;
        rootSeen = true;
      } else {
        const { holder, key } = slot();
        node = holder !== undefined && key !== undefined ? (holder as Record<string, unknown>)[key] : undefined;
      }
      // A shadowed duplicate key: scan into a throw-away container so nothing is recorded for it.
      if (typeof node !== 'object' || node === null || Array.isArray(node) !== isArray) node = isArray ? [] : {};
      stack.push({ node: node as object, isArray, index: 0, key: undefined, expectKey: !isArray });
      i += 1;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i += 1;
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top !== undefined) {
        if (top.isArray) top.index += 1;
        else top.expectKey = true;
      }
      i += 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const literal = m === null ? text.charAt(i) : m[0];
      const value = Number(literal);
      // Integers of up to 15 digits other than -0 are canonical (JSON has no leading zeros).
      if (!isShortInteger(literal) && JSON.stringify(value) !== literal) {
        const { holder, key } = slot();
        if (holder !== undefined && key !== undefined && (holder as Record<string, unknown>)[key] === value) {
          let table = literals.get(holder);
          if (table === undefined) literals.set(holder, (table = new Map()));
          table.set(key, literal);
        }
      }
      i += literal.length;
    } else {
      i += 1;
    }
  }
}
