/**
 * Consumer side of request/reply on a real broker: Herald plays the provider. It subscribes to each
 * interaction's request channel, checks every request the consumer's real client sends against the
 * contract's request, and answers a matching one with the contract's reply (generators applied) at
 * the request's reply address, carrying its correlation id back:
 *
 * - AMQP: to the queue in `reply_to` (a named queue, a server-named one, or RabbitMQ's direct
 *   reply-to) through the default exchange, with the request's `correlation_id`;
 * - Kafka: to the topic in the reply-topic header with the correlation header's bytes copied
 *   (Spring's `kafka_replyTopic` / `kafka_correlationId` unless the contract names others).
 *
 * A request that does not match, or that says no reply address or correlation id, is recorded and
 * not answered: the real client then times out too, and `expectAnswered()` says why.
 */
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { Channel, MessageInteraction, SyncMessageInteraction } from '../../contract/model';
import { HeraldError } from '../../errors/herald-error';
import { formatMismatches } from '../../matching/format';
import type { Mismatch } from '../../matchers/mismatch';
import { describeChannel } from '../../transport/describe';
import { matchCaptured } from '../../transport/decode';
import type { CapturedMessage, HeaderValue, OutgoingMessage, StartedSubscription, TransportAdapter } from '../../transport/types';
import { headerText, kafkaReplyRoute } from '../kafka-reply';
import { replyAsMessage } from '../reply';
import type { ReplyRouteJson } from '../reply-broker';
import { reifyExample } from './reify';

/** A request the consumer sent, and what Herald did with it. */
export interface AnsweredRequest {
  /** The interaction it was checked against (the first whose request it matches, else the first on its channel). */
  readonly description: string;
  readonly message: CapturedMessage;
  /** Where the request differs from the contract's request; empty when it matches. */
  readonly mismatches: readonly Mismatch[];
  /** Why it was not answered besides mismatches (no reply address, no correlation id, publishing failed). */
  readonly problem?: string;
  /** Whether Herald published the contract's reply. */
  readonly answered: boolean;
}

export interface AnswerRequestsOptions {
  /** The transport to subscribe and answer through (herald/amqp's AmqpTransport, herald/kafka's createKafkaTransport…). */
  readonly transport: TransportAdapter;
  /** Kafka reply-topic header when the contract names none (default `kafka_replyTopic`). */
  readonly replyTopicHeader?: string;
  /** Kafka correlation header when the contract names none (default `kafka_correlationId`). */
  readonly correlationHeader?: string;
}

/** Herald answering requests on the broker; stop it (or `await using`) when the test is done. */
export interface StartedResponder extends AsyncDisposable {
  /** Every request received so far, in arrival order. */
  requests(): readonly AnsweredRequest[];
  /**
   * Throws unless every interaction received a request and every request matched and was answered:
   * HERALD_REQUEST_MISMATCH listing the mismatches, or HERALD_HANDLER_FAILED for an interaction
   * the client never sent or a request Herald could not answer.
   */
  expectAnswered(): void;
  /** Stops answering (unsubscribes). Idempotent. */
  stop(): Promise<void>;
}

/** Anything with toInteraction(): a RequestReplyExpectation from the consumer DSL. */
export type RequestReplySource = SyncMessageInteraction | { toInteraction(): SyncMessageInteraction };

interface Entry {
  readonly sync: SyncMessageInteraction;
  readonly request: MessageInteraction;
  readonly reply: MessageInteraction;
}

function channelOf(sync: SyncMessageInteraction): Channel {
  const channel = sync.herald?.channel;
  if (channel === undefined)
    throw new HeraldError(
      'HERALD_CHANNEL_UNCHECKED',
      `Failed to answer "${sync.description}" on the broker: the contract does not say where the request goes. Declare it with .on(amqpQueue(…)) or .on(kafkaTopic(…)).`,
      {
        interaction: sync.description,
      },
    );
  return channel;
}

function routeOf(sync: SyncMessageInteraction): ReplyRouteJson {
  const route = sync.herald?.['reply'];
  return typeof route === 'object' && route !== null && !Array.isArray(route) ? (route as ReplyRouteJson) : {};
}

function entryOf(sync: SyncMessageInteraction): Entry {
  const reply = replyAsMessage(sync);
  if (reply === undefined)
    throw new HeraldError('HERALD_REPLY_UNSUPPORTED', `Failed to answer "${sync.description}": it declares ${sync.response.length} replies, and Herald answers with exactly one.`, {
      interaction: sync.description,
    });
  const request: MessageInteraction = { description: sync.description, providerStates: sync.providerStates, ...sync.request, pending: sync.pending };
  return { sync, request, reply };
}

/** The channel key a subscription is shared under (one per request channel). */
const channelKey = (c: Channel): string => JSON.stringify(c);

/**
 * Answers the consumer's real requests on the broker with the contracts' replies, checking each request.
 *
 * @example
 * await using transport = new AmqpTransport({ url: broker.url });
 * await using responder = await answerRequestsOnBroker([authorise], { transport });
 * const session = await new AuthClient(amqpChannel).authorise('dev-1', 'secret');
 * responder.expectAnswered();
 */
