/** `number`: any JSON number. */
import { HeraldError } from '../../errors/herald-error';
import { failure, only, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

export const numberKind: MatcherKind = {
  names: ['number'],
  check({ actual }) {
    return typeof actual === 'number' ? undefined : failure('type', 'number', actual, `Expected a number but got ${show(actual)}`);
  },
  onArray: 'items',
  accepts: () => only('integer', 'decimal'),
  describe: () => undefined,
  jsonSchema: () => ({ type: 'number' }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** Any number, integer or decimal. */
export function number(example?: number): Matcher<number> {
  if (example !== undefined && !Number.isFinite(example)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.number(${String(example)}): the example must be a finite number.`);
  }
  return matcherNode([{ match: 'number' }], example ?? 42, example === undefined ? { generator: { type: 'RandomInt', min: 0, max: 1000 } } : {});
}
