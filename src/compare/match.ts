/**
 * Which message of a spec an interaction is about: first by channel (Kafka topic; AMQP exchange,
 * exchange type and routing key, or queue), then by name (the spec message's name, title or id in
 * the interaction's description), then by header values the spec fixes, and last by how well the
 * payload fits. When nothing matches, the reason says what the spec has instead.
 */
import type { JsonValue } from '../contract/json';
import { channelFromMetadata, headersOf, isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { Channel, MessageInteraction } from '../contract/model';
import { topicMatches } from '../transport/routing';
import { describeSpecMessage, type Spec, type SpecChannel, type SpecMessage } from '../asyncapi/model';
import { schemaProperty, schemaValues } from '../asyncapi/schema';

/** The interaction's channel: its herald block, else what its metadata says. */
export function channelOf(interaction: MessageInteraction): Channel | undefined {
  const fromBlock = interaction.herald?.channel;
  if (typeof fromBlock === 'object' && fromBlock !== null && typeof (fromBlock as { transport?: unknown }).transport === 'string') return fromBlock;
  return channelFromMetadata(interaction.metadata);
}

/** `Kafka topic contractors.updated.v1`, `AMQP exchange shop (topic), routing key orders.created`. */
export function describeChannel(channel: Channel | undefined): string {
  if (channel === undefined) return 'no channel';
  if (isKafkaChannel(channel)) return `Kafka topic ${channel.topic}`;
  if (isAmqpChannel(channel)) {
    if (channel.exchange === '' && channel.queue !== undefined) return `AMQP queue ${channel.queue}`;
    const type = channel.exchangeType === undefined ? '' : ` (${channel.exchangeType})`;
    return `AMQP exchange ${channel.exchange}${type}${channel.routingKey === undefined || channel.routingKey === '' ? '' : `, routing key ${channel.routingKey}`}`;
  }
  return `${channel.transport} channel ${String((channel as { name?: unknown }).name)}`;
}

function describeSpecChannel(c: SpecChannel): string {
  if (c.kafkaTopic !== undefined) return `${c.id} (topic ${c.kafkaTopic})`;
  if (c.amqp !== undefined) {
    const parts = [
      c.amqp.exchange === undefined ? undefined : `exchange ${c.amqp.exchange}${c.amqp.exchangeType === undefined ? '' : ` (${c.amqp.exchangeType})`}`,
      c.amqp.queue === undefined ? undefined : `queue ${c.amqp.queue}`,
      c.amqp.routingKeys.length === 0 ? undefined : `routing key ${c.amqp.routingKeys.join(' | ')}`,
    ].filter((p) => p !== undefined);
    return `${c.id} (${parts.join(', ') || `address ${c.address ?? c.id}`})`;
  }
  return `${c.id}${c.address === undefined || c.address === c.id ? '' : ` (address ${c.address})`}`;
}

/** Whether a spec channel is the contract's; `problem` explains a near miss (same exchange, other routing key). */
export function channelFits(contract: Channel | undefined, spec: SpecChannel | undefined): { readonly fits: boolean; readonly problem?: string } {
  if (contract === undefined || spec === undefined) return { fits: true };
  const names = [spec.address, spec.id].filter((n): n is string => n !== undefined);
  if (isKafkaChannel(contract)) {
    if (spec.amqp !== undefined && spec.kafkaTopic === undefined) return { fits: false };
    return { fits: spec.kafkaTopic !== undefined ? spec.kafkaTopic === contract.topic : names.includes(contract.topic) };
  }
  if (isAmqpChannel(contract)) {
    if (spec.kafkaTopic !== undefined && spec.amqp === undefined) return { fits: false };
    if (contract.exchange === '' && contract.queue !== undefined) {
      return { fits: spec.amqp?.queue === contract.queue || names.includes(contract.queue) };
    }
    const exchange = spec.amqp?.exchange;
    const sameExchange = exchange !== undefined ? exchange === contract.exchange : names.includes(contract.exchange);
    if (!sameExchange) return { fits: false };
    if (exchange === undefined) return { fits: true };
    if (spec.amqp?.exchangeType !== undefined && contract.exchangeType !== undefined && spec.amqp.exchangeType !== contract.exchangeType) {
      return { fits: false, problem: `the spec declares exchange ${exchange} as ${spec.amqp.exchangeType}; the contract binds to it as a ${contract.exchangeType} exchange` };
    }
    const key = contract.routingKey;
    const keys = spec.amqp?.routingKeys ?? [];
    if (key === undefined || key === '' || contract.exchangeType === 'fanout' || spec.amqp?.exchangeType === 'fanout' || keys.length === 0) return { fits: true };
    if (keys.some((k) => k === key || topicMatches(key, k) || topicMatches(k, key))) return { fits: true };
    return { fits: false, problem: `the spec sends to exchange ${exchange} with routing key ${keys.join(' | ')}; the contract expects routing key ${key}` };
  }
  const name = (contract as { name?: unknown }).name;
  return { fits: typeof name === 'string' && names.includes(name) };
}

const normalise = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** How strongly a spec message's names and fixed header values point at the interaction. */
function affinity(interaction: MessageInteraction, message: SpecMessage): number {
  let score = 0;
  const description = normalise(interaction.description);
  const names = [message.name, message.title, message.id].filter((n): n is string => n !== undefined && normalise(n).length > 2);
  if (names.some((n) => description.includes(normalise(n)))) score += 2;
  if (message.headers !== undefined) {
    for (const [name, value] of Object.entries(headersOf(interaction.metadata))) {
      const fixed = schemaValues(schemaProperty(message.headers, name).schema);
      if (fixed === undefined || Object.hasOwn(interaction.matchingRules.metadata, name)) continue;
      score += fixed.some((v) => JSON.stringify(v) === JSON.stringify(value as JsonValue)) ? 3 : -5;
    }
  }
  return score;
}

export interface MessageSelection {
  /** Messages that fit the channel (and are sent by the provider), best first. */
  readonly candidates: readonly SpecMessage[];
  /** Why none fits, when none does. */
  readonly reason?: string;
  /** Whether the first candidate was chosen by name or header values (true) or only by channel. */
  readonly byName: boolean;
}

/**
 * The spec messages an interaction may be about, best first.
 *
 * @example selectMessages(interaction, spec).candidates[0]?.name // 'ContractorUpdated'
 */
export function selectMessages(interaction: MessageInteraction, spec: Spec): MessageSelection {
  const channel = channelOf(interaction);
  const fitting = spec.messages.filter((m) => channelFits(channel, m.channel).fits);
  const sent = fitting.filter((m) => m.action !== 'receive');
  if (sent.length === 0) return { candidates: [], reason: noMatchReason(channel, spec, fitting), byName: false };
  const scored = sent.map((m, i) => ({ m, score: affinity(interaction, m), i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const best = scored[0];
  return { candidates: scored.map((s) => s.m), byName: best !== undefined && best.score > 0 };
}

function noMatchReason(channel: Channel | undefined, spec: Spec, fitting: readonly SpecMessage[]): string {
  const where = describeChannel(channel);
  if (fitting.length > 0) {
    return `the spec has messages on ${where} (${fitting.map(describeSpecMessage).join(', ')}) only in operations where the provider receives them, not sends them`;
  }
  const near = spec.messages.map((m) => channelFits(channel, m.channel).problem).find((p) => p !== undefined);
  if (near !== undefined) return near;
  const channels = [...new Map(spec.messages.filter((m) => m.channel !== undefined).map((m) => [m.channel?.id, m.channel as SpecChannel])).values()];
  if (channels.length === 0) return `the spec has no messages`;
  return `no channel of the spec is ${where}; its channels are ${channels.map(describeSpecChannel).join(', ')}`;
}
