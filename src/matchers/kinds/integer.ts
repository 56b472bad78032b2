/** `integer`: a whole number. */
import { HeraldError } from '../../errors/herald-error';
import { failure, jsonType, only, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

export const integerKind: MatcherKind = {
  names: ['integer'],
  check({ actual }) {
    return jsonType(actual) === 'integer' ? undefined : failure('type', 'integer', actual, `Expected an integer but got ${show(actual)}`);
  },
  accepts: () => only('integer'),
  describe: () => undefined,
  jsonSchema: () => ({ type: 'integer' }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** Any integer. Without an example, generated messages get a random one. */
export function integer(example?: number): Matcher<number> {
  if (example !== undefined && !Number.isInteger(example)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.integer(${example}): the example is not an integer. Use m.decimal() for fractions.`);
  }
  return matcherNode([{ match: 'integer' }], example ?? 42, example === undefined ? { generator: { type: 'RandomInt', min: 0, max: 1000 } } : {});
}
