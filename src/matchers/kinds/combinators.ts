/** AND / OR: several matchers at one path, as Pact's `combine`. */
import { HeraldError } from '../../errors/herald-error';
import { matcherNode, type Matcher } from '../node';

type Inferred<M> = M extends Matcher<infer U> ? U : never;

function combine(kind: 'AND' | 'OR', matchers: readonly Matcher<unknown>[]): Matcher<never> {
  const first = matchers[0];
  if (first === undefined || matchers.some((m) => m.array !== undefined || m.variants !== undefined || m.anyKey === true)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.${kind.toLowerCase()}(): give one or more value matchers (not eachLike/arrayContains/eachKey).`);
  }
  return matcherNode(
    matchers.flatMap((m) => m.rules),
    first.example,
    { combine: kind, generator: first.generator },
  );
}

/** All of the matchers must match (the first one's example is used). */
export function and<const M extends readonly [Matcher<unknown>, ...Matcher<unknown>[]]>(...matchers: M): Matcher<Inferred<M[0]>> {
  return combine('AND', matchers);
}

/** At least one of the matchers must match (the first one's example is used). */
export function or<const M extends readonly [Matcher<unknown>, ...Matcher<unknown>[]]>(...matchers: M): Matcher<Inferred<M[number]>> {
  return combine('OR', matchers);
}
