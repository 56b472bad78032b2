/**
 * Checks what a consumer requires (requirements.ts) against a spec message's schemas, in the
 * producer's direction: every value the spec allows the provider to send must be one the
 * consumer's matchers accept. Only fields the consumer reads are checked.
 *
 * - proven problems are `incompatible`: a field the spec lacks, a type it allows that the matcher
 *   rejects (string vs integer, null), a listed value (enum, const, example) the matcher rejects;
 * - what the spec does not promise is a `warning` (docs/bidirectional.md explains each): a read
 *   field the spec marks optional, a regex or exact value the spec does not guarantee, a value of
 *   the spec's format the matcher rejects, array bounds, a value the spec leaves unconstrained.
 */
import type { JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';
import { show, type SchemaPromise } from '../matchers/kind';
import { checkRuleList, ruleProvenBy } from '../matchers/registry';
import type { SpecMessage } from '../asyncapi/model';
import {
  describeSchema,
  schemaAccepts,
  schemaBound,
  schemaExamples,
  schemaItems,
  schemaMapValues,
  schemaProperty,
  schemaStrings,
  schemaTypes,
  schemaValues,
  typeOfValue,
  type JsonType,
  type Schema,
} from '../asyncapi/schema';
import type { Finding, FindingCode, Severity } from './findings';
import type { MessageRequirements, Requirement } from './requirements';

export interface CheckContext {
  /** The consumer's name, for messages. */
  readonly consumer: string;
  /** Report what the spec does not promise as incompatible, not as a warning. */
  readonly strict?: boolean;
}

/** Values of each format a spec may send: a consumer matcher rejecting one gets a `format` warning. */
const FORMAT_SAMPLES: Readonly<Record<string, readonly string[]>> = {
  'date-time': ['2024-01-15T09:30:00.000Z', '2024-01-15T09:30:00Z', '2024-01-15T10:30:00+01:00'],
  date: ['2024-01-15'],
  time: ['09:30:00Z', '09:30:00.000+01:00'],
  uuid: ['e2490de5-5bd3-43d5-b7c4-526e33f71304', 'E2490DE5-5BD3-43D5-B7C4-526E33F71304'],
  email: ['someone@example.com'],
  uri: ['https://example.com/path'],
  hostname: ['example.com'],
  ipv4: ['192.0.2.1'],
};

class Checker {
  readonly findings: Finding[] = [];
  /** Declared paths not checked because the handler never reads them. */
  readonly ignored: string[] = [];

  constructor(
    private readonly ctx: CheckContext,
    private readonly examples: readonly JsonValue[],
  ) {}

  add(severity: Severity, code: FindingCode, req: Requirement | { part: Finding['part']; path: string }, expected: JsonValue | undefined, actual: JsonValue | undefined, message: string): void {
    const level = severity === 'warning' && this.ctx.strict === true ? 'incompatible' : severity;
    this.findings.push({ severity: level, code, part: req.part, path: req.path, expected, actual, message });
  }

  get who(): string {
    return this.ctx.consumer;
  }

  /** Checks `req` (and the children it reads) against `schema`. */
  node(req: Requirement, schema: Schema | undefined): void {
    if (!req.used) {
      this.ignored.push(req.path);
      return;
    }
    if (schema === undefined || schema === true) {
      if (req.path !== '$' || req.children.some((c) => c.used)) {
        this.add('warning', 'unconstrained', req, req.describe, 'any value', `${this.who} reads ${named(req)} as ${req.describe}; the spec does not say what it is`);
      }
      this.skipChildren(req);
      return;
    }
    const specTypes = schemaTypes(schema);
    if (!this.types(req, schema, specTypes)) {
      this.skipChildren(req);
      return;
    }
    if (req.kind === 'value') this.values(req, schema);
    else if (req.kind === 'array') this.array(req, schema);
    else if (req.kind === 'map') {
      const values = schemaMapValues(schema);
      for (const child of req.children) this.node(child, values ?? (schema === false ? false : undefined));
    } else {
      for (const child of req.children) this.property(child, schema);
    }
  }

  private skipChildren(req: Requirement): void {
    for (const child of req.children) if (!child.used) this.ignored.push(child.path);
  }

  /** Type check; false when nothing the spec allows is acceptable (children are then not checked). */
  private types(req: Requirement, schema: Schema, specTypes: ReadonlySet<JsonType> | undefined): boolean {
    if (req.accepts === undefined) return true;
    if (specTypes === undefined) {
      if (req.kind === 'value')
        this.add('warning', 'unconstrained', req, req.describe, describeSchema(schema), `${this.who} reads ${named(req)} as ${req.describe}; the spec does not say what type it is`);
      return true;
    }
    const extra = [...specTypes].filter((t) => !(req.accepts as ReadonlySet<JsonType>).has(t));
    if (extra.length === 0) return true;
    const spec = describeSchema(schema);
    if (extra.length === 1 && extra[0] === 'null') {
      this.add('incompatible', 'nullable', req, req.describe, spec, `${this.who} reads ${named(req)} as ${req.describe}; the spec allows null (${spec})`);
      return true;
    }
    let hint = '';
    if (extra.includes('decimal') && req.accepts.has('integer')) hint = ' (the spec allows decimals)';
    else if (extra.includes('integer') && req.accepts.has('decimal')) hint = ` (its decimal matcher rejects whole numbers; m.number() accepts both)`;
    this.add('incompatible', 'type', req, req.describe, spec, `${this.who} reads ${named(req)} as ${req.describe}; the spec makes it ${spec}${hint}`);
    return [...specTypes].some((t) => (req.accepts as ReadonlySet<JsonType>).has(t));
  }

  private property(req: Requirement, parent: Schema): void {
    const key = 'key' in (req.segments.at(-1) ?? {}) ? (req.segments.at(-1) as { key: string }).key : req.label;
    if (!req.used) {
      this.ignored.push(req.path);
      return;
    }
    const prop = schemaProperty(parent, key);
    if (prop.forbidden || (!prop.declared && !prop.viaAdditional)) {
      const open = !prop.forbidden && isOpen(parent);
      if (open) {
        this.node(req, undefined);
        return;
      }
      this.add('incompatible', 'missing', req, req.describe, undefined, `${this.who} reads ${named(req)}; the spec has no such field${prop.forbidden ? ' (and forbids other fields)' : ''}`);
      this.skipChildren(req);
      return;
    }
    if (!prop.required) {
      this.add(
        'warning',
        'optional',
        req,
        'always present',
        'optional',
        `${this.who} reads ${named(req)}, which the spec marks optional: the provider may leave it out (mark it required in the spec, or tolerate its absence)`,
      );
    }
    this.node(req, prop.schema);
  }

  private array(req: Requirement, schema: Schema): void {
    const specMin = schemaBound(schema, 'minItems') ?? 0;
    const specMax = schemaBound(schema, 'maxItems');
    const min = req.exactItems ?? req.minItems;
    const max = req.exactItems ?? req.maxItems;
    if (min !== undefined && specMin < min) {
      this.add('warning', 'length', req, `at least ${min} item(s)`, `minItems ${specMin}`, `${this.who} expects at least ${min} item(s) in ${named(req)}; the spec allows ${specMin}`);
    }
    if (max !== undefined && (specMax === undefined || specMax > max)) {
      this.add(
        'warning',
        'length',
        req,
        `at most ${max} item(s)`,
        specMax === undefined ? 'no maximum' : `maxItems ${specMax}`,
        `${this.who} expects at most ${max} item(s) in ${named(req)}; the spec allows ${specMax ?? 'any number'}`,
      );
    }
    const items = schemaItems(schema);
    for (const child of req.children) this.node(child, items);
  }

  private rules(req: Requirement): { rules: readonly RuleJson[]; combine: 'AND' | 'OR' } {
    return req.rules.length === 0 ? { rules: [{ match: 'equality' }], combine: 'AND' } : { rules: req.rules, combine: req.combine };
  }

  private rejects(req: Requirement, value: JsonValue): boolean {
    if (req.accepts !== undefined && !req.accepts.has(typeOfValue(value))) return false; // already a type finding
    const { rules, combine } = this.rules(req);
    return checkRuleList(rules, combine, value, req.example) !== undefined;
  }

  /** Value constraints: listed values, the spec's examples, its patterns and formats. */
  private values(req: Requirement, schema: Schema): void {
    if (!req.constrained) return;
    const listed = schemaValues(schema);
    if (listed !== undefined) {
      const bad = listed.filter((v) => this.rejects(req, v));
      if (bad.length > 0) {
        const shown = bad
          .slice(0, 5)
          .map((v) => show(v))
          .join(', ');
        this.add('incompatible', 'value', req, req.describe, listed as JsonValue, `the spec allows ${shown} for ${named(req)}; ${this.who} accepts only ${req.describe}`);
      }
      return;
    }
    const witnesses = [...schemaExamples(schema), ...this.examplesAt(req)].filter((w) => schemaAccepts(schema, w) !== false);
    const badExample = witnesses.find((w) => this.rejects(req, w));
    if (badExample !== undefined) {
      this.add('incompatible', 'value', req, req.describe, badExample, `the spec's example ${show(badExample)} for ${named(req)} fails ${this.who}'s ${req.describe}`);
      return;
    }
    const formats = schemaStrings(schema, 'format');
    for (const format of formats) {
      const sample = (FORMAT_SAMPLES[format] ?? []).find((s) => this.rejects(req, s));
      if (sample !== undefined) {
        this.add('warning', 'format', req, req.describe, `format ${format}`, `the spec's format ${format} allows ${show(sample)} for ${named(req)}, which ${this.who}'s ${req.describe} rejects`);
        return;
      }
    }
    if (this.implied(req, schema, formats)) return;
    this.add(
      'warning',
      'unproven',
      req,
      req.describe,
      describeSchema(schema),
      `${this.who} reads ${named(req)} as ${req.describe}; the spec only says ${describeSchema(schema)}, so it does not promise that`,
    );
  }

  /** True when the spec's pattern or format guarantees the consumer's constraint. */
  private implied(req: Requirement, schema: Schema, formats: readonly string[]): boolean {
    if (req.rules.length === 0) return false;
    const promise: SchemaPromise = {
      // JSON Schema patterns search, Pact regexes match whole values: only an anchored pattern can prove one.
      patterns: schemaStrings(schema, 'pattern').filter((p) => p.startsWith('^') && p.endsWith('$') && !p.endsWith('\\$')),
      formats,
      minLength: schemaBound(schema, 'minLength') ?? 0,
      minItems: schemaBound(schema, 'minItems') ?? 0,
    };
    return req.rules.every(
      (rule) =>
        ruleProvenBy(rule, promise) ||
        // A format whose every sample the rule accepts (e.g. a permissive regex over uuids).
        formats.some((f) => (FORMAT_SAMPLES[f] ?? []).length > 0 && (FORMAT_SAMPLES[f] ?? []).every((s) => checkRuleList([rule], 'AND', s, req.example) === undefined)),
    );
  }

  /** The spec message's own examples, at the requirement's path. */
  private examplesAt(req: Requirement): JsonValue[] {
    if (req.part !== 'body') return [];
    const out: JsonValue[] = [];
    const visit = (value: JsonValue | undefined, i: number): void => {
      if (value === undefined) return;
      if (i === req.segments.length) {
        out.push(value);
        return;
      }
      const seg = req.segments[i];
      if (seg === undefined) return;
      if ('key' in seg) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, seg.key)) visit(value[seg.key], i + 1);
      } else if ('anyIndex' in seg) {
        if (Array.isArray(value)) for (const item of value) visit(item, i + 1);
      } else if ('anyKey' in seg) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const v of Object.values(value)) visit(v, i + 1);
      }
    };
    for (const example of this.examples) visit(example, 0);
    return out;
  }
}

