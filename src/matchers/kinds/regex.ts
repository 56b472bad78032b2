/**
 * `regex`: the value's whole text matches the expression, as in Pact (pact-rust's onig `is_match`
 * and Pact-JVM's `matches()` are full matches): `\d+` accepts "42" but not "a42".
 */
import { HeraldError } from '../../errors/herald-error';
import { failure, show, stringOption, textOf, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';
import { compileRegex, regexSource, type CompiledRegex } from '../regex';

export const regexKind: MatcherKind = {
  names: ['regex'],
  check({ rule, actual }) {
    const source = stringOption(rule, 'regex');
    if (source === undefined) return failure('unsupported', undefined, actual, 'The regex rule has no "regex" option; the contract is invalid');
    const text = textOf(actual);
    if (text === undefined || !matchesWhole(source, text)) {
      return failure('regex', source, actual, `Expected a value matching /${source}/ but got ${show(actual)}`);
    }
    return undefined;
  },
};

const anchored = new Map<string, CompiledRegex>();

/** Full-match test; the source is compiled on its own first so errors name the expression as written. */
function matchesWhole(source: string, text: string, where?: string): boolean {
  let whole = anchored.get(source);
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

const escapeRe2 = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** One of the given strings (written as an anchored regex so every Pact implementation can check it). */
export function oneOf<const T extends string>(values: readonly [T, ...T[]], example: T = values[0]): Matcher<T> {
  if (!values.includes(example)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.oneOf(): the example ${JSON.stringify(example)} is not one of ${JSON.stringify(values)}.`);
  }
  return matcherNode([{ match: 'regex', regex: `^(?:${values.map(escapeRe2).join('|')})$` }], example);
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A UUID in its canonical text form; generated messages get a fresh one. */
export function uuid(example = 'e2490de5-5bd3-43d5-b7c4-526e33f71304'): Matcher<string> {
  if (!compileRegex(UUID).test(example)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.uuid(): ${JSON.stringify(example)} is not a UUID.`);
  }
  return matcherNode([{ match: 'regex', regex: UUID }], example, { generator: { type: 'Uuid' } });
}
