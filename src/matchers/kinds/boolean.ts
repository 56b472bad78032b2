/** `boolean`: true or false; the V4 matcher table also allows the strings "true" and "false" (as pact-rust does). */
import { failure, only, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

export const booleanKind: MatcherKind = {
  names: ['boolean'],
  check({ actual }) {
    if (typeof actual === 'boolean' || actual === 'true' || actual === 'false') return undefined;
    return failure('type', 'boolean', actual, `Expected a boolean but got ${show(actual)}`);
  },
  onArray: 'items',
  accepts: () => only('boolean'),
  describe: () => undefined,
  jsonSchema: () => ({ type: 'boolean' }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** Any boolean. Without an example, generated messages get a random one. */
export function boolean(example?: boolean): Matcher<boolean> {
  return matcherNode([{ match: 'boolean' }], example ?? true, example === undefined ? { generator: { type: 'RandomBoolean' } } : {});
}