export async function answerRequestsOnBroker(interactions: RequestReplySource | readonly RequestReplySource[], options: AnswerRequestsOptions): Promise<StartedResponder> {
  const list = (Array.isArray(interactions) ? interactions : [interactions]) as readonly RequestReplySource[];
  const entries = list.map((i) => entryOf('toInteraction' in i ? i.toInteraction() : i));
  const received: AnsweredRequest[] = [];
  const byChannel = new Map<string, { channel: Channel; entries: Entry[] }>();
  for (const entry of entries) {
    const channel = channelOf(entry.sync);
    const group = byChannel.get(channelKey(channel)) ?? { channel, entries: [] };
    group.entries.push(entry);
    byChannel.set(channelKey(channel), group);
  }
  const { transport } = options;
  const answer = async (group: Entry[], message: CapturedMessage): Promise<void> => {
    const checked = group.map((entry) => ({ entry, mismatches: matchCaptured(entry.request, message) }));
    const chosen = checked.find((c) => c.mismatches.length === 0) ?? checked[0];
    if (chosen === undefined) return;
    const { entry, mismatches } = chosen;
    const base = { description: entry.sync.description, message, mismatches };
    if (mismatches.length > 0) {
      received.push({ ...base, answered: false });
      return;
    }
    const planned = replyTo(entry, message, options);
    if (typeof planned === 'string') {
      received.push({ ...base, answered: false, problem: planned });
      return;
    }
    // Recorded before publishing: the client may check the verdict as soon as the reply reaches it.
    const index = received.push({ ...base, answered: true }) - 1;
    try {
      await transport.publish(planned);
    } catch (error) {
      received[index] = { ...base, answered: false, problem: `publishing the reply failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  const subscriptions: StartedSubscription[] = [];
  try {
    for (const group of byChannel.values()) subscriptions.push(await transport.subscribe(group.channel, (message) => answer(group.entries, message)));
  } catch (error) {
    await Promise.all(subscriptions.map((s) => s.stop()));
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= Promise.all(subscriptions.map((s) => s.stop())).then(() => undefined));
  return {
    requests: () => [...received],
    expectAnswered: () => expectAnswered(entries, received),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** The reply to publish for a request, or why there is none (no reply address or correlation id). */
function replyTo(entry: Entry, request: CapturedMessage, options: AnswerRequestsOptions): OutgoingMessage | string {
  const example = reifyExample(entry.reply);
  const channel = channelOf(entry.sync);
  if (isAmqpChannel(channel)) {
    const address = request.properties['replyTo'];
    const correlationId = request.properties['correlationId'];
    if (typeof address !== 'string' || address === '') return 'the request has no reply_to property, so there is nowhere to answer';
    if (correlationId === undefined || correlationId === null) return 'the request has no correlation_id property, so a reply could not be told apart from others';
    return {
      channel: { transport: 'amqp', exchange: '', routingKey: address },
      headers: example.headers,
      properties: { ...example.properties, correlationId },
      contentType: example.contentType,
      body: example.body,
    };
  }
  if (isKafkaChannel(channel)) {
    const route = kafkaReplyRoute({ route: routeOf(entry.sync), channel }, options);
    const topic = headerText(request, route.replyTopicHeader) ?? routeOf(entry.sync).address;
    const correlation = request.headers[route.correlationHeader];
    if (topic === undefined || topic === '') return `the request has no ${route.replyTopicHeader} header and the contract names no reply topic, so there is nowhere to answer`;
    if (correlation === undefined || correlation === null) return `the request has no ${route.correlationHeader} header, so a reply could not be told apart from others`;
    const headers: Record<string, HeaderValue> = { ...example.headers, [route.correlationHeader]: correlation };
    return { channel: { transport: 'kafka', topic }, ...(example.key === undefined ? {} : { key: example.key }), headers, contentType: example.contentType, body: example.body };
  }
  return `requests on ${describeChannel(channel)} cannot be answered: Herald answers on AMQP and Kafka channels`;
}

function expectAnswered(entries: readonly Entry[], received: readonly AnsweredRequest[]): void {
  const mismatched = received.filter((r) => r.mismatches.length > 0);
  if (mismatched.length > 0) {
    const listed = mismatched.map((r) => `"${r.description}":\n${formatMismatches(r.mismatches, { interaction: r.description })}`).join('\n');
    throw new HeraldError(
      'HERALD_REQUEST_MISMATCH',
      `The consumer sent ${mismatched.length} request(s) on the broker that do not match the contract, and Herald did not answer them:\n${listed}\nFix the client or the declaration.`,
      {
        interaction: mismatched[0]?.description ?? '',
      },
    );
  }
  const unanswered = received.filter((r) => !r.answered);
  if (unanswered.length > 0) {
    throw new HeraldError(
      'HERALD_HANDLER_FAILED',
      `Herald could not answer ${unanswered.map((r) => `"${r.description}" (${r.problem ?? 'unknown reason'})`).join(', ')}. Send the reply address and correlation id with each request.`,
      {
        interaction: unanswered[0]?.description ?? '',
      },
    );
  }
  const missing = entries.filter((e) => !received.some((r) => r.description === e.sync.description));
  if (missing.length > 0) {
    throw new HeraldError(
      'HERALD_HANDLER_FAILED',
      `The consumer never sent ${missing.map((e) => `"${e.sync.description}" on ${describeChannel(channelOf(e.sync))}`).join(', ')}: Herald received no request there. Check that the client publishes to the contract's channel, and await its call before expectAnswered().`,
      { interaction: missing[0]?.sync.description ?? '' },
    );
  }
}
