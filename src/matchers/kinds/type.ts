/** `type`: same JSON type as the example; on arrays also `min`/`max` lengths (eachLike, atLeast, atMost). */
import type { JsonValue } from '../../contract/json';
import { HeraldError } from '../../errors/herald-error';
import { failure, familyOf, jsonType, schemaTypeOf, show, showTyped, type MatcherKind } from '../kind';
import { exampleOf, matcherNode, type Infer, type Matcher, type Template, type Widen } from '../node';

const family = (t: string): string => (t === 'integer' || t === 'decimal' ? 'number' : t);

export const typeKind: MatcherKind = {
  names: ['type'],
  aliases: ['min', 'max', 'min-type', 'max-type'],
  check({ rule, actual, expected }) {
    if (expected !== undefined && family(jsonType(actual)) !== family(jsonType(expected))) {
      return failure('type', expected, actual, `Expected a value of type ${family(jsonType(expected))} (like ${show(expected)}) but got ${showTyped(actual)}`);
    }
    // Pact checks min/max on collections: array items, or object entries.
    if (typeof actual === 'object' && actual !== null) {
      const min = typeof rule['min'] === 'number' ? rule['min'] : undefined;
      const max = typeof rule['max'] === 'number' ? rule['max'] : undefined;
      // Sized only under a bound, and without destructuring (an iterator, until V8 optimises this).
      if (min === undefined && max === undefined) return undefined;
      const isArray = Array.isArray(actual);
      const size = isArray ? actual.length : Object.keys(actual).length;
      const what = isArray ? 'an array with' : 'an object with';
      const unit = isArray ? 'item(s)' : 'key(s)';
      if (min !== undefined && size < min) {
        return failure('length', expected, actual, `Expected ${what} at least ${min} ${unit} but got ${size}`);
      }
      if (max !== undefined && size > max) {
        return failure('length', expected, actual, `Expected ${what} at most ${max} ${unit} but got ${size}`);
      }
    }
    return undefined;
  },
  accepts: (_rule, example) => familyOf(example),
  describe: () => undefined,
  jsonSchema: (_rule, example) => ({ type: schemaTypeOf(example) }),
  // Pact's min/max apply only where the rule was written, never to values it cascades to.
  cascade(rule) {
    if (rule['min'] === undefined && rule['max'] === undefined) return rule;
    const { min: _min, max: _max, ...rest } = rule;
    return rest as typeof rule;
  },
  // A spec the value's type already passed keeps a `type` rule.
  provenBy: () => true,
  arrayBounds: (rule) => ({
    ...(typeof rule['min'] === 'number' ? { min: rule['min'] } : {}),
    ...(typeof rule['max'] === 'number' ? { max: rule['max'] } : {}),
  }),
};

/** Any value of the same type as `example` (objects: the same shape, recursively). */
export function like<const T extends Template>(example: T): Matcher<Widen<Infer<T>>> {
  return matcherNode([{ match: 'type' }], example);
}

/** Any string. */
export function string(example = 'some string'): Matcher<string> {
  return matcherNode([{ match: 'type' }], example);
}

export interface ArrayOptions {
  /** Minimum number of items (default 1 for eachLike). */
  readonly min?: number;
  readonly max?: number;
  /** How many copies the example holds (default: max(min, 1)). */
  readonly examples?: number;
}

function arrayNode<T extends Template>(item: T, min: number | undefined, max: number | undefined, examples: number | undefined): Matcher<Widen<Infer<T>>[]> {
  if ((min !== undefined && (!Number.isInteger(min) || min < 0)) || (max !== undefined && (!Number.isInteger(max) || max < 0))) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build an array matcher: min and max must be non-negative integers (got min=${String(min)}, max=${String(max)}).`);
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build an array matcher: min (${min}) is greater than max (${max}). Swap them.`);
  }
  const count = examples ?? Math.max(min ?? 1, 1);
  if ((min !== undefined && count < min) || (max !== undefined && count > max)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build an array matcher: ${count} example item(s) is outside min=${String(min)}, max=${String(max)}. Set "examples" inside the bounds.`);
  }
  const rule: { match: 'type'; min?: number; max?: number } = { match: 'type' };
  if (min !== undefined) rule.min = min;
  if (max !== undefined) rule.max = max;
  return matcherNode([rule], item, { array: { examples: count } });
}

/** An array whose every item is like `item`; at least `min` items (default 1). */
export function eachLike<const T extends Template>(item: T, options: ArrayOptions = {}): Matcher<Widen<Infer<T>>[]> {
  return arrayNode(item, options.min ?? 1, options.max, options.examples);
}

/** An array of at least `min` items like `item`. */
export function atLeast<const T extends Template>(min: number, item: T, examples?: number): Matcher<Widen<Infer<T>>[]> {
  return arrayNode(item, min, undefined, examples);
}

/** An array of at most `max` items like `item`. */
export function atMost<const T extends Template>(max: number, item: T, examples?: number): Matcher<Widen<Infer<T>>[]> {
  return arrayNode(item, undefined, max, examples);
}

/** An array of `min`..`max` items like `item`. */
export function atLeastAtMost<const T extends Template>(min: number, max: number, item: T, examples?: number): Matcher<Widen<Infer<T>>[]> {
  return arrayNode(item, min, max, examples);
}

export const exampleItem = (node: Matcher<unknown>): JsonValue => exampleOf(node.example);
