/** `notEmpty`: present, of the example's type, and not empty ("", [], {}, null). */
import type { JsonValue } from '../../contract/json';
import { failure, familyOf, jsonType, schemaTypeOf, show, type MatcherKind } from '../kind';
import { matcherNode, type Infer, type Matcher, type Template, type Widen } from '../node';

const isEmpty = (v: JsonValue | undefined): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

export const notEmptyKind: MatcherKind = {
  names: ['notEmpty'],
  check({ actual, expected }) {
    if (isEmpty(actual)) return failure('length', expected, actual, `Expected a non-empty value but got ${show(actual)}`);
    if (expected !== undefined && jsonType(expected) !== jsonType(actual) && !(typeof expected === 'number' && typeof actual === 'number')) {
      return failure('type', expected, actual, `Expected a non-empty ${jsonType(expected)} but got ${show(actual)}`);
    }
    return undefined;
  },
  accepts: (_rule, example) => familyOf(example),
  describe: () => 'not empty',
  jsonSchema: (_rule, example) =>
    typeof example === 'string' ? { type: 'string', minLength: 1 } : Array.isArray(example) ? { type: 'array', minItems: 1 } : { type: schemaTypeOf(example) },
  provenBy: (_rule, { minLength, minItems }) => minLength >= 1 || minItems >= 1,
  arrayBounds: () => undefined,
};

/** A non-empty value of the example's type. */
export function notEmpty<const T extends Template>(example: T): Matcher<Widen<Infer<T>>> {
  return matcherNode([{ match: 'notEmpty' }], example);
}
