/**
 * Date/time patterns as Pact writes them (Java DateTimeFormatter letters, e.g.
 * "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"): parse a pattern once, then validate values against it and
 * format dates with it (for generators). Unsupported letters are refused, never ignored.
 */
import { HeraldError } from '../errors/herald-error';

type Field = 'year' | 'month' | 'day' | 'dayOfYear' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'ampm' | 'other';

interface Token {
  readonly regex: string;
  readonly field: Field;
  readonly format: (d: Date) => string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
const names = (list: readonly string[], short: boolean): string =>
  `(${list.map((n) => (short ? n.slice(0, 3) : n)).join('|')})`;

function numeric(field: Field, count: number, value: (d: Date) => number, maxDigits = 2): Token {
  const regex = count === 1 ? `(\\d{1,${maxDigits}})` : `(\\d{${count}})`;
  return { regex, field, format: (d) => pad(value(d), count) };
}

function offset(letter: 'X' | 'x' | 'Z', count: number): Token {
  const zulu = letter === 'X' ? 'Z|' : '';
  const body = count === 1 ? '[+-]\\d{2}(?:\\d{2})?' : count === 2 || letter === 'Z' ? '[+-]\\d{4}' : '[+-]\\d{2}:\\d{2}';
  const utc = letter === 'X' ? 'Z' : count === 3 ? '+00:00' : count === 1 ? '+00' : '+0000';
  return { regex: `(${zulu}${body})`, field: 'other', format: () => utc };
}

function tokenFor(letter: string, count: number, pattern: string): Token {
  switch (letter) {
    case 'y':
    case 'u':
      if (count === 2) return { regex: '(\\d{2})', field: 'other', format: (d) => pad(d.getUTCFullYear() % 100, 2) };
      return { regex: count === 1 ? '(\\d{1,9})' : `(\\d{${count},9})`, field: 'year', format: (d) => pad(d.getUTCFullYear(), count) };
    case 'M':
    case 'L':
      if (count >= 4) return { regex: names(MONTHS, false), field: 'other', format: (d) => MONTHS[d.getUTCMonth()] ?? '' };
      if (count === 3) return { regex: names(MONTHS, true), field: 'other', format: (d) => (MONTHS[d.getUTCMonth()] ?? '').slice(0, 3) };
      return numeric('month', count, (d) => d.getUTCMonth() + 1);
    case 'd':
      return numeric('day', count, (d) => d.getUTCDate());
    case 'D':
      return numeric('dayOfYear', count, (d) => dayOfYear(d), 3);
    case 'E':
      return count >= 4
        ? { regex: names(DAYS, false), field: 'other', format: (d) => DAYS[d.getUTCDay()] ?? '' }
        : { regex: names(DAYS, true), field: 'other', format: (d) => (DAYS[d.getUTCDay()] ?? '').slice(0, 3) };
    case 'a':
      return { regex: '(AM|PM|am|pm)', field: 'ampm', format: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM') };
    case 'H':
    case 'k':
      return numeric('hour', count, (d) => d.getUTCHours());
    case 'h':
    case 'K':
      return numeric('hour12', count, (d) => d.getUTCHours() % 12 || 12);
    case 'm':
      return numeric('minute', count, (d) => d.getUTCMinutes());
    case 's':
      return numeric('second', count, (d) => d.getUTCSeconds());
    case 'S':
      return { regex: `(\\d{${count}})`, field: 'fraction', format: (d) => pad(d.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count) };
    case 'n':
      return { regex: '(\\d{1,9})', field: 'fraction', format: (d) => String(d.getUTCMilliseconds() * 1_000_000) };
    case 'X':
    case 'x':
    case 'Z':
      return offset(letter, count);
    case 'z':
    case 'V':
      return { regex: '([A-Za-z_/+-]+[A-Za-z0-9_/+-]*)', field: 'other', format: () => 'UTC' };
    default:
      throw new HeraldError(
        'HERALD_MATCHER_INVALID',
        `Failed to read the date/time format "${pattern}": the pattern letter '${letter}' is not supported. ` +
          'Use the letters y M d D E a H k h K m s S n X x Z z, and quote literal text (\'T\').',
      );
  }
}

function dayOfYear(d: Date): number {
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

export interface DateFormat {
  readonly pattern: string;
  /** True when `value` is a valid date/time in this format (ranges and calendar days checked). */
  matches(value: string): boolean;
  /** Formats `date` (in UTC) with this pattern. */
  format(date: Date): string;
}

type Part = { readonly literal: string } | { readonly token: Token };

function tokenize(pattern: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        parts.push({ literal: "'" });
        i += 2;
        continue;
      }
      if (end < 0) {
        throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to read the date/time format "${pattern}": a quote is not closed. Close literal text with a quote ('T').`);
      }
      parts.push({ literal: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern.charAt(i + count) === ch) count += 1;
      parts.push({ token: tokenFor(ch, count, pattern) });
      i += count;
    } else {
      parts.push({ literal: ch });
      i += 1;
    }
  }
  return parts;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function inRange(fields: Partial<Record<Field, number>>): boolean {
  const { month, day, hour, hour12, minute, second, year, dayOfYear: doy } = fields;
  if (month !== undefined && (month < 1 || month > 12)) return false;
  if (day !== undefined) {
    const max = month === undefined ? 31 : month === 2 && year !== undefined && !isLeap(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
    if (day < 1 || day > max) return false;
  }
  if (doy !== undefined && (doy < 1 || doy > 366)) return false;
  if (hour !== undefined && hour > 23) return false;
  if (hour12 !== undefined && (hour12 < 1 || hour12 > 12)) return false;
  if (minute !== undefined && minute > 59) return false;
  if (second !== undefined && second > 59) return false;
  return true;
}

const formats = new Map<string, DateFormat>();

/** Parses a Java-style date/time pattern (cached). Throws HERALD_MATCHER_INVALID for unsupported letters. */
export function dateFormat(pattern: string): DateFormat {
  const cached = formats.get(pattern);
  if (cached !== undefined) return cached;
  const parts = tokenize(pattern);
  const fieldOrder = parts.flatMap((p) => ('token' in p ? [p.token.field] : []));
  // Built from a fixed alphabet of bounded groups; no nested quantifiers, so no backtracking blow-up.
  const regex = new RegExp(`^${parts.map((p) => ('token' in p ? p.token.regex : escape(p.literal))).join('')}$`);
  const parsed: DateFormat = {
    pattern,
    matches(value) {
      const m = regex.exec(value);
      if (m === null) return false;
      const fields: Partial<Record<Field, number>> = {};
      fieldOrder.forEach((field, index) => {
        const group = m[index + 1];
        if (field !== 'other' && field !== 'ampm' && field !== 'fraction' && group !== undefined) fields[field] = Number(group);
      });
      return inRange(fields);
    },
    format: (date) => parts.map((p) => ('token' in p ? p.token.format(date) : p.literal)).join(''),
  };
  formats.set(pattern, parsed);
  return parsed;
}

export const ISO_DATETIME = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
export const ISO_DATE = 'yyyy-MM-dd';
export const ISO_TIME = 'HH:mm:ss';
