/**
 * Exports what consumers require of a provider as an AsyncAPI 3.0 document, derived from their
 * contracts: a channel per Kafka topic / AMQP exchange and routing key (with bindings), a `send`
 * operation per message, and each message's payload, headers and Kafka key as JSON Schemas derived
 * from the matchers (type/integer/decimal → type, regex → pattern, datetime → format date-time,
 * uuid → format uuid, eachLike → array with minItems, equality → const, oneOf → enum; every
 * declared key is required). Messages several consumers declare are merged.
 */
import type { JsonObject } from '../contract/json';
import { isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { Contract, MessageInteraction } from '../contract/model';
import { ruleJsonSchema } from '../matchers/registry';
import { HeraldError } from '../errors/herald-error';
import { channelOf } from './match';
import { messageRequirements, type Requirement } from './requirements';

export interface AsyncApiExportOptions {
  /** The provider whose consumers' requirements to export. */
  readonly provider: string;
  /** `info.version` of the document (default 0.0.0). */
  readonly version?: string;
  /** Leave out fields no consumer's handler reads (from `herald.usage`). */
  readonly usedOnly?: boolean;
}

/** Merges schemas that must all hold: keywords side by side when they do not clash, else allOf. */
function allOf(schemas: readonly JsonObject[]): JsonObject {
  const nonEmpty = schemas.filter((s) => Object.keys(s).length > 0);
  const out: JsonObject = {};
  for (const s of nonEmpty) {
    for (const [k, v] of Object.entries(s)) {
      if (out[k] !== undefined && JSON.stringify(out[k]) !== JSON.stringify(v)) {
        // `type: number` and `type: integer` at once: integer.
        if (k === 'type' && [out[k], v].includes('integer') && [out[k], v].includes('number')) {
          out[k] = 'integer';
          continue;
        }
        return { allOf: nonEmpty };
      }
      out[k] = v;
    }
  }
  return out;
}

function valueSchema(req: Requirement): JsonObject {
  if (req.rules.length === 0) return { const: req.example };
  const parts = req.rules.map((r) => ruleJsonSchema(r, req.example));
  const schema = req.combine === 'OR' ? { anyOf: parts } : allOf(parts);
  return 'const' in schema ? schema : { ...schema, examples: [req.example] };
}

/** JSON Schema of what a requirement accepts. */
export function requirementSchema(req: Requirement, usedOnly = false): JsonObject {
  const children = usedOnly ? req.children.filter((c) => c.used) : req.children;
  if (req.kind === 'object') {
    const properties: JsonObject = {};
    for (const child of children) {
      const last = child.segments.at(-1);
      if (last !== undefined && 'key' in last) properties[last.key] = requirementSchema(child, usedOnly);
    }
    const keys = Object.keys(properties);
    return { type: 'object', properties, ...(keys.length === 0 ? {} : { required: keys }) };
  }
  if (req.kind === 'map') {
    const child = children[0];
    // The values are described by the child; the keys by whichever rule constrains them (eachKey).
    const propertyNames = req.rules.map((r) => ruleJsonSchema(r, req.example)['propertyNames']).find((p) => p !== undefined);
    return {
      type: 'object',
      ...(child === undefined ? {} : { additionalProperties: requirementSchema(child, usedOnly) }),
      ...(propertyNames === undefined ? {} : { propertyNames }),
    };
  }
  if (req.kind === 'array') {
    const child = children[0];
    const min = req.exactItems ?? req.minItems;
    const max = req.exactItems ?? req.maxItems;
    return {
      type: 'array',
      ...(child === undefined ? {} : { items: requirementSchema(child, usedOnly) }),
      ...(min === undefined ? {} : { minItems: min }),
      ...(max === undefined ? {} : { maxItems: max }),
    };
  }
  return valueSchema(req);
}

/** A message name from an interaction description: its PascalCase or dotted word ("a ContractorUpdated event" → ContractorUpdated). */
export function messageNameOf(description: string): string {
  const words = description.split(/\s+/).filter((w) => w !== '');
  const named = words.find((w) => /^[A-Za-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*$/.test(w) || /^[A-Za-z][\w-]*\.[\w.-]+$/.test(w));
  if (named !== undefined) return named.replace(/[^A-Za-z0-9._-]/g, '');
  const pascal = words
    .map((w) => w.replace(/[^A-Za-z0-9]/g, ''))
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return pascal === '' ? 'Message' : pascal;
}

const safeId = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'channel';

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

function channelEntry(interaction: MessageInteraction): { id: string; channel: JsonObject; routingKey?: string } {
  const c = channelOf(interaction);
  if (isKafkaChannel(c)) {
    return { id: safeId(c.topic), channel: { address: c.topic, bindings: { kafka: { topic: c.topic, bindingVersion: '0.5.0' } } } };
  }
  if (isAmqpChannel(c)) {
    if (c.exchange === '' && c.queue !== undefined) {
      return { id: safeId(c.queue), channel: { address: c.queue, bindings: { amqp: { is: 'queue', queue: { name: c.queue }, bindingVersion: '0.3.0' } } } };
    }
    const routingKey = c.routingKey ?? '';
    const exchange: JsonObject = { name: c.exchange, ...(c.exchangeType === undefined ? {} : { type: c.exchangeType }) };
    return {
      id: safeId(`${c.exchange}-${routingKey}`),
      channel: { address: routingKey === '' ? c.exchange : routingKey, bindings: { amqp: { is: 'routingKey', exchange, bindingVersion: '0.3.0' } } },
      ...(routingKey === '' ? {} : { routingKey }),
    };
  }
  if (c !== undefined) {
    const name = String((c as { name?: unknown }).name ?? c.transport);
    return { id: safeId(name), channel: { address: name, description: `${c.transport} channel` } };
  }
  return { id: 'messages', channel: { address: null, description: 'The contracts name no channel for these messages.' } };
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
