/**
 * Avro logical types in Herald's contract JSON form (docs/avro.md, "JSON form"): avsc reads them
 * straight into the values a contract holds and writes them from those values.
 *
 *   timestamp-millis / timestamp-micros        ISO 8601 UTC text, "2024-01-15T09:30:00.000Z" (micros: 6 digits)
 *   local-timestamp-millis / -micros           the same without the zone, "2024-01-15T09:30:00.000"
 *   date                                       "2024-01-15"
 *   time-millis / time-micros                  "09:30:00.000" / "09:30:00.000000"
 *   decimal (bytes or fixed)                   exact decimal text with the schema's scale, "12.50"
 *   uuid (string)                              the UUID text, checked for its format
 *
 * Writing also accepts a Date (timestamps, dates) or a number (the underlying value, or the
 * decimal's value), so provider records built with plain avsc values convert too.
 */
import avro from 'avsc';

type AvroType = avro.Type;
type Schema = avro.Schema;

const MS_PER_DAY = 86_400_000;
const DATETIME = /^(\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DECIMAL = /^[+-]?(\d+)(?:\.(\d+))?$/;

function attr(schema: Schema, name: string): unknown {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as unknown as Record<string, unknown>)[name] : undefined;
}

/** The fraction digits of an ISO text (`.123456789` → 123456789 ns), to keep micros exact. */
function fractionNanos(text: string): number {
  const match = /\.(\d{1,9})/.exec(text);
  return match === null ? 0 : Number((match[1] as string).padEnd(9, '0'));
}

function parseDateTime(value: unknown, local: boolean): { ms: number; nanos: number } | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { ms: value.getTime(), nanos: (value.getTime() % 1000) * 1e6 };
  if (typeof value !== 'string' || !DATETIME.test(value)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  if (local && zoned) return undefined;
  // Date.parse reads a zone-less date-time as local time: read local timestamps as UTC wall time.
  const ms = Date.parse(local || !zoned ? `${value}Z` : value);
  return Number.isNaN(ms) ? undefined : { ms: Math.floor(ms / 1000) * 1000 + Math.floor(fractionNanos(value) / 1e6), nanos: fractionNanos(value) };
}

function isoOf(ms: number, microsExtra: number | undefined, local: boolean): string {
  const iso = new Date(ms).toISOString();
  const withMicros = microsExtra === undefined ? iso : iso.replace(/\.(\d{3})Z$/, (_, milli: string) => `.${milli}${String(microsExtra).padStart(3, '0')}Z`);
  return local ? withMicros.replace(/Z$/, '') : withMicros;
}

abstract class HeraldLogicalType extends avro.types.LogicalType {
  /** Writer types this logical type reads: its own name, or its underlying primitive. */
  protected override _resolve(type: AvroType): ((value: unknown) => unknown) | undefined {
    if (type.typeName === this.typeName && this.sameParameters(type)) return (value) => value;
    const writer = avro.Type.isType(type, 'logical') ? (type as avro.types.LogicalType).underlyingType : type;
    try {
      this.underlyingType.createResolver(writer);
    } catch {
      return undefined;
    }
    const toUnderlying = avro.Type.isType(type, 'logical') ? (value: unknown) => (type as unknown as { _toValue(v: unknown): unknown })._toValue(value) : (value: unknown) => value;
    return (value) => this._fromValue(toUnderlying(value));
  }

