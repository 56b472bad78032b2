/**
 * A reply factory typed from the consumer's declaration: `replyFor(authorise, (params, request) => …)`
 * gives `request.payload`, `headers`, `key` and `properties` the types the declaration infers, and
 * keys the factory by the declaration's own description (no free-text key to mistype). The types
 * are checked at run time: a request that does not satisfy the declaration (a contract file older
 * than the declaration, say) fails with HERALD_REQUEST_MISMATCH before the factory runs.
 */
import type { JsonObject } from '../contract/json';
import type { MessageInteraction, SyncMessageInteraction } from '../contract/model';
import type { ReceivedMessage } from '../contract/received';
import { HeraldError } from '../errors/herald-error';
import { formatMismatches } from '../matching/format';
import { matchMessage } from '../matching/message';
import type { ReceivedRequest, ReplyFactory } from './reply';

/** The request a typed reply factory receives. */
export interface TypedRequest<P, H, K, Props> {
  readonly payload: P;
  readonly headers: H;
  readonly key: K;
  readonly properties: Props;
  /** Every metadata entry of the request, as in the contract. */
  readonly metadata: JsonObject;
}

/** What replyFor needs of a consumer declaration (a RequestReplyExpectation). */
export interface RequestDeclaration {
  toInteraction(): SyncMessageInteraction;
  exampleRequest(): ReceivedMessage<unknown, unknown, unknown, unknown>;
}

/** The typed request of a declaration. */
export type RequestOf<D extends RequestDeclaration> = ReturnType<D['exampleRequest']> extends ReceivedMessage<infer P, infer H, infer K, infer Props> ? TypedRequest<P, H, K, Props> : never;

/** A checked request is the declared one: the cast is what the check just established. */
function asTyped<D extends RequestDeclaration>(request: ReceivedRequest): RequestOf<D> {
  return request as unknown as RequestOf<D>;
}

/**
 * Reply factories for `declaration` (spread them into `replies`).
 *
 * @example
 * provider('push-server', {
 *   messages: {},
 *   replies: { ...replyFor(authorise, (_params, request) => message(service.authorise(request.payload))) },
 * });
 */
export function replyFor<D extends RequestDeclaration>(declaration: D, factory: (params: JsonObject, request: RequestOf<D>) => unknown): Record<string, ReplyFactory> {
  const sync: SyncMessageInteraction = declaration.toInteraction();
  const declared: MessageInteraction = { description: sync.description, providerStates: [], ...sync.request, pending: false };
  return {
    [sync.description]: (params, request) => {
      const mismatches = matchMessage(declared, { content: request.payload, contentType: sync.request.contents.contentType, metadata: request.metadata, typedMetadata: true });
      if (mismatches.length > 0) {
        throw new HeraldError(
          'HERALD_REQUEST_MISMATCH',
          `The request given to the reply factory of "${sync.description}" does not satisfy the declaration its types come from:\n${formatMismatches(mismatches, { interaction: sync.description })}\nRegenerate the contract from the consumer's current declaration.`,
          { interaction: sync.description },
        );
      }
      return factory(params, asTyped<D>(request));
    },
  };
}
