/** `decimal`: a number with a fractional part. */
import { HeraldError } from '../../errors/herald-error';
import { failure, jsonType, only, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

export const decimalKind: MatcherKind = {
  names: ['decimal'],
  check({ actual }) {
    return jsonType(actual) === 'decimal' ? undefined : failure('type', 'decimal', actual, `Expected a decimal number but got ${show(actual)}`);
  },
  accepts: () => only('decimal'),
  describe: () => undefined,
  // Pact's decimal: a number with a fractional part.
  jsonSchema: () => ({ type: 'number', not: { type: 'integer' } }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** Any decimal (a number with a fractional part, as Pact defines it). */
export function decimal(example?: number): Matcher<number> {
  if (example !== undefined && (typeof example !== 'number' || Number.isInteger(example) || !Number.isFinite(example))) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.decimal(${String(example)}): the example must have a fractional part (e.g. 12.5). Use m.number() to accept both.`);
  }
  return matcherNode([{ match: 'decimal' }], example ?? 12.5, example === undefined ? { generator: { type: 'RandomDecimal', digits: 4 } } : {});
}
