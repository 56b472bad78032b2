/**
 * Schema evolution: can a reader schema read what a writer schema wrote? avsc answers yes or no
 * (`readerType.createResolver(writerType)`); this module walks both schemas to say why not, field
 * by field, in the words of Avro's resolution rules (issue codes are Avro's / Confluent's
 * SchemaIncompatibilityType names), and applies Confluent's compatibility modes to a subject's
 * history.
 *
 * @example
 * checkReaderWriter(shippingSchema, ordersV3, { reader: 'shipping', writer: 'writer schema v3' })
 * // → [{ code: 'TYPE_MISMATCH', path: '$.stock', message: 'shipping reads `stock` as string; writer schema v3 makes it int', … }]
 */
import avro from 'avsc';
import { pathOf, type Segment } from '../matchers/compile';
import { describeType } from './json';
import { parseAvroSchema, type AvroSchemaSource } from './schema';

export type SchemaIncompatibility =
  | 'TYPE_MISMATCH' // the writer's type cannot be read as the reader's (no promotion)
  | 'READER_FIELD_MISSING_DEFAULT_VALUE' // the reader has a field the writer lacks, with no default
  | 'MISSING_ENUM_SYMBOLS' // the writer can write symbols the reader's enum lacks (and no enum default)
  | 'MISSING_UNION_BRANCH' // the writer can write a branch no reader branch reads
  | 'NAME_MISMATCH' // named types (record, enum, fixed) with different full names and no alias
  | 'FIXED_SIZE_MISMATCH';

/** Why one schema cannot read another, at one place. */
export interface SchemaIssue {
  readonly code: SchemaIncompatibility;
  /** Where, in the reader's terms (Pact path): `$.items[*].stock`; `$` is the value itself. */
  readonly path: string;
  /** The reader's type there, described (`string`, `record com.acme.Item`, `[null, string]`). */
  readonly reader: string;
  /** The writer's type there, described. */
  readonly writer: string;
  readonly message: string;
}

export interface ReaderWriterLabels {
  /** Who reads, for messages: a consumer name, "version 2"… (default "the reader"). */
  readonly reader?: string;
  /** Who writes: "writer schema v3", "the new schema"… (default "the writer schema"). */
  readonly writer?: string;
}

type Schemaish = AvroSchemaSource | avro.Type;

const toType = (schema: Schemaish, where: string): avro.Type => (avro.Type.isType(schema) ? (schema as avro.Type) : parseAvroSchema(schema, where));

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

function unwrapLogical(type: avro.Type): avro.Type {
  return type.typeName.startsWith('logical:') ? (type as avro.types.LogicalType).underlyingType : type;
}

const isUnion = (type: avro.Type): type is avro.types.UnwrappedUnionType => type.typeName.startsWith('union');

function fieldName(segments: readonly Segment[]): string {
  const path = pathOf(segments);
  return path === '$' ? 'the value' : `\`${path.slice(2)}\``;
}

class Checker {
  readonly issues: SchemaIssue[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly labels: Required<ReaderWriterLabels>) {}

  private add(code: SchemaIncompatibility, at: readonly Segment[], reader: avro.Type, writer: avro.Type, message: string): void {
    this.issues.push({ code, path: pathOf(at), reader: describeType(reader), writer: describeType(writer), message });
  }

  private namesMatch(reader: avro.Type, writer: avro.Type): boolean {
    if (reader.name === writer.name) return true;
    return (reader.aliases ?? []).includes(writer.name ?? '');
  }

  /** True when `reader` reads `writer` with no issue (used to pick union branches). */
  private reads(reader: avro.Type, writer: avro.Type, at: Segment[]): boolean {
    const probe = new Checker(this.labels);
    for (const key of this.seen) probe.seen.add(key);
    probe.check(reader, writer, at);
    return probe.issues.length === 0;
  }

