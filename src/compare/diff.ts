/**
 * Breaking-change detection between two versions of a provider's specification. Each change is
 * classified in the producer's direction: what the provider may now send that it could not before
 * can break a consumer; what it no longer sends (narrowing) cannot.
 *
 * - safe by nature: a new field (optional or required), a new message, a narrower type, fewer
 *   enum values, a new constraint (pattern, format, minItems), a field made required;
 * - possibly breaking: a removed field or message, a retyped field, a field made optional or
 *   nullable, more enum values, a constraint removed or changed, wider array bounds.
 *
 * A possibly-breaking change is breaking when it breaks a consumer: its contract, compared with
 * the new spec, has a new incompatibility at that path (or, for a field made optional, the consumer
 * reads the field). The consumers and interactions affected are named. A change no consumer reads
 * is safe ("unused by any consumer"). Without contracts, every possibly-breaking change is breaking.
 */
import type { JsonValue } from '../contract/json';
import type { Contract, MessageInteraction } from '../contract/model';
import { pathOf, type Segment } from '../matchers/compile';
import { describeSpecMessage, type Spec, type SpecMessage } from '../asyncapi/model';
import { describeSchema, schemaBound, schemaItems, schemaMapValues, schemaProperty, schemaStrings, schemaTypes, schemaValues, type JsonType, type Schema } from '../asyncapi/schema';
import { chooseProvider, compareInteraction, specSummary, type CompareResult, type ComparisonReport } from './compare';
import type { Finding } from './findings';
import { flatten, labelOf, messageRequirements } from './requirements';

export type ChangeKind =
  | 'message-added'
  | 'message-removed'
  | 'field-added'
  | 'field-removed'
  | 'type-changed'
  | 'type-narrowed'
  | 'made-optional'
  | 'made-required'
  | 'made-nullable'
  | 'values-added'
  | 'values-removed'
  | 'values-unrestricted'
  | 'values-restricted'
  | 'constraint-added'
  | 'constraint-removed'
  | 'constraint-changed'
  | 'bounds-widened'
  | 'bounds-narrowed'
  | 'content-type-changed'
  | 'other';

export type Classification = 'breaking' | 'safe';

export interface AffectedInteraction {
  readonly consumer: string;
  readonly interaction: string;
  readonly contractFile?: string;
  /** Why it breaks them: the finding from comparing their contract with the new spec. */
  readonly reason: string;
}

export interface SpecChange {
  /** The message changed, described (`ContractorUpdated (topic contractors.updated.v1)`). */
  readonly message: string;
  readonly part: 'body' | 'metadata' | 'message';
  /** `$.stock`, a header name, `kafka_key`, or `$` for the message as a whole. */
  readonly path: string;
  readonly kind: ChangeKind;
  readonly before: JsonValue | undefined;
  readonly after: JsonValue | undefined;
  /** What changed, for people: "`stock` changed from string (pattern ^[0-9]+$) to integer". */
  readonly description: string;
  readonly classification: Classification;
  /** Why it is breaking or safe. */
  readonly reason: string;
  readonly affected: readonly AffectedInteraction[];
}

export interface DiffSummary {
  readonly changes: number;
  readonly breaking: number;
  readonly safe: number;
  /** Interactions of the provider's contracts the changes were checked against. */
  readonly interactions: number;
  /** True when no change is breaking. */
  readonly ok: boolean;
}

export interface DiffReport {
  readonly old: ComparisonReport['spec'];
  readonly new: ComparisonReport['spec'];
  readonly provider?: string;
  readonly summary: DiffSummary;
  readonly changes: readonly SpecChange[];
}

export interface DiffOptions {
  /** Compare with this provider's contracts (default: the only provider the contracts name). */
  readonly provider?: string;
  /** Count every declared field as read (default: the contracts' `herald.usage` decides). CLI: --all-fields. */
  readonly checkAllDeclaredFields?: boolean;
}

type Part = SpecChange['part'];

