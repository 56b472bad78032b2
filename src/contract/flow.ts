/**
 * Flows in the contract: each step of a flow is a normal Pact V4 interaction (one-way or
 * request/reply), so every Pact tool reads it; the flow's identity, order and bindings live in
 * the step's `comments.herald.flow` block, which the Pact CLI keeps on publish:
 *
 *   "comments": { "herald": { "flow": {
 *     "name": "authorised push", "index": 1, "steps": ["authorise", "push"], "step": "push",
 *     "bind": [{ "name": "sessionId", "to": ["headers", "session-id"],
 *                "from": { "step": "authorise", "path": ["reply", "payload", "sessionId"] } }] } } }
 *
 * A path walks a step's values: `payload` / `headers` / `key` / `properties` of a one-way
 * message, each under `request` / `reply` for a request/reply step.
 */
import { AMQP_PROPERTY_KEYS, META, type AmqpPropertyName } from './channel';
import { copyJson, isJsonObject, type JsonObject, type JsonValue } from './json';
import { isSyncInteraction, type AnyInteraction, type Contract, type MessagePart } from './model';

export type ValuePath = readonly (string | number)[];

/** One bound value: the step's value at `to` is the earlier step's value at `from`. */
export interface FlowBinding {
  /** The name a provider's factory or trigger receives the value under (in its params). */
  readonly name: string;
  readonly to: ValuePath;
  readonly from: { readonly step: string; readonly path: ValuePath };
}

/** The `comments.herald.flow` block of one step. */
export interface FlowStepBlock {
  readonly name: string;
  readonly index: number;
  /** Every step name of the flow, in order (each step carries the whole list). */
  readonly steps: readonly string[];
  readonly step: string;
  readonly bind: readonly FlowBinding[];
}

export interface FlowStep {
  readonly name: string;
  readonly interaction: AnyInteraction;
  readonly bind: readonly FlowBinding[];
}

/** A flow read from a contract: its steps in order, or why it cannot be verified. */
export interface ContractFlow {
  readonly name: string;
  readonly steps: readonly FlowStep[];
  /** Set when the blocks are incomplete or inconsistent: no step may pass. */
  readonly problem?: string;
}

/** The values a step exposes: a message's parts, or `{ request, reply }` of a request/reply step. */
export interface MessageView {
  readonly payload: JsonValue | undefined;
  readonly headers: JsonObject;
  readonly key: JsonValue | undefined;
  readonly properties: JsonObject;
}

export const FLOW_COMMENT_KEY = 'flow';

function isPath(value: unknown): value is ValuePath {
  return Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s) && s >= 0));
}

function readBinding(value: unknown): FlowBinding | undefined {
  if (!isJsonObject(value)) return undefined;
  const { name, to, from } = value;
  if (typeof name !== 'string' || !isPath(to) || !isJsonObject(from) || typeof from['step'] !== 'string' || !isPath(from['path'])) return undefined;
  return { name, to, from: { step: from['step'], path: from['path'] } };
}

/**
 * The flow block of an interaction: undefined when it belongs to no flow; a string saying what is
 * wrong when the block is malformed.
 */
export function flowBlockOf(interaction: AnyInteraction): FlowStepBlock | string | undefined {
  // Read from a file, comments.herald is the interaction's `herald` block; declared in the DSL, it is still in comments.
  const inComments = interaction.comments?.['herald'];
  const raw: unknown = interaction.herald?.[FLOW_COMMENT_KEY] ?? (isJsonObject(inComments) ? inComments[FLOW_COMMENT_KEY] : undefined);
  if (raw === undefined) return undefined;
  if (!isJsonObject(raw)) return 'comments.herald.flow is not an object';
  const { name, index, steps, step, bind } = raw;
  if (typeof name !== 'string' || name === '') return 'comments.herald.flow.name must be a non-empty string';
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every((s) => typeof s === 'string')) return 'comments.herald.flow.steps must list the step names';
  if (typeof step !== 'string' || typeof index !== 'number' || steps[index] !== step)
    return `comments.herald.flow.index ${JSON.stringify(index)} does not name the step ${JSON.stringify(step)} in ${JSON.stringify(steps)}`;
  const bindings = Array.isArray(bind) ? bind.map(readBinding) : [];
  if (bind !== undefined && (!Array.isArray(bind) || bindings.some((b) => b === undefined))) return 'comments.herald.flow.bind must list { name, to: [path], from: { step, path: [path] } }';
  return { name, index, steps: steps as string[], step, bind: bindings as FlowBinding[] };
}

/** True when the interaction carries a flow block (well-formed or not): it is verified with its flow only. */
export function isFlowStep(interaction: AnyInteraction): boolean {
  return flowBlockOf(interaction) !== undefined;
}

