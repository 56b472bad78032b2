/**
 * Exports what consumers require of a provider as an AsyncAPI 3.0 document, derived from their
 * contracts: a channel per Kafka topic / AMQP exchange and routing key (with bindings), a `send`
 * operation per message, and each message's payload, headers and Kafka key as JSON Schemas derived
 * from the matchers (type/integer/decimal → type, regex → pattern, datetime → format date-time,
 * uuid → format uuid, eachLike → array with minItems, equality → const, oneOf → enum; every
 * declared key is required). Messages several consumers declare are merged.
 */
import type { JsonObject } from '../contract/json';
import type { Contract } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { channelEntry, messageNameOf, requirementSchema, safeId } from './asyncapi-schemas';
import { replyParts } from './asyncapi-replies';
import { messageRequirements } from './requirements';

export { messageNameOf, requirementSchema } from './asyncapi-schemas';

export interface AsyncApiExportOptions {
  /** The provider whose consumers' requirements to export. */
  readonly provider: string;
  /** `info.version` of the document (default 0.0.0). */
  readonly version?: string;
  /** Leave out fields no consumer's handler reads (from `herald.usage`). */
  readonly usedOnly?: boolean;
}

interface ChannelEntry {
  readonly id: string;
  readonly channel: JsonObject;
  readonly messages: Map<string, MessageEntry>;
  readonly routingKeys: Set<string>;
}

interface MessageEntry {
  readonly name: string;
  readonly consumers: Set<string>;
  readonly descriptions: Set<string>;
  payloads: JsonObject[];
  headers: JsonObject[];
  keys: JsonObject[];
  contentTypes: Set<string>;
  examples: JsonObject[];
}

/** Combines the schemas several consumers require for one message: objects field by field, the rest with allOf. */
export function mergeSchemas(schemas: readonly JsonObject[]): JsonObject {
  const distinct = schemas.filter((s, i) => schemas.findIndex((o) => JSON.stringify(o) === JSON.stringify(s)) === i);
  if (distinct.length <= 1) return distinct[0] ?? {};
  if (distinct.every((s) => s['type'] === 'object' && s['additionalProperties'] === undefined && typeof s['properties'] === 'object')) {
    const properties: JsonObject = {};
    const required = new Set<string>();
    const byKey = new Map<string, JsonObject[]>();
    for (const s of distinct) {
      for (const [k, v] of Object.entries(s['properties'] as JsonObject)) byKey.set(k, [...(byKey.get(k) ?? []), v as JsonObject]);
      for (const r of Array.isArray(s['required']) ? s['required'] : []) if (typeof r === 'string') required.add(r);
    }
    for (const [k, list] of byKey) properties[k] = mergeSchemas(list);
    return { type: 'object', properties, ...(required.size === 0 ? {} : { required: [...required] }) };
  }
  return { allOf: distinct };
}

/**
 * The AsyncAPI 3.0 document of what the consumers in `contracts` require of `options.provider`.
 *
 * @example
 * const doc = contractsToAsyncApi(await loadContracts(['contracts/']), { provider: 'contractors' });
 * writeFileSync('contractors.required.asyncapi.json', JSON.stringify(doc, null, 2));
 */