/** A structural change before classification. */
interface RawChange {
  readonly part: Part;
  readonly path: string;
  readonly kind: ChangeKind;
  readonly before: JsonValue | undefined;
  readonly after: JsonValue | undefined;
  readonly description: string;
  /** Safe whatever the consumers do (the provider sends less, or more fields). */
  readonly safeByNature: boolean;
}

const SAFE_REASONS: Partial<Record<ChangeKind, string>> = {
  'message-added': 'a new message breaks no consumer: consumers do not receive what they did not ask for',
  'field-added': 'the provider adds a field: consumers ignore fields they do not read',
  'type-narrowed': 'the provider sends fewer types than before: every value it sends was allowed before',
  'made-required': 'the provider now always sends the field',
  'values-removed': 'the provider sends fewer values than before',
  'values-restricted': 'the provider now sends only listed values',
  'constraint-added': 'the provider promises more than before',
  'bounds-narrowed': 'the provider sends arrays within narrower bounds than before',
};

const setsEqual = (a: ReadonlySet<JsonType> | undefined, b: ReadonlySet<JsonType> | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.size === b.size && [...a].every((x) => b.has(x));
const json = (v: JsonValue): string => JSON.stringify(v);

/** Property names a schema declares (through composition). */
function declaredKeys(schema: Schema | undefined, depth = 0): string[] {
  if (schema === undefined || typeof schema === 'boolean' || depth > 32) return [];
  const keys: string[] = [];
  const props = schema['properties'];
  if (typeof props === 'object' && props !== null && !Array.isArray(props)) keys.push(...Object.keys(props));
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[k];
    if (Array.isArray(list)) for (const b of list) if (typeof b === 'object' && b !== null && !Array.isArray(b)) keys.push(...declaredKeys(b, depth + 1));
  }
  return [...new Set(keys)];
}

class SchemaDiff {
  readonly changes: RawChange[] = [];

  constructor(
    private readonly part: Part,
    private readonly render: (segments: readonly Segment[]) => string,
  ) {}

  private add(segments: readonly Segment[], kind: ChangeKind, before: JsonValue | undefined, after: JsonValue | undefined, description: string, safeByNature: boolean): void {
    this.changes.push({ part: this.part, path: this.render(segments), kind, before, after, description, safeByNature });
  }

  private name(segments: readonly Segment[]): string {
    const path = this.render(segments);
    if (this.part === 'body') return segments.length === 0 ? 'the payload' : `\`${labelOf(path)}\``;
    return path === 'kafka_key' ? 'the key' : `header \`${path}\``;
  }

  walk(a: Schema | undefined, b: Schema | undefined, segments: Segment[], depth = 0): void {
    if (depth > 64 || (a === undefined && b === undefined)) return;
    const name = this.name(segments);
    const ta = schemaTypes(a);
    const tb = schemaTypes(b);
    let retyped = false;
    if (!setsEqual(ta, tb)) {
      const added = tb === undefined ? undefined : [...tb].filter((t) => ta === undefined || !ta.has(t));
      const before = describeSchema(a);
      const after = describeSchema(b);
      if (added === undefined) {
        this.add(segments, 'type-changed', before, after, `${name} is no longer restricted to ${before}`, false);
        retyped = true;
      } else if (added.length === 0) {
        this.add(segments, 'type-narrowed', before, after, `${name} narrowed from ${before} to ${after}`, true);
      } else if (added.length === 1 && added[0] === 'null') {
        this.add(segments, 'made-nullable', before, after, `${name} may now be null (${after})`, false);
      } else {
        this.add(segments, 'type-changed', before, after, `${name} changed from ${before} to ${after}`, false);
        retyped = true;
      }
    }
    if (!retyped) this.constraints(a, b, segments, name);
    const object = (t: ReadonlySet<JsonType> | undefined): boolean => t === undefined || t.has('object');
    const array = (t: ReadonlySet<JsonType> | undefined): boolean => t === undefined || t.has('array');
    if (object(ta) && object(tb)) {
      for (const key of [...new Set([...declaredKeys(a), ...declaredKeys(b)])]) {
        const pa = schemaProperty(a, key);
        const pb = schemaProperty(b, key);
        const child: Segment[] = [...segments, { key }];
        const childName = this.name(child);
        const inA = pa.declared || pa.viaAdditional;
        const inB = pb.declared || pb.viaAdditional;
        if (inA && !inB) {
          this.add(child, 'field-removed', describeSchema(pa.schema), undefined, `${childName} was removed`, false);
        } else if (!inA && inB) {
          this.add(child, 'field-added', undefined, describeSchema(pb.schema), `${childName} was added (${pb.required ? 'required' : 'optional'}, ${describeSchema(pb.schema)})`, true);
        } else if (inA && inB) {
          if (pa.required && !pb.required) this.add(child, 'made-optional', 'required', 'optional', `${childName} is now optional`, false);
          if (!pa.required && pb.required) this.add(child, 'made-required', 'optional', 'required', `${childName} is now required`, true);
          this.walk(pa.schema, pb.schema, child, depth + 1);
        }
      }
      const ma = schemaMapValues(a);
      const mb = schemaMapValues(b);
      if (ma !== undefined || mb !== undefined) this.walk(ma, mb, [...segments, { anyKey: true }], depth + 1);
    }
    if (array(ta) && array(tb)) {
      this.bounds(a, b, segments, name);
      const ia = schemaItems(a);
      const ib = schemaItems(b);
      if (ia !== undefined || ib !== undefined) this.walk(ia, ib, [...segments, { anyIndex: true }], depth + 1);
    }
  }