/** How a message names a requirement: `stock`, header `trace-id`, the key. */
export function named(req: Pick<Requirement, 'part' | 'path' | 'label'>): string {
  if (req.part === 'body') return `\`${req.label}\``;
  return req.path === 'kafka_key' ? 'the key' : `header \`${req.path}\``;
}

function isOpen(schema: Schema): boolean {
  return (
    schema === true ||
    (typeof schema === 'object' &&
      schema['properties'] === undefined &&
      schema['allOf'] === undefined &&
      schema['anyOf'] === undefined &&
      schema['oneOf'] === undefined &&
      schema['additionalProperties'] === undefined)
  );
}

export interface CheckOutcome {
  readonly findings: readonly Finding[];
  /** Declared payload paths, headers and the key left unchecked because the handler never reads them. */
  readonly ignored: readonly string[];
}

/**
 * Checks a consumer's requirements against one spec message: payload, headers, Kafka key.
 *
 * @example
 * const { findings } = checkMessage(messageRequirements(interaction), specMessage, { consumer: 'materials' });
 * // [{ severity: 'incompatible', code: 'type', path: '$.stock', message: 'materials reads `stock` as string (regex ^[0-9]+$); the spec makes it integer' }]
 */
export function checkMessage(requirements: MessageRequirements, message: SpecMessage, ctx: CheckContext): CheckOutcome {
  const checker = new Checker(ctx, message.examples);
  const payload = requirements.payload;
  if (message.payload === undefined) {
    if (payload.children.some((c) => c.used)) {
      checker.add('warning', 'unconstrained', payload, 'a payload', undefined, `the spec gives no payload schema for ${message.name ?? message.id}; nothing ${ctx.consumer} reads can be checked`);
    }
  } else {
    checker.node(payload, message.payload);
  }
  for (const header of requirements.headers) {
    if (!header.used) {
      checker.ignored.push(`header ${header.path}`);
      continue;
    }
    if (message.headers === undefined) {
      checker.add('warning', 'missing', header, header.describe, undefined, `${ctx.consumer} reads ${named(header)}; the spec describes no headers for this message`);
      continue;
    }
    const prop = schemaProperty(message.headers, header.path);
    if (prop.forbidden || (!prop.declared && !prop.viaAdditional)) {
      checker.add('incompatible', 'missing', header, header.describe, undefined, `${ctx.consumer} reads ${named(header)}; the spec's headers have no such header`);
      continue;
    }
    if (!prop.required)
      checker.add('warning', 'optional', header, 'always present', 'optional', `${ctx.consumer} reads ${named(header)}, which the spec marks optional: the provider may leave it out`);
    checker.node(header, prop.schema);
  }
  const key = requirements.key;
  if (key !== undefined) {
    if (!key.used) checker.ignored.push('the key');
    else if (message.key === undefined) checker.add('warning', 'missing', key, key.describe, undefined, `${ctx.consumer} reads the key; the spec does not describe it (bindings.kafka.key)`);
    else checker.node(key, message.key);
  }
  return { findings: checker.findings, ignored: checker.ignored };
}
