/**
 * What a consumer requires of a message, read from its contract: for each declared payload path,
 * header and the key, the types its matchers accept, the value constraints (regex, format,
 * equality…), array bounds, and whether the consumer's handler reads it (`herald.usage`).
 * Comparisons with a provider's specification, and the AsyncAPI export, start from here.
 */
import type { JsonValue } from '../contract/json';
import { headersOf, META } from '../contract/channel';
import type { MessageInteraction, RuleJson, RuleList } from '../contract/model';
import { pathOf, type Segment } from '../matchers/compile';
import { familyOf, type ArrayBounds } from '../matchers/kind';
import { describeRule, ruleAccepts, ruleArrayBounds } from '../matchers/registry';
import { selectRule } from '../matching/engine';
import type { PathSegment } from '../contract/path';
import type { JsonType } from '../asyncapi/schema';
import { isMapPath } from '../usage/declared';
import { usageOf, type FieldUsage } from '../usage/usage';

export type RequirementKind = 'object' | 'map' | 'array' | 'value';

export interface Requirement {
  readonly part: 'body' | 'metadata';
  /** Pact path for the payload (`$.items[*].qty`); the header name, or `kafka_key`, for metadata. */
  readonly path: string;
  /** Path segments below the payload root (metadata: none). */
  readonly segments: readonly Segment[];
  /** How reports name it: `stock`, `items[*].qty`, header `trace-id`, the key. */
  readonly label: string;
  readonly kind: RequirementKind;
  /** The contract's example value here (the first item for arrays' children). */
  readonly example: JsonValue;
  /** The rules that apply here (a parent's cascaded rules lose min/max); empty for Pact's default, equality. */
  readonly rules: readonly RuleJson[];
  readonly combine: 'AND' | 'OR';
  /** Types the matchers accept; undefined when any type would do. */
  readonly accepts: ReadonlySet<JsonType> | undefined;
  /** True when the matchers limit the value beyond its type (regex, format, equality…). */
  readonly constrained: boolean;
  /** The consumer's view for reports: `string (regex ^[0-9]+$)`. */
  readonly describe: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Arrays compared item by item (no matcher): this exact length. */
  readonly exactItems?: number;
  /** Whether the consumer's handler reads it (always true without recorded usage). */
  readonly used: boolean;
  readonly children: readonly Requirement[];
}

export interface MessageRequirements {
  readonly payload: Requirement;
  readonly headers: readonly Requirement[];
  /** The Kafka key, when the contract declares one. */
  readonly key?: Requirement;
  /** The usage the requirements were narrowed with, if the contract recorded one. */
  readonly usage?: FieldUsage;
}

/** Types a rule list accepts: AND narrows, OR widens; no rules (Pact's default, equality) accept the example's family. */
function combineTypes(rules: readonly RuleJson[], combine: 'AND' | 'OR', example: JsonValue): ReadonlySet<JsonType> | undefined {
  if (rules.length === 0) return familyOf(example);
  let out: Set<JsonType> | undefined;
  for (const rule of rules) {
    const t = ruleAccepts(rule, example);
    if (combine === 'OR') {
      if (t === undefined) return undefined;
      out = new Set([...(out ?? []), ...t]);
    } else if (t !== undefined) {
      out = out === undefined ? new Set(t) : new Set([...out].filter((x) => t.has(x)));
    }
  }
  return out;
}

function typeWord(types: ReadonlySet<JsonType> | undefined): string {
  if (types === undefined) return 'any value';
  if (types.size === 2 && types.has('integer') && types.has('decimal')) return 'number';
  const names = [...types].map((t) => (t === 'decimal' ? 'decimal number' : t));
  return names.length === 0 ? 'nothing' : names.join(' or ');
}

/** What the rules demand beyond the type (`regex ^[0-9]+$`, `uuid`…): a rule with a description limits the value. */
function detailsOf(rules: readonly RuleJson[], example: JsonValue): string[] {
  return rules.map((r) => describeRule(r, example)).filter((d): d is string => d !== undefined);
}

function describe(types: ReadonlySet<JsonType> | undefined, details: readonly string[], example: JsonValue, isDefault: boolean): string {
  // Pact's default for a value without rules: equality.
  const all = isDefault && typeof example !== 'object' ? [...details, `exactly ${JSON.stringify(example)}`] : details;
  return all.length === 0 ? typeWord(types) : `${typeWord(types)} (${all.join(', ')})`;
}

type ItemCounts = Pick<Requirement, 'minItems' | 'maxItems' | 'exactItems'>;

/** The array lengths the rules allow (every bound holds); the example's own length when no rule bounds it (compared item by item). */
function arrayLength(rules: readonly RuleJson[], length: number): ItemCounts {
  const bounds = rules.map(ruleArrayBounds).filter((b): b is ArrayBounds => b !== undefined);
  if (bounds.length === 0) return { exactItems: length };
  const mins = bounds.flatMap((b) => (b.min === undefined ? [] : [b.min]));
  const maxes = bounds.flatMap((b) => (b.max === undefined ? [] : [b.max]));
  return { ...(mins.length === 0 ? {} : { minItems: Math.max(...mins) }), ...(maxes.length === 0 ? {} : { maxItems: Math.min(...maxes) }) };
}