  private constraints(a: Schema | undefined, b: Schema | undefined, segments: readonly Segment[], name: string): void {
    const va = schemaValues(a);
    const vb = schemaValues(b);
    if (va !== undefined && vb !== undefined) {
      const added = vb.filter((v) => !va.some((x) => json(x) === json(v)));
      const removed = va.filter((v) => !vb.some((x) => json(x) === json(v)));
      if (added.length > 0) this.add(segments, 'values-added', va as JsonValue, vb as JsonValue, `${name} may now also be ${added.map(json).join(', ')}`, false);
      if (removed.length > 0) this.add(segments, 'values-removed', va as JsonValue, vb as JsonValue, `${name} may no longer be ${removed.map(json).join(', ')}`, true);
    } else if (va !== undefined) {
      this.add(segments, 'values-unrestricted', va as JsonValue, describeSchema(b), `${name} is no longer limited to ${va.map(json).join(', ')}`, false);
    } else if (vb !== undefined) {
      this.add(segments, 'values-restricted', describeSchema(a), vb as JsonValue, `${name} is now limited to ${vb.map(json).join(', ')}`, true);
    }
    for (const keyword of ['pattern', 'format'] as const) {
      const ca = schemaStrings(a, keyword);
      const cb = schemaStrings(b, keyword);
      const gone = ca.filter((x) => !cb.includes(x));
      const fresh = cb.filter((x) => !ca.includes(x));
      if (gone.length > 0 && fresh.length > 0)
        this.add(
          segments,
          'constraint-changed',
          `${keyword} ${gone.join(', ')}`,
          `${keyword} ${fresh.join(', ')}`,
          `${name}'s ${keyword} changed from ${gone.join(', ')} to ${fresh.join(', ')}`,
          false,
        );
      else if (gone.length > 0) this.add(segments, 'constraint-removed', `${keyword} ${gone.join(', ')}`, undefined, `${name} lost its ${keyword} ${gone.join(', ')}`, false);
      else if (fresh.length > 0) this.add(segments, 'constraint-added', undefined, `${keyword} ${fresh.join(', ')}`, `${name} gained the ${keyword} ${fresh.join(', ')}`, true);
    }
  }