  protected sameParameters(_type: AvroType): boolean {
    return true;
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

class TimestampType extends HeraldLogicalType {
  private readonly micros: boolean;
  private readonly local: boolean;
  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    const name = String(attr(schema, 'logicalType'));
    this.micros = name.endsWith('micros');
    this.local = name.startsWith('local-');
    if (!avro.Type.isType(this.underlyingType, 'long')) throw new Error(`${name} needs a long`);
  }
  protected override _fromValue(value: unknown): string {
    const n = Number(value);
    if (!this.micros) return isoOf(n, undefined, this.local);
    const ms = Math.floor(n / 1000);
    return isoOf(ms, n - ms * 1000, this.local);
  }
  protected override _toValue(value: unknown): number | undefined {
    if (typeof value === 'number') return numberOrUndefined(value);
    const parsed = parseDateTime(value, this.local);
    if (parsed === undefined) return undefined;
    return this.micros ? parsed.ms * 1000 + (Math.floor(parsed.nanos / 1000) % 1000) : parsed.ms;
  }
}

class DateType extends HeraldLogicalType {
  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    if (!avro.Type.isType(this.underlyingType, 'int')) throw new Error('date needs an int');
  }
  protected override _fromValue(value: unknown): string {
    return new Date(Number(value) * MS_PER_DAY).toISOString().slice(0, 10);
  }
  protected override _toValue(value: unknown): number | undefined {
    if (typeof value === 'number') return numberOrUndefined(value);
    if (value instanceof Date) return Math.floor(value.getTime() / MS_PER_DAY);
    if (typeof value !== 'string') return undefined;
    const match = DATE.exec(value);
    if (match === null) return undefined;
    const ms = Date.parse(`${value}T00:00:00Z`);
    // Date.parse rolls 2024-02-30 over to March: reject dates that do not exist.
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value.replace(/^\+0*(\d{4,})/, '$1')) return undefined;
    return ms / MS_PER_DAY;
  }
}

class TimeType extends HeraldLogicalType {
  private readonly micros: boolean;
  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    this.micros = String(attr(schema, 'logicalType')) === 'time-micros';
    if (!avro.Type.isType(this.underlyingType, this.micros ? 'long' : 'int')) throw new Error('time type on the wrong underlying type');
  }
  protected override _fromValue(value: unknown): string {
    const unit = this.micros ? 1000 : 1;
    const n = Number(value);
    const fraction = n % (1000 * unit);
    const seconds = Math.floor(n / (1000 * unit));
    const pad = (v: number, width = 2): string => String(v).padStart(width, '0');
    return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(fraction, this.micros ? 6 : 3)}`;
  }
  protected override _toValue(value: unknown): number | undefined {
    if (typeof value === 'number') return numberOrUndefined(value);
    if (typeof value !== 'string') return undefined;
    const match = TIME.exec(value);
    if (match === null) return undefined;
    const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
    if (h > 23 || m > 59 || s > 59) return undefined;
    const nanos = Number((match[4] ?? '').padEnd(9, '0'));
    const seconds = h * 3600 + m * 60 + s;
    return this.micros ? seconds * 1e6 + Math.floor(nanos / 1000) : seconds * 1000 + Math.floor(nanos / 1e6);
  }
}

class UuidType extends HeraldLogicalType {
  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    if (!avro.Type.isType(this.underlyingType, 'string')) throw new Error('uuid needs a string');
  }
  protected override _fromValue(value: unknown): unknown {
    return value;
  }
  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }
}

/** Two's-complement big-endian bytes of `n`, at least one byte, or exactly `size` bytes. */
function toTwosComplement(n: bigint, size: number | undefined): Buffer | undefined {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!(v === 0n && (bytes[0] as number) < 0x80) && !(v === -1n && (bytes[0] as number) >= 0x80));
  if (size === undefined) return Buffer.from(bytes);
  if (bytes.length > size) return undefined;
  const fill = n < 0n ? 0xff : 0x00;
  return Buffer.from([...Array.from({ length: size - bytes.length }, () => fill), ...bytes]);
}

function fromTwosComplement(buf: Buffer): bigint {
  if (buf.length === 0) return 0n;
  let n = 0n;
  for (const b of buf) n = (n << 8n) | BigInt(b);
  return (buf[0] as number) & 0x80 ? n - (1n << BigInt(buf.length * 8)) : n;
}

class DecimalType extends HeraldLogicalType {
  readonly precision: number;
  readonly scale: number;
  private readonly size: number | undefined;
  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    const precision = attr(schema, 'precision');
    const scale = attr(schema, 'scale') ?? 0;
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) throw new Error('decimal needs a positive precision');
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) throw new Error('decimal scale out of range');
    const underlying = this.underlyingType;
    if (avro.Type.isType(underlying, 'fixed')) this.size = (underlying as avro.types.FixedType).size;
    else if (avro.Type.isType(underlying, 'bytes')) this.size = undefined;
    else throw new Error('decimal needs bytes or fixed');
    this.precision = precision;
    this.scale = scale;
  }
  protected override sameParameters(type: AvroType): boolean {
    return type instanceof DecimalType && type.scale === this.scale;
  }
  /** Another decimal scale: rescale the text ("12.5" read with scale 2 is "12.50"); digits that do not fit fail decoding. */
  protected override _resolve(type: AvroType): ((value: unknown) => unknown) | undefined {
    if (!(type instanceof DecimalType) || type.scale === this.scale) return super._resolve(type);
    return (value) => {
      const bytes = this._toValue(value);
      if (bytes === undefined) throw new Error(`the decimal ${String(value)} does not fit scale ${this.scale} and precision ${this.precision}`);
      return this._fromValue(bytes);
    };
  }
  protected override _fromValue(value: unknown): string {
    const n = fromTwosComplement(value as Buffer);
    const negative = n < 0n;
    const digits = (negative ? -n : n).toString().padStart(this.scale + 1, '0');
    const text = this.scale === 0 ? digits : `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
    return negative ? `-${text}` : text;
  }
  protected override _toValue(value: unknown): Buffer | undefined {
    let text: string;
    if (typeof value === 'string') text = value.trim();
    else if (typeof value === 'number' && Number.isFinite(value)) text = value.toFixed(this.scale);
    else if (Buffer.isBuffer(value)) return value;
    else return undefined;
    const match = DECIMAL.exec(text);
    if (match === null) return undefined;
    const fraction = match[2] ?? '';
    // Only trailing zeros may go past the scale: "12.50" fits scale 2, "12.505" does not.
    if (fraction.length > this.scale && !/^0*$/.test(fraction.slice(this.scale))) return undefined;
    const unscaled = `${match[1] as string}${fraction.slice(0, this.scale).padEnd(this.scale, '0')}`.replace(/^0+(?=\d)/, '');
    if (unscaled.length > this.precision) return undefined;
    const n = BigInt(unscaled) * (text.startsWith('-') ? -1n : 1n);
    return toTwosComplement(n, this.size);
  }
}

