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
import { bracketDepth, canonicalTextFacts } from './canonical-text';
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

/**
 * Records the non-canonical number literals of `text` against `root`, the value JSON.parse returned
 * for it. A linear scan that follows the parsed containers; where the text and the value disagree
 * (duplicate keys, where the last wins) it records nothing for the shadowed part.
 */
export function recordNumberLiterals(text: string, root: JsonValue): void {
  if (typeof root !== 'object' || root === null || !SUSPECT.test(text)) return;
  scanParsedText(text, root, false);
}

/** What one pass over a contract file's text found, besides recording its number literals. */
export interface TextFacts {
  /** Some object of the text has more keys than its parsed value: a key repeats (JSON.parse kept the last). */
  readonly repeatsKey: boolean;
  /** Deepest nesting of containers; the root container is level 1, a scalar document 0. */
  readonly depth: number;
  /** A key reads `__proto__`, `constructor` or `prototype` (escaped or not). */
  readonly unsafeKey: boolean;
  /** A number literal that JSON.parse read as ±Infinity (`1e400`). */
  readonly nonFinite: boolean;
}

/**
 * {@link recordNumberLiterals} for a whole contract file, in the same pass: also counts each object's
 * keys against its parsed value (a repeated key, which JSON.parse silently drops), the nesting depth,
 * unsafe keys and non-finite numbers, so that the file's text and value are each walked once.
 * Stops at the first repeated key. Expects text that JSON.parse accepted, and its value.
 *
 * While the process is young, a text that is JSON.stringify's output for its value is answered by
 * native string operations instead (canonical-text.ts; same facts, no literal to record, no map text
 * kept for {@link keptText}), see {@link SHORTCUT_BUDGET}.
 */
export function scanContractText(text: string, root: JsonValue): TextFacts {
  if (text.length <= shortcutBudget) {
    shortcutBudget -= text.length;
    const facts = canonicalTextFacts(text, root);
    if (facts !== undefined) return facts;
  }
  return scanContractTextFully(text, root);
}

/**
 * Characters of contract text the native shortcut may answer for in one process. The JavaScript scan
 * runs un-optimised on its first megabytes (about 50 ns a character; the CLI reads its contracts
 * once, cold) and about 5 ns once V8 has optimised it; the shortcut costs about 15 ns whatever the
 * state. So the first texts take the shortcut and later ones (a long-lived process) the scan. A text
 * longer than what is left goes to the scan: the shortcut holds a second copy of the text meanwhile.
 */
const SHORTCUT_BUDGET = 4 * 1024 * 1024;
let shortcutBudget = SHORTCUT_BUDGET;

/** {@link scanContractText} without the shortcut for JSON.stringify's output: the character-by-character scan. */
export function scanContractTextFully(text: string, root: JsonValue): TextFacts {
  return scanParsedText(text, root, true);
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True when the quote at `at` is escaped (preceded by an odd run of backslashes). */
function escapedQuote(text: string, at: number): boolean {
  let k = at - 1;
  while (text.charCodeAt(k) === 0x5c) k -= 1;
  return (at - 1 - k) % 2 === 1;
}

/** Could the key `text.slice(start, end)` (quotes included) read as an unsafe key? Decodes only escaped candidates. */
function unsafeKeyAt(text: string, start: number, end: number): boolean {
  const length = end - start - 2;
  if (length < 9) return false;
  if (length === 9) return text.startsWith('__proto__', start + 1) || text.startsWith('prototype', start + 1);
  if (length === 11 && text.startsWith('constructor', start + 1)) return true;
  // Longer keys can spell one with escapes (`\u005f_proto__`): decode those that have one.
  for (let k = start + 1; k < end - 1; k++) if (text.charCodeAt(k) === 0x5c) return UNSAFE_KEYS.has(stringAt(text, start, end));
  return false;
}

// Keys decoded lately, by a hash of their text: a file repeats a few keys ("matchers", "match")
// thousands of times, and the same string is found again without slicing the text.
const recentKeys: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);

