/**
 * `notEmpty`: present and not empty ("", [], {}, null). Pact V4's table: "Value must be present and
 * not empty (not null or the empty string)"; pact-rust accepts any other value, numbers and booleans
 * included, whatever the example's type.
 */
import type { JsonValue } from '../../contract/json';
import { failure, familyOf, schemaTypeOf, show, type MatcherKind } from '../kind';
import { matcherNode, type Infer, type Matcher, type Template, type Widen } from '../node';

const isEmpty = (v: JsonValue | undefined): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

export const notEmptyKind: MatcherKind = {
  names: ['notEmpty'],
  aliases: ['not-empty'],
  check({ actual, expected }) {
    return isEmpty(actual) ? failure('length', expected, actual, `Expected a non-empty value but got ${show(actual)}`) : undefined;
  },
  accepts: (_rule, example) => familyOf(example),
  describe: () => 'not empty',
  jsonSchema: (_rule, example) => (typeof example === 'string' ? { type: 'string', minLength: 1 } : Array.isArray(example) ? { type: 'array', minItems: 1 } : { type: schemaTypeOf(example) }),
  provenBy: (_rule, { minLength, minItems }) => minLength >= 1 || minItems >= 1,
  arrayBounds: () => undefined,
};

/** A non-empty value of the example's type. */
export function notEmpty<const T extends Template>(example: T): Matcher<Widen<Infer<T>>> {
  return matcherNode([{ match: 'notEmpty' }], example);
}
