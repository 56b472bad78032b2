/**
 * JSON Schemas and AsyncAPI channels derived from contract interactions, shared by the AsyncAPI
 * export of one-way messages (asyncapi-export.ts) and of request/reply (asyncapi-replies.ts).
 */
import type { JsonObject } from '../contract/json';
import { isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { MessageInteraction } from '../contract/model';
import { ruleJsonSchema } from '../matchers/registry';
import { channelOf } from './match';
import type { Requirement } from './requirements';

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

export const safeId = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'channel';

export function channelEntry(interaction: MessageInteraction): { id: string; channel: JsonObject; routingKey?: string } {
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
