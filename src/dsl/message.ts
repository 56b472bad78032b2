/**
 * The consumer DSL: declare a message, run the real handler against a generated example, record
 * the interaction for the contract file. Builders are immutable; `verify()` exists only once a
 * payload is declared.
 *
 * @example
 * const orderPlaced = consumer('shipping').expectsFrom('orders')
 *   .message('an OrderPlaced event')
 *   .on(kafkaTopic('orders.v1'))
 *   .withKey(m.uuid())
 *   .withPayload({ orderId: m.uuid(), total: m.decimal(12.5) });
 * await orderPlaced.verify(async (message) => handleOrderPlaced(message.payload));
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { Channel, GeneratorJson, MessageInteraction, ProviderState, RuleList } from '../contract/model';
import { AMQP_PROPERTY_KEYS, META, channelMetadata, headersOf, isReservedMetadataKey, type AmqpPropertyName } from '../contract/channel';
import { interactionKey } from '../contract/serialize';
import { HeraldError } from '../errors/herald-error';
import { compileTemplate, leafRules } from '../matchers/compile';
import { applyGenerators, generateValue } from '../matchers/generate';
import { exampleOf, type Infer, type Template } from '../matchers/node';
import { matchMessage } from '../matching/engine';
import { formatMismatches } from '../matching/format';
import { AVRO_CONTENT_TYPE } from '../avro/detect';
import { avroContract, avroDsl } from '../avro/lazy';
import type { AvroDeclared, AvroPayloadOptions, AvroPayloadState } from '../avro/dsl';
import type { AvroSchemaSource } from '../avro/schema';
import { stableGenerator, startUsage, type VerifyHandlerOptions } from '../usage/hook';
import type { MessageHandler, ReceivedMessage } from '../contract/received';
import { shareDeclaredPayload } from '../usage/declared';
import { findCompiledShape, rememberCompiledShape, type CompiledParts } from './shape';
import { passesAsChecked, rememberChecked } from './self-check';
import { currentOwner, defaultContractsDir, recordInteraction, registerAfterAllHook } from './session';

registerAfterAllHook();

export type HeaderTemplates = Readonly<Record<string, Template>>;
export type PropertyTemplates = { readonly [K in AmqpPropertyName]?: Template };
type NoEntries = Record<never, never>;

interface State {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly states: readonly ProviderState[];
  readonly channel?: Channel;
  readonly key?: Template;
  readonly headers: HeaderTemplates;
  readonly properties: PropertyTemplates;
  readonly payload?: Template;
  /** Set by withAvroPayload(): the payload travels as Avro (docs/avro.md). */
  readonly avro?: AvroPayloadState;
  readonly contentType?: string;
  readonly pending: boolean;
  readonly comments?: JsonObject;
  readonly contractsDir?: string;
}

/** Steps available before and after the payload. */
interface Steps<Next> {
  /** Adds a provider state, with params the provider's state handler receives. */
  given(name: string, params?: JsonObject): Next;
  /** Where the message travels: kafkaTopic(…), amqpExchange(…), amqpQueue(…). */
  on(channel: Channel): Next;
  /** Content type of the payload (default application/json; text/plain takes a string payload). */
  withContentType(contentType: string): Next;
  /** Marks the interaction pending: providers report it but do not fail on it. */
  pending(pending?: boolean): Next;
  /** Free-text comments stored in the contract (Pact V4 `comments`). */
  withComments(comments: JsonObject): Next;
  /** Writes this interaction's contract under `dir` instead of `contracts/`. */
  writeTo(dir: string): Next;
}

export interface MessageBuilder<H, K, Props> extends Steps<MessageBuilder<H, K, Props>> {
  /** The Kafka message key. */
  withKey<const T extends Template>(key: T): MessageBuilder<H, Infer<T>, Props>;
  /** Message headers; values may be matchers. */
  withHeaders<const T extends HeaderTemplates>(headers: T): MessageBuilder<Infer<T>, K, Props>;
  /** AMQP basic properties. */
  withProperties<const T extends PropertyTemplates>(properties: T): MessageBuilder<H, K, Infer<T>>;
  /** The payload; after this the declaration can be verified. */
  withPayload<const T extends Template>(payload: T): MessageExpectation<Infer<T>, H, K, Props>;
  /**
   * An Avro payload: the consumer's reader schema (inline JSON or a path to an `.avsc` file) and
   * matchers over the decoded record, in Herald's Avro JSON form (docs/avro.md). Handler tests get
   * `body` as Avro binary (Confluent-framed with a registry or schemaId) and `payload` decoded.
   *
   * @example
   * .withAvroPayload('schemas/order-placed.avsc', { orderId: m.uuid(), total: m.regex(/^\d+\.\d{2}$/, '12.50') }, { registry })
   */
  withAvroPayload<const T extends Template>(schema: AvroSchemaSource, payload: T, options?: AvroPayloadOptions): MessageExpectation<Infer<T>, H, K, Props>;
}

