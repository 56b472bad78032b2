/**
 * The consumer DSL for request/reply: the consumer declares the request it sends and the reply it
 * expects; the handler test hands the consumer's real client a replying double, which checks each
 * request against the declaration and answers with a generated example of the reply. The pair is
 * written as one Pact V4 `Synchronous/Messages` interaction.
 *
 * @example
 * const authorise = consumer('push-client').expectsFrom('push-server')
 *   .request('an authorise request')
 *   .given('a device is registered', { deviceId: 'dev-1' })
 *   .on(amqpQueue('auth.rpc'))
 *   .withPayload({ deviceId: m.string('dev-1'), token: m.regex(/^[a-z]+$/, 'abc') })
 *   .withReply({ sessionId: m.uuid(), ok: m.boolean(true) });
 * await authorise.verify(async (broker) => {
 *   const session = await new AuthClient(broker).authorise('dev-1', 'abc');
 *   expect(session.ok).toBe(true);
 * });
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { Channel, MessageInteraction, MessagePart, SyncMessageInteraction } from '../contract/model';
import { AMQP_PROPERTY_KEYS, META, channelMetadata, type AmqpPropertyName } from '../contract/channel';
import { HeraldError } from '../errors/herald-error';
import type { Infer, Template } from '../matchers/node';
import { matchMessage } from '../matching/engine';
import { formatMismatches } from '../matching/format';
import type { HeaderTemplates, PropertyTemplates } from './message';
import { startMessage } from './message';
import type { ReceivedMessage } from '../contract/received';
import { defaultContractsDir, recordInteraction } from './session';

type NoEntries = Record<never, never>;

/**
 * How the reply travels back, stored in the interaction's `herald.reply` block (Pact has no field
 * for it; pact-js reads the file and ignores the block).
 */
export interface ReplyRoute {
  /**
   * AMQP: the queue the reply goes to (default: an exclusive server-named queue; use
   * `amq.rabbitmq.reply-to` for RabbitMQ's direct reply-to). Kafka: the reply topic.
   */
  readonly address?: string;
  /** Kafka: the header naming the reply topic (default `kafka_replyTopic`, as Spring writes it). */
  readonly replyTopicHeader?: string;
  /** Kafka: the header carrying the correlation id (default `kafka_correlationId`). AMQP uses the `correlation_id` property. */
  readonly correlationHeader?: string;
}

/** What the consumer's client sends through the replying double. */
export interface SentRequest {
  /** The payload: JSON data, a string, or bytes (decoded per the declared content type). */
  readonly payload: unknown;
  readonly headers?: Readonly<Record<string, JsonValue>>;
  /** Kafka message key. */
  readonly key?: JsonValue;
  /** AMQP basic properties. */
  readonly properties?: { readonly [K in AmqpPropertyName]?: JsonValue };
  /** Content type of the payload (default: the declared one). */
  readonly contentType?: string;
}

/** The replying double a request/reply handler test gives the consumer's client. */
export interface ReplyingDouble<RP, RH, RProps> {
  /**
   * Sends a request. Resolves with the declared reply (a generated example) when the request
   * matches the declaration; rejects with HERALD_REQUEST_MISMATCH, listing the mismatches, when not.
   */
  request(sent: SentRequest): Promise<ReceivedMessage<RP, RH, undefined, RProps>>;
  /** The requests sent so far, in order. */
  readonly sent: readonly SentRequest[];
}

/** Details of the expected reply besides its payload. */
export interface ReplyDetails<RH extends HeaderTemplates, RProps extends PropertyTemplates> {
  readonly headers?: RH;
  readonly properties?: RProps;
  /** Content type of the reply (default application/json). */
  readonly contentType?: string;
}