  check(readerIn: avro.Type, writerIn: avro.Type, at: Segment[]): void {
    const { reader: R, writer: W } = this.labels;
    const reader = unwrapLogical(readerIn);
    const writer = unwrapLogical(writerIn);

    if (isUnion(writer)) {
      // Every branch the writer may write must be readable.
      const unreadable = writer.types.filter((branch) => !this.reads(reader, branch, at));
      if (unreadable.length === 0) return;
      if (!isUnion(reader) && unreadable.length === 1 && writer.types.length === 1) {
        this.check(reader, unreadable[0] as avro.Type, at);
        return;
      }
      if (!isUnion(reader) && unreadable.length === writer.types.length) {
        this.add('TYPE_MISMATCH', at, readerIn, writerIn, `${R} reads ${fieldName(at)} as ${describeType(readerIn)}; ${W} makes it ${describeType(writerIn)}`);
        return;
      }
      this.add('MISSING_UNION_BRANCH', at, readerIn, writerIn, `${W} can write ${fieldName(at)} as ${unreadable.map(describeType).join(' or ')}, which ${R} cannot read as ${describeType(readerIn)}`);
      return;
    }
    if (isUnion(reader)) {
      if (reader.types.some((branch) => this.reads(branch, writer, at))) return;
      // A single named branch of the same name: report what is wrong inside it.
      const sameName = reader.types.find((b) => NAMED.has(b.typeName) && b.typeName === writer.typeName && this.namesMatch(b, writer));
      if (sameName !== undefined) {
        this.check(sameName, writer, at);
        return;
      }
      this.add('MISSING_UNION_BRANCH', at, readerIn, writerIn, `${W} makes ${fieldName(at)} ${describeType(writerIn)}, which no branch of ${R}'s union ${describeType(readerIn)} reads`);
      return;
    }

    const r = reader.typeName;
    const w = writer.typeName;
    const sameKind = r === w || ((r === 'record' || r === 'error') && (w === 'record' || w === 'error'));
    if (!sameKind) {
      if ((PROMOTIONS[w] ?? []).includes(r)) return;
      this.add('TYPE_MISMATCH', at, readerIn, writerIn, `${R} reads ${fieldName(at)} as ${describeType(readerIn)}; ${W} makes it ${describeType(writerIn)}`);
      return;
    }
    if (NAMED.has(r) && !this.namesMatch(reader, writer)) {
      this.add(
        'NAME_MISMATCH',
        at,
        readerIn,
        writerIn,
        `${R} reads ${fieldName(at)} as ${describeType(readerIn)}; ${W} names it ${writer.name ?? '?'} (rename it, or add "${writer.name ?? ''}" to the reader's aliases)`,
      );
      return;
    }
    switch (r) {
      case 'record':
      case 'error':
        this.record(reader as avro.types.RecordType, writer as avro.types.RecordType, at);
        return;
      case 'enum': {
        const readerEnum = reader as avro.types.EnumType & { default?: string };
        const missing = (writer as avro.types.EnumType).symbols.filter((s) => !readerEnum.symbols.includes(s));
        if (missing.length > 0 && readerEnum.default === undefined) {
          this.add(
            'MISSING_ENUM_SYMBOLS',
            at,
            readerIn,
            writerIn,
            `${W} can write ${fieldName(at)} as ${missing.join(', ')}, which ${R}'s ${describeType(readerIn)} does not have (symbols: ${readerEnum.symbols.join(', ')}; no default symbol)`,
          );
        }
        return;
      }
      case 'fixed': {
        const rs = (reader as avro.types.FixedType).size;
        const ws = (writer as avro.types.FixedType).size;
        if (rs !== ws) this.add('FIXED_SIZE_MISMATCH', at, readerIn, writerIn, `${R} reads ${fieldName(at)} as ${describeType(readerIn)} of ${rs} bytes; ${W} makes it ${ws} bytes`);
        return;
      }
      case 'array':
        this.check((reader as avro.types.ArrayType).itemsType, (writer as avro.types.ArrayType).itemsType, [...at, { anyIndex: true }]);
        return;
      case 'map':
        this.check((reader as avro.types.MapType).valuesType as avro.Type, (writer as avro.types.MapType).valuesType as avro.Type, [...at, { anyKey: true }]);
        return;
      default:
        return; // same primitive
    }
  }

  private record(reader: avro.types.RecordType, writer: avro.types.RecordType, at: Segment[]): void {
    const recursion = `${reader.name ?? ''}<-${writer.name ?? ''}`;
    if (this.seen.has(recursion)) return; // recursive schema: already being checked further up
    this.seen.add(recursion);
    const { reader: R, writer: W } = this.labels;
    for (const field of reader.fields) {
      const names = [field.name, ...(field.aliases ?? [])];
      const written = writer.fields.find((f) => names.includes(f.name));
      const fieldAt: Segment[] = [...at, { key: field.name }];
      if (written === undefined) {
        if (field.defaultValue() === undefined) {
          this.issues.push({
            code: 'READER_FIELD_MISSING_DEFAULT_VALUE',
            path: pathOf(fieldAt),
            reader: describeType(field.type),
            writer: 'absent',
            message: `${R} reads ${fieldName(fieldAt)} (${describeType(field.type)}), which ${W} does not have, and ${R} gives it no default`,
          });
        }
        continue;
      }
      this.check(field.type, written.type, fieldAt);
    }
    this.seen.delete(recursion);
  }
}

