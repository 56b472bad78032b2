/**
 * `regex`: the value's whole text matches the expression, as in Pact (pact-rust's onig `is_match`
 * and Pact-JVM's `matches()` are full matches): `\d+` accepts "42" but not "a42".
 */
import { HeraldError } from '../../errors/herald-error';
import { failure, familyOf, show, showTyped, stringOption, textOf, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';
import { boundedTest, isJavaScriptRegex, REGEX_BUDGET_MS } from '../bounded-regex';
import { compileRegex, regexSource, type CompiledRegex } from '../regex';
import { linearNativeRegex } from '../linear-regex';

export const regexKind: MatcherKind = {
  names: ['regex'],
  onArray: 'items',
  check({ rule, actual, expected }) {
    const source = stringOption(rule, 'regex');
    if (source === undefined) return failure('unsupported', undefined, actual, 'The regex rule has no "regex" option; the contract is invalid');
    // Pact-rust matches any value's text form, so the number 12 passes /^[0-9]+$/. When the example
    // is a string the consumer reads a string (its handler's type says so): a number, boolean or
    // null in its place breaks it (SCENARIOS.md 1, stock "12" → 12), so the type is checked first.
    if (typeof expected === 'string' && typeof actual !== 'string' && actual !== undefined) {
      return failure('type', expected, actual, `Expected a string matching /${source}/ but got ${showTyped(actual)}`);
    }
    const text = textOf(actual);
    const matched = text === undefined ? false : matchesWhole(source, text, undefined, true);
    if (matched === undefined) {
      throw new HeraldError(
        'HERALD_REGEX_BUDGET',
        `Failed to decide whether ${show(actual)} matches /${source}/: the expression needs backtracking (look-around or back-references) and did not finish within ${REGEX_BUDGET_MS} ms. Simplify the expression, or write it in RE2 syntax.`,
      );
    }
    if (!matched) return failure('regex', source, actual, `Expected a value matching /${source}/ but got ${show(actual)}`);
    return undefined;
  },
  // What the handler's type says: a regex matcher's example is a string, so the handler reads a string.
  accepts: (_rule, example) => familyOf(example),
  describe(rule) {
    const source = stringOption(rule, 'regex') ?? '';
    if (source === UUID) return 'uuid';
    const values = oneOfValues(source);
    return values === undefined ? `regex ${source}` : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  },
  jsonSchema(rule) {
    const source = stringOption(rule, 'regex') ?? '';
    if (source === UUID) return { type: 'string', format: 'uuid' };
    const values = oneOfValues(source);
    return values === undefined ? { type: 'string', pattern: source } : { type: 'string', enum: values };
  },
  provenBy(rule, { patterns, formats }) {
    const source = stringOption(rule, 'regex');
    if (source === undefined) return false;
    const wanted = normaliseRegex(source);
    return patterns.some((p) => normaliseRegex(p) === wanted) || (source === UUID && formats.includes('uuid'));
  },
  arrayBounds: () => undefined,
};

const anchored = new Map<string, CompiledRegex>();
/** Valid expressions RE2 refuses: they run on the bounded engine (bounded-regex.ts). */
const backtracking = new Set<string>();

/**
 * Full-match test; the source is compiled on its own first so errors name the expression as written.
 * With `bounded`, an expression RE2 refuses but JavaScript reads (look-around, back-references)
 * runs on the bounded backtracking engine: undefined when it ran out of time.
 */
function matchesWhole(source: string, text: string, where?: string, bounded?: false): boolean;
function matchesWhole(source: string, text: string, where: string | undefined, bounded: true): boolean | undefined;
function matchesWhole(source: string, text: string, where?: string, bounded = false): boolean | undefined {
  // A simple expression is decided natively, with RE2's verdict; RE2 accepts every such expression
  // (linear-regex.ts), so there is no error to report and RE2 need not read it (nor be loaded).
  const native = linearNativeRegex(source);
  if (native !== undefined) return native.test(text);
  if (bounded && backtracking.has(source)) return boundedTest(`^(?:${source})$`, text);
  let whole = anchored.get(source);
  if (whole === undefined && bounded) {
    try {
      compileRegex(source, where);
    } catch (error) {
      if (!(error instanceof HeraldError) || !isJavaScriptRegex(source)) throw error;
      backtracking.add(source);
      return boundedTest(`^(?:${source})$`, text);
    }
  }
  if (whole === undefined) {
    compileRegex(source, where);
    whole = compileRegex(`^(?:${source})$`, where);
    if (anchored.size >= 4096) anchored.clear();
    anchored.set(source, whole);
  }
  return whole.test(text);
}

/** A string matching `pattern` (the whole string); `example` must match too. */
export function regex(pattern: RegExp | string, example: string): Matcher<string> {
  const source = regexSource(pattern);
  if (!matchesWhole(source, example, 'm.regex()')) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.regex(/${source}/): the example ${JSON.stringify(example)} does not match it. Give an example that matches.`);
  }
  return matcherNode([{ match: 'regex', regex: source }], example);
}

/** `s` as a regex matching it literally (RE2 and JSON Schema alike). */
export const escapeRegex = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** `^(?:A|B|C)$` as m.oneOf() writes it → ['A', 'B', 'C']; undefined for other expressions. */
export function oneOfValues(source: string): string[] | undefined {
  const match = /^\^\(\?:(.*)\)\$$/.exec(source);
  if (match === null) return undefined;
  const values: string[] = [];
  let current = '';
  const body = match[1] ?? '';
  for (let i = 0; i < body.length; i += 1) {
    const c = body.charAt(i);
    if (c === '\\') {
      const next = body.charAt(i + 1);
      if (!/[\\^$.|?*+()[\]{}]/.test(next)) return undefined;
      current += next;
      i += 1;
    } else if (c === '|') {
      values.push(current);
      current = '';
    } else if (/[\^$.?*+()[\]{}]/.test(c)) {
      return undefined;
    } else {
      current += c;
    }
  }
  values.push(current);
  return values;
}

/** `^(?:\d+)$`, `^\d+$` and `\d+` are the same full-match expression: one spelling of each, to compare them. */
export function normaliseRegex(source: string): string {
  let s = source;
  if (s.startsWith('^')) s = s.slice(1);
  if (s.endsWith('$') && !s.endsWith('\\$')) s = s.slice(0, -1);
  const group = /^\(\?:(.*)\)$/.exec(s);
  if (group !== null && !/[()]/.test(group[1] ?? '')) s = group[1] ?? '';
  return s.replace(/\[0-9\]/g, '\\d');
}

/** One of the given strings (written as an anchored regex so every Pact implementation can check it). */
export function oneOf<const T extends string>(values: readonly [T, ...T[]], example: T = values[0]): Matcher<T> {
  if (!values.includes(example)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.oneOf(): the example ${JSON.stringify(example)} is not one of ${JSON.stringify(values)}.`);
  }
  return matcherNode([{ match: 'regex', regex: `^(?:${values.map(escapeRegex).join('|')})$` }], example);
}

/** The expression m.uuid() writes. */
export const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A UUID in its canonical text form; generated messages get a fresh one. */
export function uuid(example = 'e2490de5-5bd3-43d5-b7c4-526e33f71304'): Matcher<string> {
  // A string is decided without re2js (UUID is in the native subset); anything else fails in RE2 as it always did.
  if (!(typeof example === 'string' ? matchesWhole(UUID, example) : compileRegex(UUID).test(example))) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.uuid(): ${JSON.stringify(example)} is not a UUID.`);
  }
  return matcherNode([{ match: 'regex', regex: UUID }], example, { generator: { type: 'Uuid' } });
}