interface RequestSteps<Next> {
  /** Adds a provider state, with params the provider's state handler receives. */
  given(name: string, params?: JsonObject): Next;
  /** Where the request travels: amqpQueue(…), amqpExchange(…), kafkaTopic(…). */
  on(channel: Channel): Next;
  /** How the reply travels back (reply queue or topic, Kafka header names). */
  replyVia(route: ReplyRoute): Next;
  /** Content type of the request (default application/json). */
  withContentType(contentType: string): Next;
  /** Marks the interaction pending: providers report it but do not fail on it. */
  pending(pending?: boolean): Next;
  /** Free-text comments stored in the contract (Pact V4 `comments`). */
  withComments(comments: JsonObject): Next;
  /** Writes this interaction's contract under `dir` instead of `contracts/`. */
  writeTo(dir: string): Next;
}

export interface RequestBuilder<H, K, Props> extends RequestSteps<RequestBuilder<H, K, Props>> {
  withKey<const T extends Template>(key: T): RequestBuilder<H, Infer<T>, Props>;
  withHeaders<const T extends HeaderTemplates>(headers: T): RequestBuilder<Infer<T>, K, Props>;
  withProperties<const T extends PropertyTemplates>(properties: T): RequestBuilder<H, K, Infer<T>>;
  /** The request payload; then declare the reply with withReply(). */
  withPayload<const T extends Template>(payload: T): RequestDeclared<Infer<T>, H, K, Props>;
}

export interface RequestDeclared<P, H, K, Props> extends RequestSteps<RequestDeclared<P, H, K, Props>> {
  withKey<const T extends Template>(key: T): RequestDeclared<P, H, Infer<T>, Props>;
  withHeaders<const T extends HeaderTemplates>(headers: T): RequestDeclared<P, Infer<T>, K, Props>;
  withProperties<const T extends PropertyTemplates>(properties: T): RequestDeclared<P, H, K, Infer<T>>;
  /** The reply the consumer expects; after this the declaration can be verified. */
  withReply<const T extends Template, const RH extends HeaderTemplates = NoEntries, const RProps extends PropertyTemplates = NoEntries>(
    payload: T,
    details?: ReplyDetails<RH, RProps>,
  ): RequestReplyExpectation<P, H, K, Props, Infer<T>, Infer<RH>, Infer<RProps>>;
}

export interface RequestReplyExpectation<P, H, K, Props, RP, RH, RProps> extends RequestSteps<RequestReplyExpectation<P, H, K, Props, RP, RH, RProps>> {
  /**
   * Runs `test` with a replying double for the consumer's real client. The test fails (and the
   * interaction is not written) when `test` throws, when the client sends no request, or when a
   * request does not match the declaration, even if the client swallowed the rejection.
   */
  verify(test: (double: ReplyingDouble<RP, RH, RProps>) => unknown): Promise<ReceivedMessage<RP, RH, undefined, RProps>>;
  /** The interaction as it will be written to the contract. */
  toInteraction(): SyncMessageInteraction;
  /** A generated example of the declared request. */
  exampleRequest(): ReceivedMessage<P, H, K, Props>;
  /** A generated example of the declared reply, as the double answers. */
  exampleReply(): ReceivedMessage<RP, RH, undefined, RProps>;
}

/** The one-way builder used for each side; its types are not needed here (the public types above carry them). */
interface Side {
  given(name: string, params?: JsonObject): Side;
  on(channel: Channel): Side;
  withContentType(contentType: string): Side;
  pending(pending?: boolean): Side;
  withComments(comments: JsonObject): Side;
  withKey(key: Template): Side;
  withHeaders(headers: HeaderTemplates): Side;
  withProperties(properties: PropertyTemplates): Side;
  withPayload(payload: Template): Side;
  toInteraction(): MessageInteraction;
  example(): ReceivedMessage<unknown, unknown, unknown, unknown>;
}

interface State {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly request: Side;
  readonly reply?: Side;
  readonly channel?: Channel;
  readonly route?: ReplyRoute;
  readonly contractsDir?: string;
}

const partOf = (i: MessageInteraction): MessagePart => ({ contents: i.contents, metadata: i.metadata, matchingRules: i.matchingRules, generators: i.generators });

function routeJson(route: ReplyRoute): JsonObject {
  const out: JsonObject = {};
  if (route.address !== undefined) out['address'] = route.address;
  if (route.replyTopicHeader !== undefined) out['replyTopicHeader'] = route.replyTopicHeader;
  if (route.correlationHeader !== undefined) out['correlationHeader'] = route.correlationHeader;
  return out;
}

