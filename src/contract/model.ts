/**
 * Herald's in-memory model of a message contract. It is independent of the file layout:
 * the reader normalises Pact V3 (`messages`) and V4 (`interactions`) files into it, and the
 * writer serialises it as Pact Specification V4 JSON.
 */
import type { JsonObject, JsonValue } from './json';

/** One matcher in a Pact matching-rule list, e.g. `{ "match": "integer" }`. */
export interface RuleJson {
  readonly match: string;
  readonly [option: string]: JsonValue | undefined;
}

/** The rules at one path; Pact's `combine` defaults to AND. */
export interface RuleList {
  readonly combine: 'AND' | 'OR';
  readonly matchers: readonly RuleJson[];
}

/** Path (`$.items[*].qty` for bodies, header name for metadata) to rules. */
export type RuleMap = Readonly<Record<string, RuleList>>;

/** A Pact generator, e.g. `{ "type": "Uuid" }`. */
export interface GeneratorJson {
  readonly type: string;
  readonly [option: string]: JsonValue | undefined;
}

export type GeneratorMap = Readonly<Record<string, GeneratorJson>>;

export interface ProviderState {
  readonly name: string;
  readonly params?: JsonObject;
}

/**
 * Message contents as in Pact V4: `encoded` is false for JSON/text content, or the encoding
 * (`base64`) for binary content held as a string.
 */
export interface MessageContents {
  readonly content: JsonValue | undefined;
  readonly contentType: string;
  readonly encoded: false | string;
}

export type KafkaChannel = {
  readonly transport: 'kafka';
  readonly topic: string;
  readonly partition?: number;
};

export type AmqpExchangeType = 'direct' | 'topic' | 'fanout' | 'headers';

export type AmqpChannel = {
  readonly transport: 'amqp';
  /** Exchange name; '' is the default exchange (routing key = queue name). */
  readonly exchange: string;
  readonly exchangeType?: AmqpExchangeType;
  readonly routingKey?: string;
  readonly queue?: string;
};

/** A channel for a transport Herald has no built-in adapter for (third-party adapters). */
export type CustomChannel = {
  readonly transport: string;
  readonly name: string;
  readonly [detail: string]: JsonValue | undefined;
};

export type Channel = KafkaChannel | AmqpChannel | CustomChannel;

/** Herald-only data stored in the interaction's `herald` block (Pact has no field for it). */
export interface HeraldInteractionBlock {
  /** Where the message travels. Also mirrored into message metadata (see docs/contract-format.md). */
  readonly channel?: Channel;
  /** Test file (relative to the project root) that declared the interaction. */
  readonly owner?: string;
  /** Any further namespaced data (field usage, Avro schema…). */
  readonly [extension: string]: JsonValue | Channel | undefined;
}

export interface MessageInteraction {
  readonly description: string;
  readonly providerStates: readonly ProviderState[];
  readonly contents: MessageContents;
  /** Message metadata: contentType, channel keys (kafka_topic, amqp_routing_key…) and headers. */
  readonly metadata: JsonObject;
  readonly matchingRules: { readonly body: RuleMap; readonly metadata: RuleMap };
  readonly generators: { readonly body: GeneratorMap; readonly metadata: GeneratorMap };
  readonly pending: boolean;
  /** Pact V4 interaction key: a stable hash of description and provider states. */
  readonly key?: string;
  readonly comments?: JsonObject;
  readonly herald?: HeraldInteractionBlock;
}

/** One side of a request/reply interaction: the request, or one reply. */
export interface MessagePart {
  readonly contents: MessageContents;
  /** Channel keys (kafka_topic, amqp_routing_key…), headers and properties, as for one-way messages. */
  readonly metadata: JsonObject;
  readonly matchingRules: { readonly body: RuleMap; readonly metadata: RuleMap };
  readonly generators: { readonly body: GeneratorMap; readonly metadata: GeneratorMap };
}

/**
 * A Pact V4 `Synchronous/Messages` interaction: the consumer sends `request`, the provider answers
 * with `response` (Pact allows several; Herald's DSL writes one). How the reply travels (reply-to
 * address, correlation header) is in `herald.reply` (see docs/request-reply.md).
 */
export interface SyncMessageInteraction {
  readonly description: string;
  readonly providerStates: readonly ProviderState[];
  readonly request: MessagePart;
  readonly response: readonly MessagePart[];
  readonly pending: boolean;
  readonly key?: string;
  readonly comments?: JsonObject;
  readonly herald?: HeraldInteractionBlock;
}

/** Either kind of interaction Herald reads and writes. */
export type AnyInteraction = MessageInteraction | SyncMessageInteraction;

/** True for a request/reply interaction. */
export function isSyncInteraction(interaction: AnyInteraction): interaction is SyncMessageInteraction {
  return 'request' in interaction;
}

export interface Contract {
  readonly consumer: string;
  readonly provider: string;
  readonly interactions: readonly MessageInteraction[];
  /** Request/reply interactions (Pact V4 `Synchronous/Messages`); absent when there are none. */
  readonly synchronous?: readonly SyncMessageInteraction[];
  /** Pact specification version the file declared ("3.0.0", "4.0"…). */
  readonly specVersion: string;
  /** Top-level `metadata` of the file, minus pactSpecification. */
  readonly metadata: JsonObject;
  /** Path of the file it was read from, when read from a file. */
  readonly source?: string;
  /** Notes from reading (e.g. skipped HTTP interactions). */
  readonly notes?: readonly string[];
}
