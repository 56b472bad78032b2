/** `decimal`: a number with a fractional part. */
import { HeraldError } from '../../errors/herald-error';
import { failure, only, show, type MatcherKind } from '../kind';
import { isWireDecimal, numberText } from '../numbers';
import { matcherNode, type Matcher } from '../node';

export const decimalKind: MatcherKind = {
  names: ['decimal'],
  aliases: ['real'],
  // As written: `3.0` and `1e21` are decimals, `3` is not (pact-rust: serde_json `is_f64()`).
  check({ actual, actualText }) {
    if (isWireDecimal(actual, actualText)) return undefined;
    return failure('type', 'decimal', actual, `Expected a decimal number but got ${typeof actual === 'number' ? numberText(actual, actualText) : show(actual)}`);
  },
  onArray: 'items',
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