/** The text of the key `text.slice(start, end)` (quotes included), from `recentKeys` when it was seen lately. */
function keyAt(text: string, start: number, end: number): string {
  const length = end - start - 2;
  const slot = (length * 31 + text.charCodeAt(start + 1) * 7 + text.charCodeAt(end - 2)) & 0xff;
  const recent = recentKeys[slot];
  // Only keys written without escapes are kept, so equal raw text means an equal key.
  if (recent !== undefined && recent.length === length && text.startsWith(recent, start + 1)) return recent;
  const key = stringAt(text, start, end);
  if (key.length === length) recentKeys[slot] = key;
  return key;
}

// The open containers of a scan, by depth (parallel arrays, reused: no object per container).
const nodes: object[] = [];
const isArrays: boolean[] = [];
const indexes: number[] = [];
const keyStarts: number[] = [];
const keyEnds: number[] = [];
const keyCounts: number[] = [];
/** Text offset of an open container whose text is kept ({@link TEXT_KEPT}), else -1. */
const keptStarts: number[] = [];
/** For an open kept container: how many literals the scan had recorded when it opened. */
const keptRecorded: number[] = [];

/** A kept map's text whose scan found nothing (no literal to record, no unsafe key, no repeated key, no ±Infinity), and how many levels it nests. */
interface CleanKept {
  readonly text: string;
  readonly levels: number;
}
/**
 * The last few clean kept texts of the scan under way: a file repeats its rule maps, and the same
 * text found again at a "matchingRules" or "generators" key is skipped in one comparison, since equal text parses to
 * an equal value and scans to the same (empty) findings.
 */
const cleanKept: CleanKept[] = [];
const CLEAN_KEPT_SLOTS = 8;
let cleanKeptNext = 0;

/** Remembers a clean kept text, with its nesting read off its brackets (not when deeper than that count goes). */
function rememberClean(text: string): void {
  const levels = bracketDepth(text);
  if (levels === undefined) return;
  cleanKept[cleanKeptNext] = { text, levels };
  cleanKeptNext = (cleanKeptNext + 1) % CLEAN_KEPT_SLOTS;
}

/**
 * The clean kept text that `text` repeats at `at`, if any. A slice compared with `===` (V8 compares
 * the characters of flat strings in bulk) costs a sixth of `startsWith` at an offset.
 */
function repeatedKept(text: string, at: number): CleanKept | undefined {
  for (let k = 0; k < cleanKept.length; k++) {
    const seen = cleanKept[k] as CleanKept;
    if (text.slice(at, at + seen.text.length) === seen.text) return seen;
  }
  return undefined;
}

/**
 * The maps a contract file's interactions usually repeat: their text, kept by a full scan, names
 * them for interning (reader.ts) without serialising each parsed copy again.
 */
const TEXT_KEPT: ReadonlySet<string> = new Set(['matchingRules', 'generators']);
const keptTexts = new WeakMap<object, string>();

/**
 * The exact text a full scan ({@link scanContractTextFully}) parsed `node` from, when `node` is the
 * value of a "matchingRules" or "generators" key; else undefined. Equal texts parse to equal values.
 */
export function keptText(node: object): string | undefined {
  return keptTexts.get(node);
}