class RequestDeclaration {
  constructor(private readonly state: State) {}

  private next(patch: Partial<State>): RequestDeclaration {
    return new RequestDeclaration({ ...this.state, ...patch });
  }
  private onRequest(change: (side: Side) => Side): RequestDeclaration {
    return this.next({ request: change(this.state.request) });
  }

  given(name: string, params?: JsonObject): RequestDeclaration {
    return this.onRequest((s) => s.given(name, params));
  }
  on(channel: Channel): RequestDeclaration {
    return this.next({ request: this.state.request.on(channel), channel });
  }
  replyVia(route: ReplyRoute): RequestDeclaration {
    for (const [name, value] of Object.entries(route)) {
      if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) throw this.invalid(`the reply route's ${name} must be a non-empty string`);
    }
    return this.next({ route: { ...this.state.route, ...route } });
  }
  withContentType(contentType: string): RequestDeclaration {
    return this.onRequest((s) => s.withContentType(contentType));
  }
  pending(pending = true): RequestDeclaration {
    return this.onRequest((s) => s.pending(pending));
  }
  withComments(comments: JsonObject): RequestDeclaration {
    return this.onRequest((s) => s.withComments(comments));
  }
  writeTo(dir: string): RequestDeclaration {
    return this.next({ contractsDir: dir });
  }
  withKey(key: Template): RequestDeclaration {
    return this.onRequest((s) => s.withKey(key));
  }
  withHeaders(headers: HeaderTemplates): RequestDeclaration {
    return this.onRequest((s) => s.withHeaders(headers));
  }
  withProperties(properties: PropertyTemplates): RequestDeclaration {
    return this.onRequest((s) => s.withProperties(properties));
  }
  withPayload(payload: Template): RequestDeclaration {
    return this.onRequest((s) => s.withPayload(payload));
  }
  withReply(payload: Template, details: ReplyDetails<HeaderTemplates, PropertyTemplates> = {}): RequestDeclaration {
    let reply = startMessage(this.state.consumer, this.state.provider, this.state.description) as unknown as Side;
    if (details.contentType !== undefined) reply = reply.withContentType(details.contentType);
    if (details.headers !== undefined) reply = reply.withHeaders(details.headers);
    if (details.properties !== undefined) reply = reply.withProperties(details.properties);
    return this.next({ reply: reply.withPayload(payload) });
  }

  private invalid(reason: string): HeraldError {
    return new HeraldError('HERALD_DSL_INVALID', `Failed to declare the request "${this.state.description}" (${this.state.consumer} → ${this.state.provider}): ${reason}.`, {
      interaction: this.state.description,
    });
  }

  private replySide(): Side {
    if (this.state.reply === undefined) throw this.invalid('no reply was declared; call withReply()');
    return this.state.reply;
  }

  toInteraction(): SyncMessageInteraction {
    const request = this.state.request.toInteraction();
    const reply = this.replySide().toInteraction();
    const { usage: _usage, ...herald } = request.herald ?? {};
    return {
      description: request.description,
      providerStates: request.providerStates,
      request: partOf(request),
      response: [partOf(reply)],
      pending: request.pending,
      ...(request.key === undefined ? {} : { key: request.key }),
      ...(request.comments === undefined ? {} : { comments: request.comments }),
      herald: { ...herald, reply: routeJson(this.state.route ?? {}) },
    };
  }

  exampleRequest(): ReceivedMessage<unknown, unknown, unknown, unknown> {
    return this.state.request.example();
  }

  exampleReply(): ReceivedMessage<unknown, unknown, unknown, unknown> {
    return this.replySide().example();
  }

  /** The request's problems against the declaration; channel keys are the transport's business, not the client's. */
  private check(sent: SentRequest, declared: MessageInteraction): string | undefined {
    const channelKeys = new Set(this.state.channel === undefined ? [] : Object.keys(channelMetadata(this.state.channel)));
    const metadata: JsonObject = {};
    for (const [k, v] of Object.entries(declared.metadata)) if (!channelKeys.has(k)) metadata[k] = v;
    const contentType = sent.contentType ?? declared.contents.contentType;
    const actualMetadata: Record<string, JsonValue | undefined> = { [META.contentType]: contentType, ...sent.headers };
    if (sent.key !== undefined) actualMetadata[META.kafkaKey] = sent.key;
    for (const [name, value] of Object.entries(sent.properties ?? {})) actualMetadata[AMQP_PROPERTY_KEYS[name as AmqpPropertyName]] = value;
    let content: JsonValue | undefined;
    if (sent.payload instanceof Uint8Array) {
      const text = Buffer.from(sent.payload).toString('utf8');
      try {
        content = /json/i.test(contentType) ? (JSON.parse(text) as JsonValue) : text;
      } catch {
        return `the payload is not JSON although the declaration expects ${contentType}: ${text.slice(0, 200)}`;
      }
    } else content = sent.payload as JsonValue | undefined;
    const mismatches = matchMessage({ ...declared, metadata }, { content, contentType, metadata: actualMetadata, typedMetadata: true });
    return mismatches.length === 0 ? undefined : formatMismatches(mismatches, { interaction: declared.description });
  }

  async verify(test: (double: ReplyingDouble<unknown, unknown, unknown>) => unknown): Promise<ReceivedMessage<unknown, unknown, unknown, unknown>> {
    const interaction = this.toInteraction();
    const declared = this.state.request.toInteraction();
    const reply = { ...this.exampleReply(), key: undefined };
    const { consumer, provider, description } = this.state;
    const dir = this.state.contractsDir ?? defaultContractsDir();
    const sent: SentRequest[] = [];
    const rejected: HeraldError[] = [];
    const double: ReplyingDouble<unknown, unknown, unknown> = {
      sent,
      request: async (request) => {
        sent.push(request);
        const problems = this.check(request, declared);
        if (problems === undefined) return reply;
        const error = new HeraldError(
          'HERALD_REQUEST_MISMATCH',
          `The ${consumer} client sent a request for "${description}" (to ${provider}) that does not match the declaration:\n${problems}\n` +
            `Request it sent: ${JSON.stringify({ payload: request.payload, headers: request.headers, key: request.key, properties: request.properties })}\n` +
            'Fix the client or the declaration; this interaction is not written to the contract until the request matches.',
          { interaction: description },
        );
        rejected.push(error);
        throw error;
      },
    };
    const fail = (error: HeraldError): never => {
      recordInteraction(dir, interaction, consumer, provider, false);
      throw error;
    };
    try {
      await test(double);
    } catch (error) {
      const first = rejected[0];
      if (first !== undefined) fail(first);
      const reason = error instanceof Error ? error.message : String(error);
      fail(
        new HeraldError(
          'HERALD_HANDLER_FAILED',
          `The ${consumer} request/reply test failed on "${description}" from ${provider}: ${reason}\nReply it received: ${JSON.stringify({ payload: reply.payload, metadata: reply.metadata })}\n` +
            'Fix the client or the declaration; this interaction is not written to the contract until the test succeeds.',
          { interaction: description, cause: error },
        ),
      );
    }
    const first = rejected[0];
    if (first !== undefined) fail(first);
    if (sent.length === 0) {
      fail(
        new HeraldError(
          'HERALD_HANDLER_FAILED',
          `The ${consumer} client never sent the request "${description}" to ${provider}: the test finished without calling the double's request(). ` +
            "Pass the double to the client and await the client's call.",
          { interaction: description },
        ),
      );
    }
    recordInteraction(dir, interaction, consumer, provider, true);
    return reply;
  }
}

/** Starts a request/reply declaration; `consumer()` and `expectsFrom()` name the pair. */
export function startRequest(consumer: string, provider: string, description: string): RequestBuilder<NoEntries, undefined, NoEntries> {
  const request = startMessage(consumer, provider, description) as unknown as Side;
  return new RequestDeclaration({ consumer, provider, description, request }) as unknown as RequestBuilder<NoEntries, undefined, NoEntries>;
}
