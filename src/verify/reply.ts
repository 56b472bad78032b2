/**
 * Request/reply verification with reply factories, in-process: for a Pact V4 `Synchronous/Messages`
 * interaction, set up its states, hand the contract's request to the provider's reply factory and
 * match what it returns against the declared reply, exactly as a one-way message is matched.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { Contract, MessageInteraction, MessagePart, SyncMessageInteraction } from '../contract/model';
import { AMQP_PROPERTY_KEYS, META, headersOf, type AmqpPropertyName } from '../contract/channel';
import type { InteractionResult } from './result';
import type { ProviderDefinition } from './provider';
import { closest } from './states';

/**
 * A request as the provider receives it: the decoded payload and its metadata.
 * In-process verification passes the contract's request example; on a broker, the message Herald published.
 */
export interface ReceivedRequest {
  /** Decoded payload (JSON, or text for text content types). */
  readonly payload: JsonValue | undefined;
  /** Message headers (Kafka headers, AMQP headers table). */
  readonly headers: Readonly<Record<string, JsonValue>>;
  /** Kafka message key, when the request has one. */
  readonly key: JsonValue | undefined;
  /** AMQP basic properties (correlationId, replyTo…), by name. */
  readonly properties: { readonly [K in AmqpPropertyName]?: JsonValue };
  /** Every metadata entry of the request, as in the contract. */
  readonly metadata: JsonObject;
}

/**
 * Builds the provider's reply to a request: a plain payload, or `message(payload, { headers, properties… })`.
 *
 * @example
 * replies: { 'an authorise request': ({ deviceId }, request) => message({ sessionId: sessions.open(deviceId) }, { headers: { 'device-id': request.headers['device-id'] } }) }
 */
export type ReplyFactory = (params: JsonObject, request: ReceivedRequest) => unknown;

/** The request of a request/reply interaction, as its reply factory receives it. */
export function requestOf(part: MessagePart): ReceivedRequest {
  const properties: Partial<Record<AmqpPropertyName, JsonValue>> = {};
  for (const [name, key] of Object.entries(AMQP_PROPERTY_KEYS)) {
    const value = part.metadata[key];
    if (value !== undefined) properties[name as AmqpPropertyName] = value;
  }
  return { payload: part.contents.content, headers: headersOf(part.metadata), key: part.metadata[META.kafkaKey], properties, metadata: part.metadata };
}

/**
 * The reply side of a request/reply interaction as a one-way message, so the message engine (states,
 * factory timeout, body and metadata matching, usage) checks it. Undefined unless there is exactly one reply.
 */
export function replyAsMessage(sync: SyncMessageInteraction): MessageInteraction | undefined {
  const [reply, ...more] = sync.response;
  if (reply === undefined || more.length > 0) return undefined;
  return {
    description: sync.description,
    providerStates: sync.providerStates,
    ...reply,
    pending: sync.pending,
    ...(sync.key === undefined ? {} : { key: sync.key }),
    ...(sync.herald === undefined ? {} : { herald: withoutChannel(sync.herald) }),
  };
}

/** The reply travels to the request's reply address, not to the request's channel. */
function withoutChannel(herald: NonNullable<SyncMessageInteraction['herald']>): NonNullable<MessageInteraction['herald']> {
  const { channel: _requestChannel, ...rest } = herald;
  return rest;
}

/** A result that fails before any factory ran. */
function early(contract: Contract, sync: SyncMessageInteraction, code: string, message: string): InteractionResult {
  return {
    consumer: contract.consumer,
    provider: contract.provider,
    description: sync.description,
    ...(contract.source === undefined ? {} : { contractFile: contract.source }),
    status: sync.pending ? 'pending' : code === 'HERALD_NO_REPLY_FACTORY' ? 'no-factory' : 'failed',
    mismatches: [],
    notes: [],
    error: { code, message },
    pending: sync.pending,
    durationMs: 0,
  };
}

type VerifyMessage = (contract: Contract, interaction: MessageInteraction, definition: ProviderDefinition) => Promise<InteractionResult>;

/**
 * Verifies one request/reply interaction with the definition's reply factory. `verifyMessage` is
 * the one-way verification (verifyInteraction) with the run's options bound.
 */
export async function verifySyncInteraction(contract: Contract, sync: SyncMessageInteraction, definition: ProviderDefinition, verifyMessage: VerifyMessage): Promise<InteractionResult> {
  const where = `"${sync.description}" (${contract.consumer} → ${contract.provider}${contract.source === undefined ? '' : `, ${contract.source}`})`;
  const replies = definition.replies ?? {};
  const factory = Object.hasOwn(replies, sync.description) ? replies[sync.description] : undefined;
  if (factory === undefined) {
    const guess = closest(sync.description, Object.keys(replies));
    return early(
      contract,
      sync,
      'HERALD_NO_REPLY_FACTORY',
      `No reply factory for the request/reply interaction ${where}.${guess === undefined ? '' : ` Did you mean "${guess}"?`} Add replies[${JSON.stringify(sync.description)}]: (params, request) => reply to the provider's factories.`,
    );
  }
  const reply = replyAsMessage(sync);
  if (reply === undefined) {
    return early(
      contract,
      sync,
      'HERALD_REPLY_UNSUPPORTED',
      `Failed to verify ${where}: it declares ${sync.response.length} replies, and Herald checks exactly one reply per request. Declare one reply, or split the exchange into several interactions.`,
    );
  }
  const request = requestOf(sync.request);
  return verifyMessage(contract, reply, { ...definition, messages: { [sync.description]: (params) => factory(params, request) } });
}