export function contractsToAsyncApi(contracts: readonly Contract[], options: AsyncApiExportOptions): JsonObject {
  const mine = contracts.filter((c) => c.provider === options.provider);
  if (mine.length === 0) {
    const names = [...new Set(contracts.map((c) => c.provider))].sort();
    throw new HeraldError(
      'HERALD_UNKNOWN_PROVIDER',
      `Failed to export AsyncAPI: no contract names the provider "${options.provider}". Providers in these contracts: ${names.join(', ') || '(none)'}. Check --provider and the --contracts paths.`,
    );
  }
  const channels = new Map<string, ChannelEntry>();
  for (const contract of mine) {
    for (const interaction of contract.interactions) {
      const { id, channel, routingKey } = channelEntry(interaction);
      let entry = channels.get(id);
      if (entry === undefined) channels.set(id, (entry = { id, channel, messages: new Map(), routingKeys: new Set() }));
      if (routingKey !== undefined) entry.routingKeys.add(routingKey);
      const name = messageNameOf(interaction.description);
      let message = entry.messages.get(name);
      if (message === undefined) {
        message = { name, consumers: new Set(), descriptions: new Set(), payloads: [], headers: [], keys: [], contentTypes: new Set(), examples: [] };
        entry.messages.set(name, message);
      }
      const req = messageRequirements(interaction);
      const usedOnly = options.usedOnly === true;
      message.consumers.add(contract.consumer);
      message.descriptions.add(interaction.description);
      message.contentTypes.add(interaction.contents.contentType);
      message.payloads.push(requirementSchema(req.payload, usedOnly));
      const headers = usedOnly ? req.headers.filter((h) => h.used) : req.headers;
      if (headers.length > 0) {
        const properties: JsonObject = {};
        for (const h of headers) properties[h.path] = requirementSchema(h);
        message.headers.push({ type: 'object', properties, required: Object.keys(properties) });
      }
      if (req.key !== undefined && (!usedOnly || req.key.used)) message.keys.push(requirementSchema(req.key));
      const exampleHeaders: JsonObject = {};
      for (const h of headers) exampleHeaders[h.path] = h.example;
      message.examples.push({
        name: safeId(`${contract.consumer}-${name}`),
        summary: `${contract.consumer}: ${interaction.description}`,
        ...(headers.length === 0 ? {} : { headers: exampleHeaders }),
        payload: interaction.contents.content ?? null,
      });
    }
  }
  const channelsJson: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  const usedMessageIds = new Set<string>();
  for (const entry of [...channels.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const channelMessages: JsonObject = {};
    for (const message of [...entry.messages.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      let id = safeId(message.name.replace(/\./g, '-'));
      for (let n = 2; usedMessageIds.has(id); n += 1) id = `${safeId(message.name)}-${n}`;
      usedMessageIds.add(id);
      const consumers = [...message.consumers].sort();
      const key = message.keys.length === 0 ? undefined : mergeSchemas(message.keys);
      messages[id] = {
        name: message.name,
        title: [...message.descriptions].sort().join(' / '),
        summary: `Required by ${consumers.join(', ')}.`,
        contentType: [...message.contentTypes][0] ?? 'application/json',
        ...(message.headers.length === 0 ? {} : { headers: mergeSchemas(message.headers) }),
        payload: mergeSchemas(message.payloads),
        ...(key === undefined ? {} : { bindings: { kafka: { key, bindingVersion: '0.5.0' } } }),
        examples: message.examples,
        'x-herald-consumers': consumers,
      };
      channelMessages[id] = { $ref: `#/components/messages/${id}` };
      const operation: JsonObject = {
        action: 'send',
        channel: { $ref: `#/channels/${entry.id}` },
        summary: `${options.provider} sends ${message.name}.`,
        messages: [{ $ref: `#/channels/${entry.id}/messages/${id}` }],
      };
      if (entry.routingKeys.size > 0) operation['bindings'] = { amqp: { cc: [...entry.routingKeys].sort(), bindingVersion: '0.3.0' } };
      operations[`send${id.charAt(0).toUpperCase()}${id.slice(1).replace(/[-.]/g, '')}`] = operation;
    }
    channelsJson[entry.id] = { ...entry.channel, messages: channelMessages };
  }
  // Request/reply interactions: a receive operation with its reply (asyncapi-replies.ts).
  const replies = replyParts(mine, options.provider, options.usedOnly === true, new Set([...Object.keys(channelsJson), ...Object.keys(messages), ...Object.keys(operations)]));
  for (const [id, channel] of Object.entries(replies.channels)) {
    const existing = channelsJson[id];
    channelsJson[id] =
      typeof existing === 'object' && existing !== null && !Array.isArray(existing)
        ? { ...existing, messages: { ...(existing['messages'] as JsonObject), ...(channel['messages'] as JsonObject) } }
        : channel;
  }
  Object.assign(operations, replies.operations);
  Object.assign(messages, replies.messages);
  const consumers = [...new Set(mine.map((c) => c.consumer))].sort();
  return {
    asyncapi: '3.0.0',
    info: {
      title: `${options.provider}: what its consumers require`,
      version: options.version ?? '0.0.0',
      description: `Derived by Herald from the contracts of ${consumers.join(', ')}. Every field listed is one a consumer declares${options.usedOnly === true ? ' and its handler reads' : ''}; the provider may send more.`,
    },
    channels: channelsJson,
    operations,
    components: { messages },
  };
}