export interface MessageExpectation<P, H, K, Props> extends Steps<MessageExpectation<P, H, K, Props>> {
  withKey<const T extends Template>(key: T): MessageExpectation<P, H, Infer<T>, Props>;
  withHeaders<const T extends HeaderTemplates>(headers: T): MessageExpectation<P, Infer<T>, K, Props>;
  withProperties<const T extends PropertyTemplates>(properties: T): MessageExpectation<P, H, K, Infer<T>>;
  /**
   * Runs `handler` against a generated example (generators applied, metadata included). If it
   * throws, the jest test fails with HERALD_HANDLER_FAILED and the interaction is not written.
   * Records which payload paths, headers and key the handler reads (`herald.usage`); random
   * generators give their declared example so the usage is reproducible. `strictUsage` fails the
   * test when a declared field is never read (docs/bidirectional.md).
   */
  verify(handler: MessageHandler<P, H, K, Props>, options?: VerifyHandlerOptions): Promise<ReceivedMessage<P, H, K, Props>>;
  /** The interaction as it will be written to the contract. */
  toInteraction(): MessageInteraction;
  /** A generated example message, as the handler would receive it. */
  example(): ReceivedMessage<P, H, K, Props>;
}

interface CompiledMessage {
  readonly interaction: MessageInteraction;
  readonly bodyGenerators: CompiledParts['compiledGenerators'];
  readonly metadataGenerators: Readonly<Record<string, GeneratorJson>>;
}

class Declaration {
  #compiled: CompiledMessage | undefined;
  /** The registry's id for the Avro schema, once verify() asked (cached like the compiled form). */
  #avroSchemaId: number | undefined;

  constructor(private readonly state: State) {}

  private next(patch: Partial<State>): Declaration {
    return new Declaration({ ...this.state, ...patch });
  }

  given(name: string, params?: JsonObject): Declaration {
    if (typeof name !== 'string' || name.trim() === '') throw this.invalid('a provider state needs a name');
    return this.next({ states: [...this.state.states, params === undefined ? { name } : { name, params }] });
  }
  on(channel: Channel): Declaration {
    return this.next({ channel });
  }
  withContentType(contentType: string): Declaration {
    if (typeof contentType !== 'string' || contentType.trim() === '') throw this.invalid('a content type must not be empty (leave it out for application/json)');
    return this.next({ contentType });
  }
  pending(pending = true): Declaration {
    return this.next({ pending });
  }
  withComments(comments: JsonObject): Declaration {
    return this.next({ comments });
  }
  writeTo(dir: string): Declaration {
    return this.next({ contractsDir: dir });
  }
  withKey(key: Template): Declaration {
    return this.next({ key });
  }
  withHeaders(headers: HeaderTemplates): Declaration {
    for (const name of Object.keys(headers)) {
      if (isReservedMetadataKey(name)) throw this.invalid(`the header "${name}" uses a name Herald reserves for channel details (contentType, kafka_*, amqp_*, herald_*); rename it`);
    }
    return this.next({ headers: { ...this.state.headers, ...headers } });
  }
  withProperties(properties: PropertyTemplates): Declaration {
    for (const name of Object.keys(properties)) {
      if (!(name in AMQP_PROPERTY_KEYS)) throw this.invalid(`"${name}" is not an AMQP property Herald knows (${Object.keys(AMQP_PROPERTY_KEYS).join(', ')}); put custom values in withHeaders()`);
    }
    return this.next({ properties: { ...this.state.properties, ...properties } });
  }
  withPayload(payload: Template): Declaration {
    return this.next({ payload });
  }
  withAvroPayload(schema: AvroSchemaSource, payload: Template, options: AvroPayloadOptions = {}): Declaration {
    return this.next({ payload, avro: avroDsl().declareAvroPayload(schema, options, this.avroDeclared()) });
  }

  private avroDeclared(): AvroDeclared {
    const s = this.state;
    return { consumer: s.consumer, provider: s.provider, description: s.description, ...(s.channel === undefined ? {} : { channel: s.channel }) };
  }