/** The flows of a contract, their steps in order; incomplete or inconsistent flows carry a `problem`. */
export function flowsOf(contract: Contract): ContractFlow[] {
  const byName = new Map<string, { blocks: { block: FlowStepBlock; interaction: AnyInteraction }[]; problems: string[]; loose: AnyInteraction[] }>();
  const all: AnyInteraction[] = [...contract.interactions, ...(contract.synchronous ?? [])];
  for (const interaction of all) {
    const block = flowBlockOf(interaction);
    if (block === undefined) continue;
    const name = typeof block === 'string' ? `(malformed flow block on "${interaction.description}")` : block.name;
    let entry = byName.get(name);
    if (entry === undefined) byName.set(name, (entry = { blocks: [], problems: [], loose: [] }));
    if (typeof block === 'string') {
      entry.problems.push(`"${interaction.description}": ${block}`);
      entry.loose.push(interaction);
    } else entry.blocks.push({ block, interaction });
  }
  const flows: ContractFlow[] = [];
  for (const [name, entry] of byName) {
    const problems = [...entry.problems];
    const order = entry.blocks[0]?.block.steps ?? [];
    for (const { block, interaction } of entry.blocks) {
      if (JSON.stringify(block.steps) !== JSON.stringify(order)) problems.push(`"${interaction.description}" lists the steps ${JSON.stringify(block.steps)}, another step ${JSON.stringify(order)}`);
      for (const b of block.bind) {
        const source = order.indexOf(b.from.step);
        if (source < 0 || source >= block.index) problems.push(`step "${block.step}" binds ${b.name} from "${b.from.step}", which is not an earlier step`);
      }
    }
    const steps: FlowStep[] = [];
    order.forEach((stepName, index) => {
      const found = entry.blocks.filter((b) => b.block.step === stepName && b.block.index === index);
      if (found.length === 0) problems.push(`step ${index + 1} "${stepName}" is missing from the contract`);
      if (found.length > 1) problems.push(`step "${stepName}" appears ${found.length} times`);
      const first = found[0];
      if (first !== undefined) steps.push({ name: stepName, interaction: first.interaction, bind: first.block.bind });
    });
    const extra = entry.blocks.filter((b) => !steps.some((s) => s.interaction === b.interaction));
    for (const b of extra) problems.push(`"${b.interaction.description}" claims to be step ${b.block.index + 1} "${b.block.step}"`);
    const present = [
      ...steps,
      ...extra.map((b) => ({ name: b.block.step, interaction: b.interaction, bind: b.block.bind })),
      ...entry.loose.map((i) => ({ name: i.description, interaction: i, bind: [] })),
    ];
    flows.push(problems.length === 0 ? { name, steps } : { name, steps: present, problem: problems.join('; ') });
  }
  return flows;
}

/** The value at `path` in a step's values; undefined when absent. */
export function valueAt(values: JsonValue | undefined, path: ValuePath): JsonValue | undefined {
  let current: JsonValue | undefined = values;
  for (const segment of path) {
    if (Array.isArray(current)) current = typeof segment === 'number' ? current[segment] : /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (isJsonObject(current) && Object.hasOwn(current, String(segment))) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

/** A copy of `values` with `value` at `path` (objects created on the way). */
export function withValueAt(values: JsonValue | undefined, path: ValuePath, value: JsonValue): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(values) && (typeof head === 'number' || /^\d+$/.test(head))) {
    const copy = [...values];
    const i = Number(head);
    copy[i] = withValueAt(copy[i], rest, value);
    return copy;
  }
  const base: JsonObject = isJsonObject(values) ? { ...values } : {};
  Object.defineProperty(base, String(head), { value: withValueAt(base[String(head)], rest, value), enumerable: true, writable: true, configurable: true });
  return base;
}

/** The values of one message part as a step exposes them. */
export function viewOfPart(part: Pick<MessagePart, 'contents' | 'metadata'>): MessageView {
  const headers: JsonObject = {};
  const properties: JsonObject = {};
  const propertyKeys = new Map<string, string>(Object.entries(AMQP_PROPERTY_KEYS).map(([name, key]) => [key, name]));
  for (const [key, value] of Object.entries(part.metadata)) {
    const property = propertyKeys.get(key);
    if (property !== undefined) properties[property] = value;
    else if (!key.startsWith('kafka_') && !key.startsWith('amqp_') && !key.startsWith('herald_') && key !== META.contentType) headers[key] = value;
  }
  return { payload: part.contents.content === undefined ? undefined : copyJson(part.contents.content), headers, key: part.metadata[META.kafkaKey], properties };
}

/** A message part with `value` written where a step's `to` path points (payload, a header, the key, a property). */
export function partWithValue<T extends Pick<MessagePart, 'contents' | 'metadata'>>(part: T, to: ValuePath, value: JsonValue): T {
  const [where, ...rest] = to;
  if (where === 'payload') return { ...part, contents: { ...part.contents, content: withValueAt(part.contents.content, rest, value) } };
  const metadataKey = where === 'headers' ? String(rest[0]) : where === 'key' ? META.kafkaKey : where === 'properties' ? AMQP_PROPERTY_KEYS[String(rest[0]) as AmqpPropertyName] : undefined;
  if (metadataKey === undefined) return part;
  const inner = where === 'key' ? rest : rest.slice(1);
  return { ...part, metadata: withValueAt(part.metadata, [metadataKey, ...inner], value) as JsonObject };
}

/** The step's request or reply side a `to` path names (`undefined` for a one-way message). */
export function sideOf(interaction: AnyInteraction, to: ValuePath): { side: 'request' | 'reply' | undefined; rest: ValuePath } {
  if (!isSyncInteraction(interaction)) return { side: undefined, rest: to };
  const [side, ...rest] = to;
  return { side: side === 'request' || side === 'reply' ? side : undefined, rest };
}

/** Equality of a bound value and what a step carried: headers and keys travel as text on Kafka. */
export function sameBoundValue(expected: JsonValue | undefined, actual: JsonValue | undefined): boolean {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return true;
  return typeof actual === 'string' && expected !== undefined && typeof expected !== 'object' && String(expected) === actual;
}
