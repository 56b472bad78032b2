/** `boolean`: true or false. */
import { failure, only, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

export const booleanKind: MatcherKind = {
  names: ['boolean'],
  check({ actual }) {
    return typeof actual === 'boolean' ? undefined : failure('type', 'boolean', actual, `Expected a boolean but got ${show(actual)}`);
  },
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