  private bounds(a: Schema | undefined, b: Schema | undefined, segments: readonly Segment[], name: string): void {
    const minA = schemaBound(a, 'minItems') ?? 0;
    const minB = schemaBound(b, 'minItems') ?? 0;
    const maxA = schemaBound(a, 'maxItems');
    const maxB = schemaBound(b, 'maxItems');
    if (minB < minA) this.add(segments, 'bounds-widened', `minItems ${minA}`, `minItems ${minB}`, `${name} may now hold fewer items (minItems ${minA} → ${minB})`, false);
    else if (minB > minA) this.add(segments, 'bounds-narrowed', `minItems ${minA}`, `minItems ${minB}`, `${name} now holds at least ${minB} item(s)`, true);
    if (maxA !== undefined && (maxB === undefined || maxB > maxA))
      this.add(segments, 'bounds-widened', `maxItems ${maxA}`, maxB === undefined ? 'no maximum' : `maxItems ${maxB}`, `${name} may now hold more items (maxItems ${maxA} → ${maxB ?? 'none'})`, false);
    else if (maxB !== undefined && (maxA === undefined || maxB < maxA))
      this.add(segments, 'bounds-narrowed', maxA === undefined ? 'no maximum' : `maxItems ${maxA}`, `maxItems ${maxB}`, `${name} now holds at most ${maxB} item(s)`, true);
  }
}

function channelKey(m: SpecMessage): string {
  const c = m.channel;
  if (c === undefined) return '';
  return c.kafkaTopic ?? (c.amqp !== undefined ? `${c.amqp.exchange ?? ''}|${c.amqp.queue ?? ''}|${c.address ?? ''}` : (c.address ?? c.id));
}

/** Pairs the provider's messages of two spec versions: same channel and id, else same channel and name. */
function pairMessages(before: readonly SpecMessage[], after: readonly SpecMessage[]): { pairs: [SpecMessage, SpecMessage][]; removed: SpecMessage[]; added: SpecMessage[] } {
  const left = before.filter((m) => m.action !== 'receive');
  const right = new Set(after.filter((m) => m.action !== 'receive'));
  const pairs: [SpecMessage, SpecMessage][] = [];
  const removed: SpecMessage[] = [];
  const keys: ((m: SpecMessage) => string)[] = [(m) => `${channelKey(m)}\u0000${m.id}`, (m) => `${channelKey(m)}\u0000${m.name ?? m.title ?? m.id}`];
  for (const a of left) {
    let match: SpecMessage | undefined;
    for (const key of keys) {
      match = [...right].find((b) => key(b) === key(a));
      if (match !== undefined) break;
    }
    if (match === undefined && left.length === 1 && right.size === 1 && channelKey(a) === '') match = [...right][0];
    if (match === undefined) removed.push(a);
    else {
      right.delete(match);
      pairs.push([a, match]);
    }
  }
  return { pairs, removed, added: [...right] };
}

function structuralChanges(a: SpecMessage, b: SpecMessage): RawChange[] {
  const body = new SchemaDiff('body', pathOf);
  body.walk(a.payload, b.payload, []);
  const headers = new SchemaDiff('metadata', (segments) => {
    const first = segments[0];
    return first !== undefined && 'key' in first ? first.key + pathOf(segments.slice(1)).slice(1) : '$';
  });
  headers.walk(a.headers, b.headers, []);
  const key = new SchemaDiff('metadata', (segments) => (segments.length === 0 ? 'kafka_key' : `kafka_key${pathOf(segments).slice(1)}`));
  key.walk(a.key, b.key, []);
  const changes = [...body.changes, ...headers.changes.filter((c) => c.path !== '$'), ...key.changes];
  if ((a.contentType ?? '') !== (b.contentType ?? '') && a.contentType !== undefined && b.contentType !== undefined) {
    changes.push({
      part: 'message',
      path: '$',
      kind: 'content-type-changed',
      before: a.contentType,
      after: b.contentType,
      description: `the content type changed from ${a.contentType} to ${b.contentType}`,
      safeByNature: false,
    });
  }
  return changes;
}

interface Checked {
  readonly contract: Contract;
  readonly interaction: MessageInteraction;
  readonly before: CompareResult;
  readonly after: CompareResult;
}

const findingId = (f: Finding): string => `${f.part}\u0000${f.path}\u0000${f.code}\u0000${f.message}`;