  private invalid(reason: string): HeraldError {
    return new HeraldError('HERALD_DSL_INVALID', `Failed to declare "${this.state.description}" (${this.state.consumer} → ${this.state.provider}): ${reason}.`, {
      interaction: this.state.description,
    });
  }

  private checkContentType(contentType: string, content: JsonValue): void {
    if (this.state.avro === undefined && !/json/i.test(contentType) && typeof content !== 'string') {
      throw this.invalid(`the content type ${contentType} needs a string payload (or use application/json)`);
    }
  }

  private compile(): CompiledMessage {
    if (this.#compiled !== undefined) return this.#compiled;
    const s = this.state;
    if (s.payload === undefined) throw this.invalid('no payload was declared; call withPayload()');
    const contentType = s.avro === undefined ? (s.contentType ?? 'application/json') : AVRO_CONTENT_TYPE;
    const metadata: Record<string, JsonValue> = { [META.contentType]: contentType };
    if (s.channel !== undefined) Object.assign(metadata, channelMetadata(s.channel));
    // A declaration of a shape compiled before (same structure and matchers, other example values)
    // reuses its rules and generators: only the example values are read from the templates.
    const reused = s.avro === undefined ? findCompiledShape(s, contentType) : undefined;
    let content: JsonValue;
    let parts: CompiledParts;
    let avroBlock: JsonValue | undefined;
    if (reused !== undefined) {
      content = exampleOf(s.payload);
      this.checkContentType(contentType, content);
      parts = reused;
      if (s.key !== undefined) metadata[META.kafkaKey] = exampleOf(s.key);
      for (const [name, template] of Object.entries(s.headers)) metadata[name] = exampleOf(template);
      for (const [name, template] of Object.entries(s.properties)) {
        if (template !== undefined) metadata[AMQP_PROPERTY_KEYS[name as AmqpPropertyName]] = exampleOf(template);
      }
    } else {
      const body = compileTemplate(s.payload, `the payload of "${s.description}"`);
      content = body.content;
      avroBlock = s.avro === undefined ? undefined : avroDsl().compileAvroPayload(s.avro, body.content, this.avroDeclared(), s.contentType).block;
      this.checkContentType(contentType, content);
      const metadataRules: Record<string, RuleList> = {};
      const metadataGenerators: Record<string, GeneratorJson> = {};
      const addLeaf = (name: string, template: Template): void => {
        const leaf = leafRules(template);
        metadata[name] = leaf.value;
        if (leaf.rules !== undefined) metadataRules[name] = leaf.rules;
        if (leaf.generator !== undefined) metadataGenerators[name] = leaf.generator;
      };
      if (s.key !== undefined) addLeaf(META.kafkaKey, s.key);
      for (const [name, template] of Object.entries(s.headers)) addLeaf(name, template);
      for (const [name, template] of Object.entries(s.properties)) {
        if (template !== undefined) addLeaf(AMQP_PROPERTY_KEYS[name as AmqpPropertyName], template);
      }
      const bodyGenerators: Record<string, GeneratorJson> = {};
      for (const g of body.generators) bodyGenerators[g.path] = g.generator;
      parts = { bodyRules: body.rules, bodyGenerators, compiledGenerators: body.generators, metadataRules, metadataGenerators };
    }
    const interaction: MessageInteraction = {
      description: s.description,
      providerStates: s.states,
      contents: { content, contentType, encoded: false },
      metadata,
      matchingRules: { body: parts.bodyRules, metadata: parts.metadataRules },
      generators: { body: parts.bodyGenerators, metadata: parts.metadataGenerators },
      pending: s.pending,
      key: interactionKey(s.description, s.states),
      ...(s.comments === undefined ? {} : { comments: s.comments }),
      herald: { ...(s.channel === undefined ? {} : { channel: s.channel }), owner: currentOwner(), ...(avroBlock === undefined ? {} : { avro: avroBlock }) },
    };
    // The declared example must satisfy its own rules (e.g. eachKey over the example's keys); a
    // reused shape's example is checked by what changed since one that passed (self-check.ts).
    const passed = reused !== undefined && passesAsChecked(reused, interaction);
    const problems = passed ? [] : (s.avro === undefined ? matchMessage : avroContract().matchAvroMessage)(interaction, { content: interaction.contents.content, contentType, metadata });
    if (problems.length > 0) {
      throw this.invalid(`its example does not satisfy its own matchers:\n${formatMismatches(problems, { interaction: s.description })}\nFix the example values`);
    }
    if (reused !== undefined && !passed) rememberChecked(reused, interaction);
    if (reused === undefined && s.avro === undefined) rememberCompiledShape(s, contentType, parts, interaction);
    else if (reused !== undefined) shareDeclaredPayload(reused.first, interaction);
    this.#compiled = { interaction, bodyGenerators: parts.compiledGenerators, metadataGenerators: parts.metadataGenerators };
    return this.#compiled;
  }

  toInteraction(): MessageInteraction {
    return this.compile().interaction;
  }

  example(stable = false): ReceivedMessage<unknown, unknown, unknown, unknown> {
    const { interaction, bodyGenerators, metadataGenerators } = this.compile();
    const params: JsonObject = Object.assign({}, ...interaction.providerStates.map((st) => st.params ?? {}));
    const generators = stable ? bodyGenerators.map((g) => ({ ...g, generator: stableGenerator(g.generator) })) : bodyGenerators;
    const payload = applyGenerators(interaction.contents.content ?? null, generators, params);
    const metadata: JsonObject = { ...interaction.metadata };
    for (const [name, g] of Object.entries(metadataGenerators)) metadata[name] = generateValue(stable ? stableGenerator(g) : g, metadata[name] ?? null, params);
    const properties: JsonObject = {};
    for (const [name, key] of Object.entries(AMQP_PROPERTY_KEYS)) if (metadata[key] !== undefined) properties[name] = metadata[key] as JsonValue;
    const contentType = interaction.contents.contentType;
    const avro = this.state.avro === undefined ? undefined : avroDsl().avroExample(this.state.avro, payload, this.#avroSchemaId, this.avroDeclared());
    return {
      description: interaction.description,
      payload: avro === undefined ? payload : avro.payload,
      headers: headersOf(metadata),
      key: metadata[META.kafkaKey],
      properties,
      channel: this.state.channel,
      contentType,
      body: avro !== undefined ? avro.body : Buffer.from(typeof payload === 'string' && !/json/i.test(contentType) ? payload : JSON.stringify(payload), 'utf8'),
      metadata,
      providerStates: interaction.providerStates,
    };
  }

  async verify(handler: (message: ReceivedMessage<unknown, unknown, unknown, unknown>) => unknown, options?: VerifyHandlerOptions): Promise<ReceivedMessage<unknown, unknown, unknown, unknown>> {
    const { interaction } = this.compile();
    const usage = startUsage(interaction, this.state.consumer, this.state.provider, options);
    if (this.state.avro !== undefined && this.#avroSchemaId === undefined) this.#avroSchemaId = await avroDsl().resolveAvroSchemaId(this.state.avro, this.avroDeclared());
    const message = this.example(usage.enabled);
    const dir = this.state.contractsDir ?? defaultContractsDir();
    try {
      await handler(usage.instrument(message));
    } catch (error) {
      recordInteraction(dir, usage.finish().interaction, this.state.consumer, this.state.provider, false);
      const reason = error instanceof Error ? error.message : String(error);
      throw new HeraldError(
        'HERALD_HANDLER_FAILED',
        `The ${this.state.consumer} handler failed on "${interaction.description}" from ${this.state.provider}: ${reason}\n` +
          `Message it received: ${JSON.stringify({ payload: message.payload, metadata: message.metadata })}\n` +
          'Fix the handler or the declaration; this interaction is not written to the contract until the handler succeeds.',
        { interaction: interaction.description, cause: error },
      );
    }
    const used = usage.finish();
    recordInteraction(dir, used.interaction, this.state.consumer, this.state.provider, used.failure === undefined);
    if (used.failure !== undefined) throw used.failure;
    return message;
  }
}

/** Starts a declaration; `consumer()` and `expectsFrom()` name the pair. */
export function startMessage(consumer: string, provider: string, description: string): MessageBuilder<NoEntries, undefined, NoEntries> {
  if (typeof description !== 'string' || description.trim() === '') {
    throw new HeraldError('HERALD_DSL_INVALID', `Failed to declare a message for ${consumer} → ${provider}: the description is empty. Describe the message ("an OrderPlaced event").`);
  }
  const declaration = new Declaration({ consumer, provider, description, states: [], headers: {}, properties: {}, pending: false });
  return declaration as unknown as MessageBuilder<NoEntries, undefined, NoEntries>;
}
