/** `equality`: exactly the example (deep equality). Also the default for values without a rule. */
import type { JsonValue } from '../../contract/json';
import { failure, familyOf, show, type MatcherKind } from '../kind';
import { matcherNode, type Infer, type Matcher, type Template } from '../node';

/** Deep JSON equality; object key order is irrelevant. Iterative to survive deep values. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const stack: [JsonValue | undefined, JsonValue | undefined][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [JsonValue | undefined, JsonValue | undefined];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      x.forEach((v, i) => stack.push([v, y[i]]));
      continue;
    }
    const xo = x as Record<string, JsonValue>;
    const yo = y as Record<string, JsonValue>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(yo, k)) return false;
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}

export const equalityKind: MatcherKind = {
  names: ['equality'],
  check({ actual, expected }) {
    return jsonEqual(actual, expected) ? undefined : failure('value', expected, actual, `Expected ${show(expected)} but got ${show(actual)}`);
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