/**
 * Checks that `reader` can read data written with `writer`, per Avro's schema resolution, and
 * explains each problem by field. An empty list means compatible.
 */
export function checkReaderWriter(reader: Schemaish, writer: Schemaish, labels: ReaderWriterLabels = {}): SchemaIssue[] {
  const full = { reader: labels.reader ?? 'the reader', writer: labels.writer ?? 'the writer schema' };
  const readerType = toType(reader, `the reader schema (${full.reader})`);
  const writerType = toType(writer, `the writer schema (${full.writer})`);
  const checker = new Checker(full);
  checker.check(readerType, writerType, []);
  if (checker.issues.length > 0) return checker.issues;
  try {
    readerType.createResolver(writerType);
  } catch (error) {
    // avsc refuses what the walk allowed: never report compatible when decoding would fail.
    return [
      {
        code: 'TYPE_MISMATCH',
        path: '$',
        reader: describeType(readerType),
        writer: describeType(writerType),
        message: `${full.reader} cannot read data written with ${full.writer}: ${(error as Error).message}`,
      },
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Confluent compatibility modes

export const COMPATIBILITY_MODES = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (COMPATIBILITY_MODES as readonly string[]).includes(value);
}

/** One registered version of a subject. */
export interface SubjectVersion {
  readonly version: number;
  readonly schema: Schemaish;
}

/** A problem found against one earlier version, in one direction. */
export interface CompatibilityIssue extends SchemaIssue {
  readonly version: number;
  /** backward: the new schema cannot read that version's data; forward: that version cannot read the new schema's data. */
  readonly direction: 'backward' | 'forward';
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly mode: CompatibilityMode;
  /** Versions the candidate was checked against. */
  readonly checked: readonly number[];
  readonly issues: readonly CompatibilityIssue[];
}

/**
 * Decides whether `candidate` may be registered after `history` (oldest first) under `mode`:
 * BACKWARD — the new schema reads data of the latest version; FORWARD — the latest version reads
 * the new schema's data; FULL — both; *_TRANSITIVE — against every version, not only the latest;
 * NONE — always.
 *
 * @example
 * const result = checkCompatibility(v3, [{ version: 1, schema: v1 }, { version: 2, schema: v2 }], 'BACKWARD_TRANSITIVE');
 * if (!result.compatible) console.log(formatCompatibility(result));
 */
export function checkCompatibility(candidate: Schemaish, history: readonly SubjectVersion[], mode: CompatibilityMode): CompatibilityResult {
  const newType = toType(candidate, 'the new schema');
  if (mode === 'NONE' || history.length === 0) return { compatible: true, mode, checked: [], issues: [] };
  const ordered = [...history].sort((a, b) => a.version - b.version);
  const against = mode.endsWith('_TRANSITIVE') ? ordered : ordered.slice(-1);
  const backward = mode.startsWith('BACKWARD') || mode.startsWith('FULL');
  const forward = mode.startsWith('FORWARD') || mode.startsWith('FULL');
  const issues: CompatibilityIssue[] = [];
  for (const { version, schema } of against) {
    const old = toType(schema, `version ${version}`);
    if (backward) {
      for (const issue of checkReaderWriter(newType, old, { reader: 'the new schema', writer: `version ${version}` })) issues.push({ ...issue, version, direction: 'backward' });
    }
    if (forward) {
      for (const issue of checkReaderWriter(old, newType, { reader: `version ${version}`, writer: 'the new schema' })) issues.push({ ...issue, version, direction: 'forward' });
    }
  }
  return { compatible: issues.length === 0, mode, checked: against.map((v) => v.version), issues };
}

/** One line per issue: `version 2, $.stock (TYPE_MISMATCH): …`. */
export function formatCompatibility(result: CompatibilityResult): string {
  if (result.compatible) return `compatible (${result.mode}${result.checked.length === 0 ? '' : `, checked against version ${result.checked.join(', ')}`})`;
  return result.issues.map((i) => `version ${i.version}, ${i.path} (${i.code}): ${i.message}`).join('\n');
}

/** One line per issue, for reader/writer checks. */
export function formatSchemaIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path} (${i.code}): ${i.message}`).join('\n');
}
