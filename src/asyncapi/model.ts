/**
 * A provider's specification as Herald compares it with contracts, whatever it was written in
 * (AsyncAPI 2.6/3.0, an Avro schema, a JSON Schema): the messages the provider sends, each with
 * its channel and the JSON Schemas of its payload, headers and Kafka key. Schemas are plain JSON
 * with local `$ref`s inlined (recursion cut at the first repeat).
 */
import type { JsonObject, JsonValue } from '../contract/json';

export type SpecKind = 'asyncapi' | 'avro' | 'json-schema';

/** Where a spec message travels, as its bindings say. */
export interface SpecChannel {
  /** Channel id in the document (AsyncAPI 2.x: the channel name). */
  readonly id: string;
  /** Channel address (AsyncAPI 3.0 `address`, 2.x channel name); for Kafka usually the topic. */
  readonly address?: string;
  /** Kafka topic: `bindings.kafka.topic`, else the address. Set when the channel has a Kafka binding. */
  readonly kafkaTopic?: string;
  /** AMQP binding details. */
  readonly amqp?: {
    readonly is?: 'routingKey' | 'queue';
    readonly exchange?: string;
    readonly exchangeType?: string;
    readonly queue?: string;
    /** Routing keys: the channel address (is: routingKey) and operation `cc` entries. */
    readonly routingKeys: readonly string[];
  };
  /** Protocols of the servers or bindings the channel has (kafka, amqp…). */
  readonly protocols: readonly string[];
}

/** What the provider does with a message: sends it (publishes) or receives it. */
export type SpecAction = 'send' | 'receive' | 'unknown';

export interface SpecMessage {
  /** Stable id: the component/channel message key, the messageId, or the name. */
  readonly id: string;
  readonly name?: string;
  readonly title?: string;
  readonly channel?: SpecChannel;
  readonly action: SpecAction;
  /** Operation ids the message appears in. */
  readonly operations: readonly string[];
  readonly contentType?: string;
  /** JSON Schema of the payload (for Avro specs: of the record's JSON form). */
  readonly payload?: JsonObject | boolean;
  readonly headers?: JsonObject | boolean;
  /** Kafka key schema (`bindings.kafka.key`). */
  readonly key?: JsonObject | boolean;
  /** The Avro schema the payload was derived from (Avro specs). */
  readonly avroSchema?: JsonValue;
  /** Payload examples the spec gives (AsyncAPI message examples). */
  readonly examples: readonly JsonValue[];
  /** Where the message carries its correlation id (AsyncAPI `correlationId.location`, `$message.header#/…`). */
  readonly correlationLocation?: string;
  /** For a message the provider receives in an operation with a reply (AsyncAPI 3 `reply`): the reply. */
  readonly reply?: SpecReply;
}

/** An operation's reply (AsyncAPI 3.0 Operation Reply Object). */
export interface SpecReply {
  /** Runtime expression of the reply address (`$message.header#/kafka_replyTopic`). */
  readonly addressLocation?: string;
  /** The reply channel (address null: dynamic). */
  readonly channel?: SpecChannel;
  /** The reply messages (the reply's `messages`, else its channel's). */
  readonly messages: readonly SpecMessage[];
}

export interface Spec {
  readonly kind: SpecKind;
  /** File it was read from, as given. */
  readonly source: string;
  readonly title: string;
  readonly version?: string;
  /** AsyncAPI version, for AsyncAPI documents. */
  readonly asyncapiVersion?: string;
  readonly messages: readonly SpecMessage[];
  /** Things read but not understood (a message with an unsupported schema format…). */
  readonly notes: readonly string[];
}

/** A short name for a spec message, for reports: `ContractorUpdated (topic contractors.updated.v1)`. */
export function describeSpecMessage(message: SpecMessage): string {
  const name = message.name ?? message.title ?? message.id;
  const channel = message.channel;
  if (channel === undefined) return name;
  if (channel.kafkaTopic !== undefined) return `${name} (topic ${channel.kafkaTopic})`;
  if (channel.amqp?.exchange !== undefined) return `${name} (exchange ${channel.amqp.exchange}${channel.address === undefined ? '' : `, routing key ${channel.address}`})`;
  if (channel.amqp?.queue !== undefined) return `${name} (queue ${channel.amqp.queue})`;
  return `${name} (channel ${channel.address ?? channel.id})`;
}
