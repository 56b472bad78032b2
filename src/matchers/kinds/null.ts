/** `null`: the value is JSON null. */
import { failure, only, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

export const nullKind: MatcherKind = {
  names: ['null'],
  check({ actual }) {
    return actual === null ? undefined : failure('null', null, actual, `Expected null but got ${show(actual)}`);
  },
  accepts: () => only('null'),
  describe: () => undefined,
  jsonSchema: () => ({ type: 'null' }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** Exactly null. */
export function nullValue(): Matcher<null> {
  return matcherNode([{ match: 'null' }], null);
}
