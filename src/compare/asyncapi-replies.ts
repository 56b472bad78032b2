/**
 * Request/reply interactions in the exported AsyncAPI 3.0 document: per interaction, a `receive`
 * operation on the request channel whose `reply` names the reply channel, the runtime address
 * (`$message.header#/kafka_replyTopic` on Kafka, `reply_to` on AMQP) and the reply message; both
 * messages carry a `correlationId` (`$message.header#/kafka_correlationId` on Kafka,
 * `correlation_id` on AMQP), from the contract's `herald.reply` block.
 */
import { isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { JsonObject } from '../contract/json';
import type { Channel, Contract, MessageInteraction, SyncMessageInteraction } from '../contract/model';
import { SPRING_CORRELATION_HEADER, SPRING_REPLY_TOPIC_HEADER } from '../verify/kafka-reply';
import type { ReplyRouteJson } from '../verify/reply-broker';
import { replyAsMessage } from '../verify/reply';
import { channelEntry, messageNameOf, requirementSchema, safeId } from './asyncapi-schemas';
import { channelOf } from './match';
import { messageRequirements } from './requirements';

/** Channels, operations and messages to add to the document. */
export interface ReplyParts {
  readonly channels: Record<string, JsonObject>;
  readonly operations: JsonObject;
  readonly messages: JsonObject;
}

/** `herald.reply` of an interaction. */
export function replyRouteOf(sync: SyncMessageInteraction): ReplyRouteJson {
  const route = sync.herald?.['reply'];
  return typeof route === 'object' && route !== null && !Array.isArray(route) ? (route as ReplyRouteJson) : {};
}

/** The request side of a request/reply interaction as a message (its channel is the interaction's). */
export function requestAsMessage(sync: SyncMessageInteraction): MessageInteraction {
  return { description: sync.description, providerStates: sync.providerStates, ...sync.request, pending: sync.pending, ...(sync.herald === undefined ? {} : { herald: sync.herald }) };
}

/** Where the reply address and the correlation id travel, as AsyncAPI runtime expressions. */
export function replyLocations(channel: Channel | undefined, route: ReplyRouteJson): { address: string; correlation: string } | undefined {
  if (isKafkaChannel(channel)) {
    return { address: `$message.header#/${route.replyTopicHeader ?? SPRING_REPLY_TOPIC_HEADER}`, correlation: `$message.header#/${route.correlationHeader ?? SPRING_CORRELATION_HEADER}` };
  }
  if (isAmqpChannel(channel)) return { address: '$message.header#/reply_to', correlation: '$message.header#/correlation_id' };
  return undefined;
}

function replyChannel(channel: Channel | undefined, route: ReplyRouteJson): JsonObject {
  const address = route.address;
  if (isKafkaChannel(channel) && address !== undefined) return { address, bindings: { kafka: { topic: address, bindingVersion: '0.5.0' } } };
  if (isAmqpChannel(channel) && address !== undefined && address !== 'amq.rabbitmq.reply-to') {
    return { address, bindings: { amqp: { is: 'queue', queue: { name: address }, bindingVersion: '0.3.0' } } };
  }
  const what = address === 'amq.rabbitmq.reply-to' ? "RabbitMQ's direct reply-to (amq.rabbitmq.reply-to)" : 'a reply queue the requester names';
  return { address: null, description: `Dynamic: the reply goes where the request's reply address says (${isAmqpChannel(channel) ? what : 'its reply-topic header'}).` };
}

function messageJson(interaction: MessageInteraction, consumer: string, name: string, correlation: string | undefined, usedOnly: boolean): JsonObject {
  const req = messageRequirements(interaction);
  const headers = usedOnly ? req.headers.filter((h) => h.used) : req.headers;
  const properties: JsonObject = {};
  for (const h of headers) properties[h.path] = requirementSchema(h);
  const key = req.key === undefined || (usedOnly && !req.key.used) ? undefined : requirementSchema(req.key);
  return {
    name,
    title: interaction.description,
    summary: `Declared by ${consumer}.`,
    contentType: interaction.contents.contentType || 'application/json',
    ...(headers.length === 0 ? {} : { headers: { type: 'object', properties, required: Object.keys(properties) } }),
    payload: requirementSchema(req.payload, usedOnly),
    ...(correlation === undefined ? {} : { correlationId: { location: correlation } }),
    ...(key === undefined ? {} : { bindings: { kafka: { key, bindingVersion: '0.5.0' } } }),
    'x-herald-consumers': [consumer],
  };
}

/**
 * The request/reply parts of the document for `contracts` (already those of the provider).
 * Interactions with no reply or several are left out (Herald checks exactly one reply).
 */
export function replyParts(contracts: readonly Contract[], provider: string, usedOnly: boolean, taken: ReadonlySet<string>): ReplyParts {
  const parts: ReplyParts = { channels: {}, operations: {}, messages: {} };
  const used = new Set(taken);
  const unique = (base: string): string => {
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  for (const contract of contracts) {
    for (const sync of contract.synchronous ?? []) {
      const reply = replyAsMessage(sync);
      if (reply === undefined) continue;
      const request = requestAsMessage(sync);
      const channel = channelOf(request);
      const route = replyRouteOf(sync);
      const locations = replyLocations(channel, route);
      const name = messageNameOf(sync.description);
      const requestId = unique(safeId(`${name}-request`));
      const replyId = unique(safeId(`${name}-reply`));
      parts.messages[requestId] = messageJson(request, contract.consumer, `${name}Request`, locations?.correlation, usedOnly);
      parts.messages[replyId] = messageJson(reply, contract.consumer, `${name}Reply`, locations?.correlation, usedOnly);
      const requestChannel = channelEntry(request);
      const existing = parts.channels[requestChannel.id];
      const requestMessages = { ...((existing?.['messages'] as JsonObject | undefined) ?? {}), [requestId]: { $ref: `#/components/messages/${requestId}` } };
      parts.channels[requestChannel.id] = { ...requestChannel.channel, messages: requestMessages };
      const replyChannelId = unique(safeId(`${requestChannel.id}-reply-${name}`));
      parts.channels[replyChannelId] = { ...replyChannel(channel, route), messages: { [replyId]: { $ref: `#/components/messages/${replyId}` } } };
      parts.operations[unique(`receive${safeId(name).replace(/[-.]/g, '')}`)] = {
        action: 'receive',
        channel: { $ref: `#/channels/${requestChannel.id}` },
        summary: `${provider} answers ${sync.description} from ${contract.consumer}.`,
        messages: [{ $ref: `#/channels/${requestChannel.id}/messages/${requestId}` }],
        reply: {
          ...(locations === undefined ? {} : { address: { location: locations.address, description: 'Where the requester wants the reply.' } }),
          channel: { $ref: `#/channels/${replyChannelId}` },
          messages: [{ $ref: `#/channels/${replyChannelId}/messages/${replyId}` }],
        },
      };
    }
  }
  return parts;
}
