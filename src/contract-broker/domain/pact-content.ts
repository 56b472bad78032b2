/**
 * Pact content as the broker stores and serves it. Stored canonical (keys sorted, broker-added
 * `_links` / `_id` removed) and addressed by the sha256 of that text, so identical content
 * published twice is one contract version. Served with a stable `_id` per interaction (what
 * verifiers send back as `testResults[].interactionId`).
 */
import { createHash } from 'node:crypto';
import { problem } from './problem';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonical(value: Json, dropBrokerFields: boolean): Json {
  if (Array.isArray(value)) return value.map((item) => canonical(item, dropBrokerFields));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    if (dropBrokerFields && (key === '_links' || key === '_id')) continue;
    const item = value[key];
    if (item !== undefined) out[key] = canonical(item, dropBrokerFields);
  }
  return out;
}

export interface ParsedPact {
  readonly consumer: string;
  readonly provider: string;
  /** Canonical JSON text: what is stored and hashed. */
  readonly text: string;
  readonly sha: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Validates a pact document (from `field`, for messages) and returns its canonical form and sha. */
export function parsePact(document: unknown, field: string): ParsedPact {
  if (!isJsonObject(document)) throw problem(400, field, 'The contract content is not a JSON object. Publish the pact file itself (a Pact V3/V4 JSON document).');
  const consumer = document['consumer'];
  const provider = document['provider'];
  const consumerName = isJsonObject(consumer) ? consumer['name'] : undefined;
  const providerName = isJsonObject(provider) ? provider['name'] : undefined;
  if (typeof consumerName !== 'string' || consumerName === '') throw problem(400, field, 'The pact has no consumer.name. Publish a pact file written by Herald or a Pact library.');
  if (typeof providerName !== 'string' || providerName === '') throw problem(400, field, 'The pact has no provider.name. Publish a pact file written by Herald or a Pact library.');
  const interactions = document['interactions'] ?? document['messages'];
  if (interactions !== undefined && !Array.isArray(interactions)) throw problem(400, field, 'The pact\'s "interactions" is not an array.');
  const text = JSON.stringify(canonical(document, true));
  return { consumer: consumerName, provider: providerName, text, sha: sha256(text) };
}

/** The `_id` of each interaction: a hash of its canonical content, suffixed when two are identical. */
export function interactionIds(interactions: readonly Json[]): string[] {
  const seen = new Map<string, number>();
  return interactions.map((interaction) => {
    const base = sha256(JSON.stringify(canonical(interaction, true))).slice(0, 40);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  });
}

/** The stored pact with an `_id` on each interaction (and message, for V3 message pacts) and the given `_links`. */
export function servePact(text: string, links: JsonObject): JsonObject {
  const parsed: unknown = JSON.parse(text);
  const document: JsonObject = isJsonObject(parsed) ? parsed : {};
  for (const key of ['interactions', 'messages']) {
    const list = document[key];
    if (!Array.isArray(list)) continue;
    const ids = interactionIds(list);
    document[key] = list.map((interaction, index) => (isJsonObject(interaction) ? { _id: ids[index] ?? String(index), ...interaction } : interaction));
  }
  return { ...document, _links: links };
}