function scanParsedText(text: string, root: JsonValue, full: boolean): TextFacts {
  let repeatsKey = false;
  let maxDepth = 0;
  let unsafeKey = false;
  let nonFinite = false;
  let depth = 0;
  let expectKey = false;
  let rootSeen = false;
  let recorded = 0;
  let i = 0;
  const n = text.length;
  // The key (or index) under which the value being read sits in the innermost container.
  const slotKey = (): string => {
    const top = depth - 1;
    return isArrays[top] === true ? String(indexes[top]) : stringAt(text, keyStarts[top] as number, keyEnds[top] as number);
  };
  try {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        // A string: its closing quote is the first one not escaped.
        let j = text.indexOf('"', i + 1);
        while (j > 0 && escapedQuote(text, j)) j = text.indexOf('"', j + 1);
        if (j < 0) j = n - 1;
        if (expectKey) {
          const top = depth - 1;
          keyStarts[top] = i;
          keyEnds[top] = j + 1;
          keyCounts[top] = (keyCounts[top] as number) + 1;
          expectKey = false;
          if (full && !unsafeKey && unsafeKeyAt(text, i, j + 1)) unsafeKey = true;
        }
        i = j + 1;
      } else if (c === 0x7b || c === 0x5b) {
        const isArray = c === 0x5b;
        let node: unknown;
        let kept = -1;
        if (!rootSeen) {
          node = root;
          rootSeen = true;
        } else if (depth > 0 && isArrays[depth - 1] === true) {
          node = (nodes[depth - 1] as unknown[])[indexes[depth - 1] as number];
        } else if (depth > 0) {
          const key = keyAt(text, keyStarts[depth - 1] as number, keyEnds[depth - 1] as number);
          node = (nodes[depth - 1] as Record<string, unknown>)[key];
          if (full && !isArray && TEXT_KEPT.has(key)) kept = i;
        }
        // A shadowed duplicate key: scan into a throw-away container so nothing is recorded for it (nor kept:
        // what its scan did not record would not make its text clean).
        if (typeof node !== 'object' || node === null || Array.isArray(node) !== isArray) {
          node = isArray ? [] : {};
          kept = -1;
        }
        if (kept >= 0) {
          const same = repeatedKept(text, i);
          if (same !== undefined) {
            keptTexts.set(node as object, same.text);
            if (depth + same.levels > maxDepth) maxDepth = depth + same.levels;
            expectKey = false;
            i += same.text.length;
            continue;
          }
          keptRecorded[depth] = recorded;
        }
        nodes[depth] = node as object;
        isArrays[depth] = isArray;
        indexes[depth] = 0;
        keyCounts[depth] = 0;
        keptStarts[depth] = kept;
        depth += 1;
        if (depth > maxDepth) maxDepth = depth;
        expectKey = !isArray;
        i += 1;
      } else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (full && c === 0x7d) {
          // One key cannot repeat; more are counted against the parsed object's.
          const keys = keyCounts[depth] as number;
          if (keys > 1 && keys !== Object.keys(nodes[depth] as object).length) {
            repeatsKey = true;
            break;
          }
          const kept = keptStarts[depth] as number;
          if (kept >= 0) {
            const keptText = text.slice(kept, i + 1);
            keptTexts.set(nodes[depth] as object, keptText);
            if (recorded === keptRecorded[depth] && !unsafeKey && !nonFinite) rememberClean(keptText);
          }
        }
        expectKey = false;
        i += 1;
      } else if (c === 0x2c) {
        if (depth > 0) {
          if (isArrays[depth - 1] === true) indexes[depth - 1] = (indexes[depth - 1] as number) + 1;
          else expectKey = true;
        }
        i += 1;
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        // Integers of up to 15 digits other than -0 are canonical (JSON has no leading zeros): skipped.
        const digits = c === 0x2d ? i + 1 : i;
        let j = digits;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d < 0x30 || d > 0x39) break;
          j += 1;
        }
        const next = j < n ? text.charCodeAt(j) : 0;
        if (next !== 0x2e && next !== 0x65 && next !== 0x45 && j - digits <= 15 && !(c === 0x2d && j - digits === 1 && text.charCodeAt(digits) === 0x30)) {
          i = j;
          continue;
        }
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        const literal = m === null ? text.charAt(i) : m[0];
        const value = Number(literal);
        if (!Number.isFinite(value)) nonFinite = true;
        if (depth > 0 && !isShortInteger(literal) && JSON.stringify(value) !== literal) {
          const holder = nodes[depth - 1] as Record<string, unknown>;
          const key = slotKey();
          if (holder[key] === value) {
            let table = literals.get(holder);
            if (table === undefined) literals.set(holder, (table = new Map()));
            table.set(key, literal);
            recorded += 1;
          }
        }
        i += literal.length;
      } else {
        i += 1;
      }
    }
  } finally {
    // Let go of the parsed containers and of the keys (slices can hold the whole text); the arrays are reused.
    nodes.length = 0;
    recentKeys.fill(undefined);
    cleanKept.length = 0;
    cleanKeptNext = 0;
  }
  return { repeatsKey, depth: maxDepth, unsafeKey, nonFinite };
}