/** The logical types Herald registers with avsc. */
export const HERALD_LOGICAL_TYPES: Readonly<Record<string, new (schema: Schema, opts?: unknown) => avro.types.LogicalType>> = {
  'timestamp-millis': TimestampType,
  'timestamp-micros': TimestampType,
  'local-timestamp-millis': TimestampType,
  'local-timestamp-micros': TimestampType,
  date: DateType,
  'time-millis': TimeType,
  'time-micros': TimeType,
  uuid: UuidType,
  decimal: DecimalType,
};

/** Describes what the JSON form of a logical type looks like, for error messages. */
export function logicalFormOf(logicalType: string): string | undefined {
  const forms: Record<string, string> = {
    'timestamp-millis': 'an ISO 8601 date-time such as "2024-01-15T09:30:00.000Z"',
    'timestamp-micros': 'an ISO 8601 date-time such as "2024-01-15T09:30:00.000000Z"',
    'local-timestamp-millis': 'a date-time without zone such as "2024-01-15T09:30:00.000"',
    'local-timestamp-micros': 'a date-time without zone such as "2024-01-15T09:30:00.000000"',
    date: 'a date such as "2024-01-15"',
    'time-millis': 'a time such as "09:30:00.000"',
    'time-micros': 'a time such as "09:30:00.000000"',
    uuid: 'a UUID such as "6f1c2b9e-8a43-4b7e-9d1c-2f5e8a7b3c10"',
    decimal: 'decimal text such as "12.50", within the precision and scale',
  };
  return forms[logicalType];
}
