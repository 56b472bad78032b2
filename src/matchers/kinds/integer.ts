/** `integer`: a whole number as written on the wire (no fraction or exponent, within i64/u64: see numbers.ts). */
import { HeraldError } from '../../errors/herald-error';
import { failure, only, show, type MatcherKind } from '../kind';
import { isWireInteger, numberText } from '../numbers';
import { matcherNode, type Matcher } from '../node';

export const integerKind: MatcherKind = {
  names: ['integer'],
  check({ actual, actualText }) {
    if (isWireInteger(actual, actualText)) return undefined;
    const written = typeof actual === 'number' ? numberText(actual, actualText) : undefined;
    const shown = written === undefined ? show(actual) : written;
    const why = written === undefined ? '' : /[.eE]/.test(written) ? ' (a fraction or exponent makes it a decimal)' : ' (outside the 64-bit integer range)';
    return failure('type', 'integer', actual, `Expected an integer but got ${shown}${why}`);
  },
  onArray: 'items',
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
