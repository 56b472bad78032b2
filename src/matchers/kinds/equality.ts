/** `equality`: exactly the example (deep equality). Also the default for values without a rule. */
import type { JsonValue } from '../../contract/json';
import { numberLiteral } from '../../contract/number-literals';
import { codePointHint, failure, familyOf, show, type MatcherKind } from '../kind';
import { numberText, sameNumber } from '../numbers';
import { matcherNode, type Infer, type Matcher, type Template } from '../node';

type Pair = [JsonValue | undefined, JsonValue | undefined, string | undefined, string | undefined];

/**
 * Deep JSON equality; object key order is irrelevant. Numbers are equal when their texts as written
 * denote the same value (`aText`/`bText` for the roots, recorded literals below: numbers.ts), so
 * `9007199254740993` never equals `9007199254740992`. Iterative to survive deep values.
 */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined, aText?: string, bText?: string): boolean {
  // Two values that are not both objects (most leaves): decided as the loop's first step would, without its stack.
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    if (typeof a === 'number' && typeof b === 'number') return sameNumber(a, b, aText, bText);
    return a === b;
  }
  const stack: Pair[] = [[a, b, aText, bText]];
  while (stack.length > 0) {
    const [x, y, xt, yt] = stack.pop() as Pair;
    if (typeof x === 'number' && typeof y === 'number') {
      if (!sameNumber(x, y, xt, yt)) return false;
      continue;
    }
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      x.forEach((v, i) => stack.push([v, y[i], numberLiteral(x, i), numberLiteral(y, i)]));
      continue;
    }
    const xo = x as Record<string, JsonValue>;
    const yo = y as Record<string, JsonValue>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (let i = 0; i < keys.length; i += 1) {
      const k = keys[i] as string;
      if (!Object.prototype.hasOwnProperty.call(yo, k)) return false;
      stack.push([xo[k], yo[k], numberLiteral(xo, k), numberLiteral(yo, k)]);
    }
  }
  return true;
}

/** A value for messages, numbers as written. */
export const showWritten = (value: JsonValue | undefined, text?: string): string => (typeof value === 'number' ? numberText(value, text) : show(value));

export const equalityKind: MatcherKind = {
  names: ['equality'],
  check({ actual, expected, actualText, expectedText }) {
    if (jsonEqual(actual, expected, actualText, expectedText)) return undefined;
    return failure('value', expected, actual, `Expected ${showWritten(expected, expectedText)} but got ${showWritten(actual, actualText)}${codePointHint(expected, actual)}`);
  },
  accepts: (_rule, example) => familyOf(example),
  describe: (_rule, example) => `exactly ${JSON.stringify(example)}`,
  jsonSchema: (_rule, example) => ({ const: example }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** Exactly this value, even under a parent `like` that would otherwise match by type. */
export function equal<const T extends Template>(value: T): Matcher<Infer<T>> {
  return matcherNode([{ match: 'equality' }], value);
}
