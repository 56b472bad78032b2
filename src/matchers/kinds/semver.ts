/** `semver`: a semantic version (2.0.0 grammar). */
import { HeraldError } from '../../errors/herald-error';
import { failure, familyOf, show, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export const semverKind: MatcherKind = {
  names: ['semver'],
  onArray: 'items',
  check({ actual }) {
    return typeof actual === 'string' && SEMVER.test(actual) ? undefined : failure('format', 'semver', actual, `Expected a semantic version (e.g. 1.2.3) but got ${show(actual)}`);
  },
  accepts: (_rule, example) => familyOf(example),
  describe: () => 'semantic version',
  jsonSchema: () => ({ type: 'string', pattern: SEMVER.source }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** A semantic version string such as 1.2.3 or 2.0.0-rc.1. */
export function semver(example = '1.0.0'): Matcher<string> {
  if (!SEMVER.test(example)) throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.semver(): ${JSON.stringify(example)} is not a semantic version.`);
  return matcherNode([{ match: 'semver' }], example);
}
