/**
 * Request/reply verification on a real broker: for each request/reply interaction, set up its
 * states, publish the contract's request with a reply address and a fresh correlation id, let the
 * provider's real service answer, and check the reply: that one came, that it carries the
 * request's correlation id, and its body and metadata. The broker side is a
 * {@link RequestReplyClient} (herald/amqp's AmqpRequestReplyClient); this file never imports a
 * broker client.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '../contract/json';
import type { Channel, Contract, SyncMessageInteraction } from '../contract/model';
import { AMQP_PROPERTY_KEYS, META, channelFromMetadata, headersOf, type AmqpPropertyName } from '../contract/channel';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import { matchMessage } from '../matching/engine';
import { matchCaptured } from '../transport/decode';
import type { CapturedMessage } from '../transport/types';
import type { Mismatch } from '../matchers/mismatch';
import { replyAsMessage } from './reply';
import { isFlowStep } from '../contract/flow';
import { flowStepNotChecked } from './flow';
import { summarise, type InteractionResult, type VerificationReport } from './result';
import { errorInfo, setUpStates, type StatesDefinition } from './states';
import { contractsToVerify, descriptionTest, type DescriptionFilter } from './verify-provider';

/** The request Herald publishes. */
export interface BrokerRequest {
  /** Where the request goes (the interaction's channel). */
  readonly channel: Channel;
  readonly body: Buffer;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, JsonValue>>;
  /** AMQP basic properties of the request (besides replyTo and correlationId, which the client sets). */
  readonly properties: { readonly [K in AmqpPropertyName]?: JsonValue };
  /** Kafka message key. */
  readonly key: JsonValue | undefined;
  /** The id the reply must carry back. */
  readonly correlationId: string;
  /** The interaction's `herald.reply` block: reply address, Kafka header names. */
  readonly route: ReplyRouteJson;
  /** How long to wait for the reply. */
  readonly timeoutMs: number;
}

/** `herald.reply` as stored in the contract. */
export interface ReplyRouteJson {
  readonly address?: string;
  readonly replyTopicHeader?: string;
  readonly correlationHeader?: string;
}

/** The first message that arrived at the reply address. */
export interface BrokerReply {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, JsonValue>>;
  readonly properties: { readonly [K in AmqpPropertyName]?: JsonValue };
  /** The correlation id it carries (AMQP property or Kafka header); undefined when none. */
  readonly correlationId: string | undefined;
  /** Where it arrived, for messages. */
  readonly address: string;
  /**
   * The reply as a transport captured it, when the client captured it through one (Kafka): then it
   * is decoded the transport's way (header bytes read as the contract's types, the key) and
   * `body` / `headers` / `properties` above are not used for matching.
   */
  readonly message?: CapturedMessage;
}

/** Publishes a request and captures the first reply; undefined when none came within the timeout. */
export interface RequestReplyClient {
  /** The broker-specific reply address for messages ("a server-named queue", "topic push.replies"). */
  describeReplyAddress(request: BrokerRequest): string;
  request(request: BrokerRequest): Promise<BrokerReply | undefined>;
}

export interface VerifyRepliesOnBrokerOptions {
  readonly client: RequestReplyClient;
  /** Provider name (default: the definition's name). */
  readonly provider?: string;
  readonly consumers?: readonly string[];
  readonly description?: DescriptionFilter;
  /** How long to wait for each reply (default 10 000 ms). */
  readonly replyTimeoutMs?: number;
}

/** A provider definition for broker verification: its states (the real service does the replying). */
export interface ReplyingProvider extends StatesDefinition {
  readonly name?: string;
}

function requestOfInteraction(sync: SyncMessageInteraction, correlationId: string, timeoutMs: number): BrokerRequest | undefined {
  const part = sync.request;
  const channel = sync.herald?.channel ?? channelFromMetadata(part.metadata);
  if (channel === undefined) return undefined;
  const content = part.contents.content;
  const contentType = part.contents.contentType;
  const body =
    part.contents.encoded !== false && typeof content === 'string'
      ? Buffer.from(content, 'base64')
      : Buffer.from(typeof content === 'string' && !/json/i.test(contentType) ? content : JSON.stringify(content ?? null), 'utf8');
  const properties: Partial<Record<AmqpPropertyName, JsonValue>> = {};
  for (const [name, key] of Object.entries(AMQP_PROPERTY_KEYS)) {
    const value = part.metadata[key];
    if (value !== undefined && name !== 'replyTo' && name !== 'correlationId') properties[name as AmqpPropertyName] = value;
  }
  const route = sync.herald?.['reply'];
  return {
    channel,
    body,
    contentType,
    headers: headersOf(part.metadata),
    properties,
    key: part.metadata[META.kafkaKey],
    correlationId,
    route: typeof route === 'object' && route !== null && !Array.isArray(route) ? (route as ReplyRouteJson) : {},
    timeoutMs,
  };
}

function decode(reply: BrokerReply, expectedType: string): { content: JsonValue | undefined } | Mismatch {
  const contentType = reply.contentType ?? expectedType;
  const text = reply.body.toString('utf8');
  if (!/json/i.test(contentType)) return { content: text };
  try {
    return { content: text === '' ? undefined : parseJsonKeepingNumbers(text) };
  } catch (error) {
    return {
      code: 'decode',
      part: 'body',
      path: '$',
      expected: contentType,
      actual: text.slice(0, 200),
      message: `The reply is not JSON although the contract expects ${contentType}: ${(error as Error).message}`,
    };
  }
}

