/** A value the provider fills in from its state (Pact's ProviderState generator), e.g. "${orderId}". */
import { matcherNode, type Infer, type Matcher, type Template, type Widen } from '../node';

/** `expression` names provider-state values (`${orderId}`); `example` is used by consumer tests. */
export function fromProviderState<const T extends Template>(expression: string, example: T): Matcher<Widen<Infer<T>>> {
  return matcherNode([{ match: 'type' }], example, { generator: { type: 'ProviderState', expression } });
}