/** Renders `$.items[*].qty` as `items[*].qty` for reports. */
export function labelOf(path: string): string {
  if (path === '$') return 'the payload';
  return path.startsWith('$.') ? path.slice(2) : path.startsWith('$') ? path.slice(1) : path;
}

interface Rules {
  readonly list: RuleList | undefined;
  readonly cascaded: boolean;
}

function rulesAt(interaction: MessageInteraction, concrete: readonly PathSegment[]): Rules {
  const selected = selectRule(interaction.matchingRules.body, concrete);
  if (selected === undefined) return { list: undefined, cascaded: false };
  const list = interaction.matchingRules.body[selected.path];
  return { list, cascaded: selected.cascaded };
}

function build(interaction: MessageInteraction, value: JsonValue, segments: Segment[], concrete: PathSegment[], used: (path: string) => boolean, depth: number): Requirement {
  const path = pathOf(segments);
  const { list, cascaded } = rulesAt(interaction, concrete);
  const rawRules = list?.matchers ?? [];
  const rules = cascaded ? rawRules.map(({ min: _min, max: _max, ...rest }) => rest as RuleJson) : rawRules;
  const combine = list?.combine ?? 'AND';
  const isArray = Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null && !isArray;
  const kind: RequirementKind = isArray ? 'array' : isObject ? (isMapPath(interaction.matchingRules.body, path) ? 'map' : 'object') : 'value';
  const isDefault = rules.length === 0 && kind === 'value';
  const accepts = combineTypes(rules, combine, value);
  const details = detailsOf(rules, value);
  const children: Requirement[] = [];
  let length: ItemCounts = {};
  if (depth < 256) {
    if (isArray) {
      length = arrayLength(rules, value.length);
      if (value.length > 0) children.push(build(interaction, value[0] as JsonValue, [...segments, { anyIndex: true }], [...concrete, 0], used, depth + 1));
    } else if (isObject) {
      const keys = Object.keys(value);
      if (kind === 'map') {
        const first = keys[0];
        if (first !== undefined) children.push(build(interaction, value[first] as JsonValue, [...segments, { anyKey: true }], [...concrete, first], used, depth + 1));
      } else {
        for (const key of keys) children.push(build(interaction, value[key] as JsonValue, [...segments, { key }], [...concrete, key], used, depth + 1));
      }
    }
  }
  return {
    part: 'body',
    path,
    segments,
    label: labelOf(path),
    kind,
    example: value,
    rules,
    combine,
    accepts,
    constrained: isDefault || details.length > 0,
    describe: describe(accepts, details, value, isDefault),
    ...length,
    used: path === '$' || used(path) || children.some((c) => c.used),
    children,
  };
}

function metadataRequirement(interaction: MessageInteraction, name: string, label: string, used: boolean): Requirement {
  // Own properties only: a header named "constructor" must not find Object.prototype's members.
  const example = (Object.hasOwn(interaction.metadata, name) ? interaction.metadata[name] : undefined) ?? null;
  const list = Object.hasOwn(interaction.matchingRules.metadata, name) ? interaction.matchingRules.metadata[name] : undefined;
  const rules = list?.matchers ?? [];
  const combine = list?.combine ?? 'AND';
  const accepts = combineTypes(rules, combine, example);
  const isDefault = rules.length === 0;
  const details = detailsOf(rules, example);
  return {
    part: 'metadata',
    path: name,
    segments: [],
    label,
    kind: 'value',
    example,
    rules,
    combine,
    accepts,
    constrained: isDefault || details.length > 0,
    describe: describe(accepts, details, example, isDefault),
    used,
    children: [],
  };
}

/**
 * The requirements of one interaction, marked with the recorded usage (when the contract has one).
 *
 * @example
 * const { payload } = messageRequirements(interaction);
 * payload.children.map((r) => [r.path, r.describe, r.used]) // [['$.stock', 'string (regex ^[0-9]+$)', true], …]
 */
export function messageRequirements(interaction: MessageInteraction, options: { readonly allFields?: boolean } = {}): MessageRequirements {
  // The usage rule (src/usage/usage.ts splitByUsage): with allFields, every declared field counts.
  const usage = options.allFields === true ? undefined : usageOf(interaction);
  const read = usage === undefined ? undefined : new Set(usage.payload);
  const content = interaction.contents.content;
  const payload = build(interaction, content === undefined ? null : content, [], [], (path) => read === undefined || read.has(path), 0);
  const headers = Object.keys(headersOf(interaction.metadata))
    .sort()
    .map((name) => metadataRequirement(interaction, name, `header ${name}`, usage === undefined || usage.headers.includes(name)));
  const hasKey = interaction.metadata[META.kafkaKey] !== undefined;
  return {
    payload,
    headers,
    ...(hasKey ? { key: metadataRequirement(interaction, META.kafkaKey, 'the key', usage === undefined || usage.key) } : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}

/** Every requirement of a tree, parents first. */
export function flatten(requirement: Requirement): Requirement[] {
  return [requirement, ...requirement.children.flatMap(flatten)];
}