/** New incompatibilities of an interaction at `path` or below it. */
function newProblems(checked: Checked, part: Part, path: string): Finding[] {
  const old = new Set(checked.before.findings.map(findingId));
  return checked.after.findings.filter((f) => f.severity === 'incompatible' && !old.has(findingId(f)) && (part === 'message' || (f.part === part && within(f.path, path))));
}

const within = (path: string, prefix: string): boolean => path === prefix || (path.startsWith(prefix) && /^[.[]/.test(path.slice(prefix.length))) || prefix === '$';

/** Whether the interaction's consumer reads `path` (or something below it). */
function reads(interaction: MessageInteraction, part: Part, path: string, allFields: boolean): boolean {
  const req = messageRequirements(interaction, { allFields });
  if (part === 'message') return true;
  if (part === 'metadata') {
    if (path.startsWith('kafka_key')) return req.key?.used === true;
    const name = path.split(/[.[]/)[0] ?? path;
    return req.headers.some((h) => h.path === name && h.used);
  }
  return flatten(req.payload).some((r) => r.used && r.path !== '$' && within(r.path, path));
}

/**
 * Classifies every change between two versions of a provider's spec, naming the consumers and
 * interactions a breaking change affects.
 *
 * @example
 * const report = diffSpecs(await loadSpec('asyncapi.v1.yaml'), await loadSpec('asyncapi.v2.yaml'), contracts);
 * report.changes.filter((c) => c.classification === 'breaking').map((c) => [c.path, c.affected.map((a) => a.consumer)]) // [['$.stock', ['materials']]]
 */
export function diffSpecs(before: Spec, after: Spec, contracts: readonly Contract[] = [], options: DiffOptions = {}): DiffReport {
  const provider = contracts.length === 0 ? options.provider : chooseProvider(contracts, options.provider, 'diff', [after.title, before.title]);
  const checked: Checked[] = [];
  for (const contract of contracts) {
    if (contract.provider !== provider) continue;
    for (const interaction of contract.interactions) {
      const context = { consumer: contract.consumer, provider: contract.provider, ...(contract.source === undefined ? {} : { contractFile: contract.source }) };
      const compareOptions = options.checkAllDeclaredFields === true ? { checkAllDeclaredFields: true } : {};
      checked.push({ contract, interaction, before: compareInteraction(interaction, before, context, compareOptions), after: compareInteraction(interaction, after, context, compareOptions) });
    }
  }
  const withContracts = contracts.length > 0;
  const changes: SpecChange[] = [];
  const attributed = new Set<string>();
  const classify = (raw: RawChange, message: SpecMessage, onMessage: readonly Checked[]): SpecChange => {
    const base = { message: describeSpecMessage(message), part: raw.part, path: raw.path, kind: raw.kind, before: raw.before, after: raw.after, description: raw.description };
    if (raw.safeByNature) return { ...base, classification: 'safe', reason: SAFE_REASONS[raw.kind] ?? 'the provider sends nothing it could not send before', affected: [] };
    if (!withContracts) return { ...base, classification: 'breaking', reason: 'it may break consumers (no contracts given to check who reads it)', affected: [] };
    const affected: AffectedInteraction[] = [];
    const readers: string[] = [];
    for (const c of onMessage) {
      const reading = reads(c.interaction, raw.part, raw.path, options.checkAllDeclaredFields === true);
      if (reading) readers.push(c.contract.consumer);
      const problems = newProblems(c, raw.part, raw.path);
      for (const p of problems) attributed.add(`${c.contract.consumer}\u0000${c.interaction.description}\u0000${findingId(p)}`);
      const first = problems[0];
      const reason =
        first?.message ??
        (reading && (raw.kind === 'made-optional' || raw.kind === 'made-nullable')
          ? `${c.contract.consumer} reads ${raw.path === '$' ? 'the message' : `\`${labelOf(raw.path)}\``}, which the provider may now ${raw.kind === 'made-optional' ? 'leave out' : 'send as null'}`
          : undefined);
      if (reason !== undefined)
        affected.push({ consumer: c.contract.consumer, interaction: c.interaction.description, ...(c.before.contractFile === undefined ? {} : { contractFile: c.before.contractFile }), reason });
    }
    if (affected.length > 0) {
      const names = [...new Set(affected.map((a) => a.consumer))];
      return { ...base, classification: 'breaking', reason: `it breaks ${names.join(', ')}: ${affected[0]?.reason ?? ''}`, affected };
    }
    const who = [...new Set(readers)];
    if (who.length > 0) return { ...base, classification: 'safe', reason: `${who.join(', ')} read${who.length === 1 ? 's' : ''} it and accept${who.length === 1 ? 's' : ''} the change`, affected: [] };
    return { ...base, classification: 'safe', reason: 'unused by any consumer', affected: [] };
  };
  const matched = (c: Checked, side: 'before' | 'after', m: SpecMessage): boolean => c[side].specMessage?.id === m.id && c[side].specMessage.describe === describeSpecMessage(m);
  const { pairs, removed, added } = pairMessages(before.messages, after.messages);
  for (const m of removed) {
    const onMessage = checked.filter((c) => matched(c, 'before', m));
    const change = classify(
      { part: 'message', path: '$', kind: 'message-removed', before: describeSpecMessage(m), after: undefined, description: `the message ${describeSpecMessage(m)} was removed`, safeByNature: false },
      m,
      onMessage,
    );
    // Whoever read the removed message is affected, even if another message now happens to fit.
    const affected = onMessage.map((c): AffectedInteraction => {
      const problem = newProblems(c, 'message', '$')[0]?.message;
      const instead = c.after.specMessage === undefined ? '' : `; it now matches only ${c.after.specMessage.describe}`;
      return {
        consumer: c.contract.consumer,
        interaction: c.interaction.description,
        ...(c.before.contractFile === undefined ? {} : { contractFile: c.before.contractFile }),
        reason: problem ?? `${c.contract.consumer} reads ${m.name ?? m.id}, which the new spec no longer has${instead}`,
      };
    });
    changes.push(
      affected.length === 0
        ? change
        : { ...change, classification: 'breaking', reason: `it breaks ${[...new Set(affected.map((a) => a.consumer))].join(', ')}: ${affected[0]?.reason ?? ''}`, affected },
    );
  }
  for (const m of added) {
    changes.push(
      classify(
        { part: 'message', path: '$', kind: 'message-added', before: undefined, after: describeSpecMessage(m), description: `the message ${describeSpecMessage(m)} was added`, safeByNature: true },
        m,
        [],
      ),
    );
  }
  for (const [a, b] of pairs) {
    const onMessage = checked.filter((c) => matched(c, 'before', a));
    for (const raw of structuralChanges(a, b)) changes.push(classify(raw, b, onMessage));
  }
  // Anything that breaks a consumer and no change above explains is reported as is.
  for (const c of checked) {
    for (const f of newProblems(c, 'message', '$')) {
      if (attributed.has(`${c.contract.consumer}\u0000${c.interaction.description}\u0000${findingId(f)}`)) continue;
      changes.push({
        message: c.after.specMessage?.describe ?? c.before.specMessage?.describe ?? c.interaction.description,
        part: f.part,
        path: f.path,
        kind: 'other',
        before: f.expected,
        after: f.actual,
        description: f.message,
        classification: 'breaking',
        reason: `it breaks ${c.contract.consumer}: ${f.message}`,
        affected: [
          { consumer: c.contract.consumer, interaction: c.interaction.description, ...(c.before.contractFile === undefined ? {} : { contractFile: c.before.contractFile }), reason: f.message },
        ],
      });
    }
  }
  const breaking = changes.filter((c) => c.classification === 'breaking').length;
  return {
    old: specSummary(before),
    new: specSummary(after),
    ...(provider === undefined ? {} : { provider }),
    summary: { changes: changes.length, breaking, safe: changes.length - breaking, interactions: checked.length, ok: breaking === 0 },
    changes,
  };
}