/**
 * Verifies the provider's real service answers every request/reply interaction on the broker.
 *
 * @example
 * await using client = new AmqpRequestReplyClient({ url: broker.url });
 * const report = await verifyRepliesOnBroker(contracts, { name: 'push-server', states }, { client });
 */
export async function verifyRepliesOnBroker(contracts: readonly Contract[], definition: ReplyingProvider, options: VerifyRepliesOnBrokerOptions): Promise<VerificationReport> {
  const started = performance.now();
  const selected = contractsToVerify(contracts, options.provider ?? definition.name, options.consumers);
  const matches = descriptionTest(options.description);
  const timeoutMs = options.replyTimeoutMs ?? 10_000;
  const results: InteractionResult[] = [];
  for (const contract of selected) {
    for (const sync of contract.synchronous ?? []) {
      if (matches !== undefined && !matches(sync.description)) continue;
      if (isFlowStep(sync)) {
        results.push(flowStepNotChecked(contract, sync, 'verifyRepliesOnBroker'));
        continue;
      }
      results.push(await verifyReplyOnBroker(contract, sync, definition, options.client, timeoutMs));
    }
  }
  return { summary: summarise(results, [], performance.now() - started, 'triggers'), results };
}

/** Verifies one request/reply interaction on the broker (verifyRepliesOnBroker's step; verifyProviderOnBroker's `replies`). */
export async function verifyReplyOnBroker(contract: Contract, sync: SyncMessageInteraction, definition: ReplyingProvider, client: RequestReplyClient, timeoutMs: number): Promise<InteractionResult> {
  const begun = performance.now();
  const where = `"${sync.description}" (${contract.consumer} → ${contract.provider}${contract.source === undefined ? '' : `, ${contract.source}`})`;
  const notes: string[] = [];
  const finish = (status: InteractionResult['status'], mismatches: readonly Mismatch[], error?: { code: string; message: string; retriable?: boolean }): InteractionResult => ({
    consumer: contract.consumer,
    provider: contract.provider,
    description: sync.description,
    ...(contract.source === undefined ? {} : { contractFile: contract.source }),
    status: sync.pending && status !== 'passed' ? 'pending' : status,
    mismatches,
    notes,
    ...(error === undefined ? {} : { error }),
    pending: sync.pending,
    durationMs: performance.now() - begun,
  });
  const reply = replyAsMessage(sync);
  if (reply === undefined) {
    return finish('failed', [], {
      code: 'HERALD_REPLY_UNSUPPORTED',
      message: `Failed to verify ${where}: it declares ${sync.response.length} replies, and Herald checks exactly one reply per request.`,
    });
  }
  const correlationId = randomUUID();
  const request = requestOfInteraction(sync, correlationId, timeoutMs);
  if (request === undefined) {
    return finish('failed', [], {
      code: 'HERALD_CHANNEL_UNCHECKED',
      message: `Failed to verify ${where} on the broker: the contract does not say where the request goes. Declare the channel with .on(amqpQueue(…)) or .on(kafkaTopic(…)) in the consumer test.`,
    });
  }
  const states = await setUpStates(reply, definition, where, notes, "the provider's definition");
  try {
    if (states.failure !== undefined) return finish('state-failed', [], states.failure);
    let captured: BrokerReply | undefined;
    try {
      captured = await client.request(request);
    } catch (error) {
      return finish('failed', [], { ...errorInfo(error, 'HERALD_TRANSPORT_PUBLISH_FAILED'), retriable: true });
    }
    const address = client.describeReplyAddress(request);
    if (captured === undefined) {
      return finish('failed', [], {
        code: 'HERALD_REPLY_MISSING',
        message: `No reply to ${where} arrived at ${address} within ${timeoutMs} ms (request correlation id ${correlationId}). Check that the provider's service consumes the request and answers to its reply address.`,
      });
    }
    if (captured.correlationId === undefined) {
      return finish('failed', [], {
        code: 'HERALD_REPLY_UNCORRELATED',
        message: `The reply to ${where} arrived at ${address} without a correlation id (the request carried ${correlationId}). Copy the request's correlation id into the reply.`,
      });
    }
    if (captured.correlationId !== correlationId) {
      return finish('failed', [], {
        code: 'HERALD_REPLY_UNCORRELATED',
        message: `The reply to ${where} arrived at ${address} with the correlation id ${captured.correlationId}, which belongs to another request (this request carried ${correlationId}). Answer each request with its own correlation id.`,
      });
    }
    const expected = { ...reply, metadata: withoutCorrelation(reply.metadata) };
    if (captured.message !== undefined) {
      const mismatches = matchCaptured(expected, captured.message);
      return finish(mismatches.length === 0 ? 'passed' : 'failed', mismatches);
    }
    const decoded = decode(captured, reply.contents.contentType);
    if ('code' in decoded) return finish('failed', [decoded]);
    const metadata: JsonObject = { [META.contentType]: captured.contentType ?? reply.contents.contentType, ...captured.headers };
    for (const [name, value] of Object.entries(captured.properties)) {
      if (value !== undefined) metadata[AMQP_PROPERTY_KEYS[name as AmqpPropertyName]] = value;
    }
    const mismatches = matchMessage(expected, { content: decoded.content, contentType: captured.contentType ?? reply.contents.contentType, metadata, typedMetadata: true });
    return finish(mismatches.length === 0 ? 'passed' : 'failed', mismatches);
  } finally {
    await states.teardown();
  }
}

/** The correlation id is checked against the request's own id, not against the contract's example. */
function withoutCorrelation(metadata: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(metadata)) if (k !== AMQP_PROPERTY_KEYS.correlationId) out[k] = v;
  return out;
}
