/** The channels a stored pact's messages travel on, read from the raw JSON (any Pact writer's file). */
import { channelFromMetadata } from '../../contract/channel';
import type { JsonObject as ContractJsonObject } from '../../contract/json';
import type { Channel } from '../../contract/model';
import { isJsonObject, type Json, type JsonObject } from '../domain/pact-content';

function heraldChannel(interaction: JsonObject): Channel | undefined {
  const comments = interaction['comments'];
  const block = interaction['herald'] ?? (isJsonObject(comments) ? comments['herald'] : undefined);
  const channel = isJsonObject(block) ? block['channel'] : undefined;
  if (!isJsonObject(channel) || typeof channel['transport'] !== 'string') return undefined;
  const fromMetadata = channelFromMetadata(channelToMetadata(channel));
  return fromMetadata ?? (typeof channel['name'] === 'string' ? { transport: channel['transport'], name: channel['name'] } : undefined);
}

/** Herald's channel block in the metadata keys channelFromMetadata reads. */
function channelToMetadata(channel: JsonObject): ContractJsonObject {
  const out: Record<string, Json> = {};
  if (channel['transport'] === 'kafka') {
    if (channel['topic'] !== undefined) out['kafka_topic'] = channel['topic'];
    if (channel['partition'] !== undefined) out['kafka_partition'] = channel['partition'];
  } else if (channel['transport'] === 'amqp') {
    if (channel['exchange'] !== undefined) out['amqp_exchange'] = channel['exchange'];
    if (channel['exchangeType'] !== undefined) out['amqp_exchange_type'] = channel['exchangeType'];
    if (channel['routingKey'] !== undefined) out['amqp_routing_key'] = channel['routingKey'];
    if (channel['queue'] !== undefined) out['amqp_queue'] = channel['queue'];
  }
  return out as ContractJsonObject;
}

/** The channel of one raw interaction: Herald's block first, else the message (or request) metadata. */
export function channelOfInteraction(interaction: JsonObject): Channel | undefined {
  const fromBlock = heraldChannel(interaction);
  if (fromBlock !== undefined) return fromBlock;
  const request = interaction['request'];
  const metadata = interaction['metadata'] ?? (isJsonObject(request) ? request['metadata'] : undefined);
  return isJsonObject(metadata) ? channelFromMetadata(metadata as ContractJsonObject) : undefined;
}

/** A short label: "topic orders", "exchange billing · invoice.*", "queue jobs". */
export function channelLabel(channel: Channel): string {
  if (channel.transport === 'kafka' && 'topic' in channel) return `topic ${channel.topic}`;
  if (channel.transport === 'amqp' && 'exchange' in channel) {
    if (channel.exchange === '') return `queue ${channel.queue ?? channel.routingKey ?? ''}`;
    return channel.routingKey === undefined || channel.routingKey === '' ? `exchange ${channel.exchange}` : `exchange ${channel.exchange} · ${channel.routingKey}`;
  }
  return `${channel.transport} ${'name' in channel && typeof channel.name === 'string' ? channel.name : ''}`.trim();
}

/** The raw interactions of a stored pact (V4 `interactions` or V3 `messages`). */
export function rawInteractions(document: JsonObject): Json[] {
  const list = document['interactions'] ?? document['messages'];
  return Array.isArray(list) ? list : [];
}

/** The distinct channel labels of a stored pact's text, sorted. */
export function channelLabels(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!isJsonObject(parsed)) return [];
  const labels = new Set<string>();
  for (const interaction of rawInteractions(parsed)) {
    const channel = isJsonObject(interaction) ? channelOfInteraction(interaction) : undefined;
    if (channel !== undefined) labels.add(channelLabel(channel));
  }
  return [...labels].sort();
}
