/**
 * Date/time patterns as Pact writes them (Java DateTimeFormatter letters, e.g.
 * "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"): compile a pattern once into printer-parser nodes, as
 * `DateTimeFormatterBuilder.appendPattern` does, then validate values with a left-to-right parser
 * (strict, case-sensitive, English texts) and format dates with it (for generators).
 * Unsupported letters are refused, never ignored.
 *
 * Cost: no RegExp, and linear in the pattern's length whatever the value's length. Each node runs
 * once per attempt of the sequence holding it, and an optional section is attempted once: when it
 * fails its fields are dropped and parsing resumes where it began (java.time does the same, with no
 * other backtracking). A number reads at most `19 + subsequentWidth` digits, twice (java.time's
 * adjacent value parsing: count the digits on offer, then leave the following fixed-width fields
 * theirs); subsequent widths are sums of the widths of the fixed-width nodes that follow, each
 * counted once, so all numbers together read at most 2 × (19 × nodes + pattern length) characters.
 * A text or zone name tries each entry of its table once (≤ 64 characters each), a literal compares
 * its own length. `measureDate` counts these steps; the tests bound them.
 *
 * Where we knowingly differ (the differential harness cites this list):
 * - Pact's Rust core (pact_models time_utils) accepts offsets only up to ±12–14 h, rejects
 *   day-of-year above 356 and takes only `UTC` for `z`. We follow java.time: offsets up to
 *   ±18:00 (minutes and seconds below 60), day-of-year 1–365 and 366 in leap years, and `z`
 *   takes real zone names (short `CET`, `PST`… and long `Central European Standard Time`).
 * - java.time's `z` also parses region ids (`Europe/Paris`); we do not: a region id is `VV`.
 * - java.time's default SMART resolver clamps Feb 30 to Feb 28 and reads `HH` 24:00 as midnight
 *   of the next day; we reject both (a date the calendar does not have is not a date), as
 *   Pact's Rust core does.
 * - Texts (months, days, eras, quarters, AM/PM, zone names) are the English (en_US, CLDR) ones
 *   the JVM's default locale gives Pact-JVM; `e`/`c` numbers count from Sunday (en_US). A narrow
 *   text that names several values (`J` for January, June, July) is not cross-checked against the
 *   other fields. Week fields (`Y`, `w`, `W`, `F`) are range-checked, not checked against the date.
 * - Zone short names come from a static table (see date-zones.ts), so a rare name the JDK knows
 *   and the table lacks fails (never passes).
 * - Optional sections nested more than 1000 deep are refused (java.time has no limit).
 */
import { HeraldError } from '../errors/herald-error';
import { SHORT_ZONE_NAMES, isZoneId, longZoneNames } from './date-zones';
import { remembered } from './remembered';

// ---------------------------------------------------------------------------------------------
// Fields and their ranges
// ---------------------------------------------------------------------------------------------

type FieldName =
  | 'era'
  | 'yearOfEra'
  | 'year'
  | 'month'
  | 'quarter'
  | 'day'
  | 'dayOfYear'
  | 'dayOfWeek'
  | 'localDayOfWeek'
  | 'alignedF'
  | 'weekBasedYear'
  | 'weekOfWeekBasedYear'
  | 'weekOfMonth'
  | 'ampm'
  | 'hourOfDay'
  | 'clockHourOfDay'
  | 'hourOfAmPm'
  | 'clockHourOfAmPm'
  | 'minute'
  | 'second'
  | 'nano'
  | 'nanoOfDay'
  | 'milliOfDay'
  | 'epochDay'
  | 'offset';

/** Range and wording of each field (java.time's ChronoField / WeekFields ranges). */
const FIELDS: Record<FieldName, { readonly words: string; readonly min: number; readonly max: number }> = {
  era: { words: 'era', min: 0, max: 1 },
  yearOfEra: { words: 'year', min: 1, max: 999_999_999 },
  year: { words: 'year', min: -999_999_999, max: 999_999_999 },
  month: { words: 'month', min: 1, max: 12 },
  quarter: { words: 'quarter', min: 1, max: 4 },
  day: { words: 'day', min: 1, max: 31 },
  dayOfYear: { words: 'day-of-year', min: 1, max: 366 },
  dayOfWeek: { words: 'day-of-week', min: 1, max: 7 },
  localDayOfWeek: { words: 'day-of-week', min: 1, max: 7 },
  alignedF: { words: 'aligned week field (F)', min: 1, max: 7 },
  weekBasedYear: { words: 'week-based year', min: -999_999_999, max: 999_999_999 },
  weekOfWeekBasedYear: { words: 'week-of-year', min: 1, max: 53 },
  weekOfMonth: { words: 'week-of-month', min: 0, max: 6 },
  ampm: { words: 'AM/PM', min: 0, max: 1 },
  hourOfDay: { words: 'hour (H)', min: 0, max: 23 },
  clockHourOfDay: { words: 'clock hour (k)', min: 1, max: 24 },
  hourOfAmPm: { words: 'hour (K)', min: 0, max: 11 },
  clockHourOfAmPm: { words: 'clock hour (h)', min: 1, max: 12 },
  minute: { words: 'minute', min: 0, max: 59 },
  second: { words: 'second', min: 0, max: 59 },
  nano: { words: 'nano-of-second', min: 0, max: 999_999_999 },
  nanoOfDay: { words: 'nano-of-day', min: 0, max: 86_399_999_999_999 },
  milliOfDay: { words: 'milli-of-day', min: 0, max: 86_399_999 },
  epochDay: { words: 'modified Julian day', min: -365_243_219_162 + 40_587, max: 365_241_780_471 + 40_587 },
  offset: { words: 'offset', min: -64_800, max: 64_800 },
};

type Fields = Partial<Record<FieldName, number>>;

// ---------------------------------------------------------------------------------------------
// English texts (JDK CLDR, en_US)
// ---------------------------------------------------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** ISO order: Monday is 1. */
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const QUARTERS_FULL = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];

type TextStyle = 'short' | 'full' | 'narrow';

/** Text → value pairs for a text field in one style. */
function texts(field: 'month' | 'dayOfWeek' | 'era' | 'quarter' | 'ampm', style: TextStyle): (readonly [string, number])[] {
  switch (field) {
    case 'month':
      return MONTHS.map((m, i) => [style === 'full' ? m : style === 'short' ? m.slice(0, 3) : m.charAt(0), i + 1] as const);
    case 'dayOfWeek':
      return DAYS.map((d, i) => [style === 'full' ? d : style === 'short' ? d.slice(0, 3) : d.charAt(0), i + 1] as const);
    case 'era':
      return style === 'full'
        ? [
            ['Before Christ', 0],
            ['Anno Domini', 1],
          ]
        : style === 'short'
          ? [
              ['BC', 0],
              ['AD', 1],
            ]
          : [
              ['B', 0],
              ['A', 1],
            ];
    case 'quarter':
      return [1, 2, 3, 4].map((q) => [style === 'full' ? (QUARTERS_FULL[q - 1] ?? '') : style === 'short' ? `Q${q}` : String(q), q] as const);
    case 'ampm':
      return [
        ['AM', 0],
        ['PM', 1],
      ];
  }
}

// ---------------------------------------------------------------------------------------------
// Nodes: what a pattern compiles to
// ---------------------------------------------------------------------------------------------

type SignStyle = 'normal' | 'not-negative' | 'exceeds-pad';

interface NumberNode {
  readonly kind: 'number';
  readonly letters: string;
  readonly field: FieldName | 'fraction';
  readonly minWidth: number;
  readonly maxWidth: number;
  readonly sign: SignStyle;
  /** Digits reserved for the fixed-width values right after this one (java.time's adjacent value parsing); -1 when none. */
  subsequentWidth: number;
  /** `yy`: two digits read as 2000–2099. */
  readonly reduced: boolean;
  readonly print: (t: Moment) => number;
}

interface TextNode {
  readonly kind: 'text';
  readonly letters: string;
  readonly field: 'month' | 'dayOfWeek' | 'era' | 'quarter' | 'ampm';
  readonly choices: readonly (readonly [string, number])[];
  readonly print: (t: Moment) => string;
}

/** `X`, `x`, `Z`: java.time's OffsetIdPrinterParser patterns. */
interface OffsetNode {
  readonly kind: 'offset';
  readonly letters: string;
  /** Text read as offset zero before trying digits (`Z` for X, `+00:00` for xxx); '' for none. */
  readonly zero: string;
  readonly colon: boolean;
  readonly minutes: 'required' | 'optional';
  readonly seconds: 'none' | 'optional';
}

interface OtherNode {
  readonly kind: 'literal' | 'localized-offset' | 'zone-name' | 'zone-id';
  readonly letters: string;
  /** The literal text, or for a localized offset / zone name the style ('short' or 'full'). */
  readonly text: string;
}

interface OptionalNode {
  readonly kind: 'optional';
  readonly nodes: readonly Node[];
}

type Node = NumberNode | TextNode | OffsetNode | OtherNode | OptionalNode;

/** The instant a generator formats, in UTC. */
interface Moment {
  readonly date: Date;
}

// ---------------------------------------------------------------------------------------------
// Compiling a pattern (DateTimeFormatterBuilder.appendPattern)
// ---------------------------------------------------------------------------------------------

function invalid(pattern: string, why: string): HeraldError {
  return new HeraldError(
    'HERALD_MATCHER_INVALID',
    `Failed to read the date/time format "${pattern}": ${why}. ` +
      "Use java.time DateTimeFormatter letters (G u y Y Q q M L w W d D F E e c a h K k H m s S n N A g VV z O X x Z), quote literal text ('T') and write a quote as ''.",
  );
}

/** One list of nodes being built, with java.time's "active value parser" for adjacent value parsing. */
class Builder {
  readonly nodes: Node[] = [];
  private active = -1;

  value(node: NumberNode): void {
    const active = this.active >= 0 ? this.nodes[this.active] : undefined;
    if (active !== undefined && active.kind === 'number') {
      if (node.minWidth === node.maxWidth && node.sign === 'not-negative') {
        active.subsequentWidth = Math.max(active.subsequentWidth, 0) + node.maxWidth;
        this.nodes.push({ ...node, subsequentWidth: -1 });
        return;
      }
      active.subsequentWidth = -1;
    }
    this.nodes.push(node);
    this.active = this.nodes.length - 1;
  }

  other(node: Node): void {
    this.nodes.push(node);
    this.active = -1;
  }
}

const PATTERN_LETTER = /[A-Za-z]/;
const MAX_NESTING = 1000;

function compile(pattern: string): Node[] {
  const stack: Builder[] = [new Builder()];
  const top = (): Builder => stack[stack.length - 1] as Builder;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (PATTERN_LETTER.test(ch)) {
      let count = 1;
      while (pattern.charAt(i + count) === ch) count += 1;
      addLetter(top(), ch, count, pattern);
      i += count;
    } else if (ch === "'") {
      let end = i + 1;
      let text = '';
      for (;;) {
        if (end >= pattern.length) throw invalid(pattern, `the quote at position ${i + 1} is not closed`);
        if (pattern.charAt(end) === "'") {
          if (pattern.charAt(end + 1) === "'") {
            text += "'";
            end += 2;
            continue;
          }
          break;
        }
        text += pattern.charAt(end);
        end += 1;
      }
      top().other({ kind: 'literal', letters: pattern.slice(i, end + 1), text: end === i + 1 ? "'" : text });
      i = end + 1;
    } else if (ch === '[') {
      // Parsing recurses once per level: refuse what would exhaust the stack instead of crashing.
      if (stack.length > MAX_NESTING) throw invalid(pattern, `optional sections are nested more than ${MAX_NESTING} deep`);
      stack.push(new Builder());
      i += 1;
    } else if (ch === ']') {
      if (stack.length === 1) throw invalid(pattern, `the ']' at position ${i + 1} has no '[' before it`);
      const section = stack.pop() as Builder;
      top().other({ kind: 'optional', nodes: section.nodes });
      i += 1;
    } else if (ch === '{' || ch === '}' || ch === '#') {
      throw invalid(pattern, `'${ch}' is reserved for future use`);
    } else {
      top().other({ kind: 'literal', letters: ch, text: ch });
      i += 1;
    }
  }
  // java.time closes sections left open at the end of the pattern.
  while (stack.length > 1) {
    const section = stack.pop() as Builder;
    top().other({ kind: 'optional', nodes: section.nodes });
  }
  return top().nodes;
}

function num(letters: string, field: NumberNode['field'], minWidth: number, maxWidth: number, sign: SignStyle, print: (t: Moment) => number, reduced = false): NumberNode {
  return { kind: 'number', letters, field, minWidth, maxWidth, sign, subsequentWidth: 0, reduced, print };
}

function text(letters: string, field: TextNode['field'], style: TextStyle, print: (t: Moment) => number): TextNode {
  const choices = texts(field, style).sort((a, b) => b[0].length - a[0].length);
  const all = texts(field, style);
  return { kind: 'text', letters, field, choices, print: (t) => all.find(([, v]) => v === print(t))?.[0] ?? '' };
}

const styleFor = (count: number): TextStyle => (count === 4 ? 'full' : count === 5 ? 'narrow' : 'short');

function addLetter(b: Builder, letter: string, count: number, pattern: string): void {
  const letters = letter.repeat(count);
  const tooMany = (): never => {
    throw invalid(pattern, `too many pattern letters '${letters}'`);
  };
  const year = (t: Moment): number => t.date.getUTCFullYear();
  switch (letter) {
    case 'G':
      if (count > 5) tooMany();
      return b.other(text(letters, 'era', styleFor(count), (t) => (year(t) > 0 ? 1 : 0)));
    case 'u':
    case 'y':
    case 'Y': {
      if (count > 19) throw invalid(pattern, `'${letters}' asks for more than 19 digits`);
      const field = letter === 'u' ? 'year' : letter === 'y' ? 'yearOfEra' : 'weekBasedYear';
      const print = letter === 'u' ? year : letter === 'y' ? (t: Moment) => (year(t) > 0 ? year(t) : 1 - year(t)) : (t: Moment) => weekFields(t.date).weekBasedYear;
      if (count === 2) return b.value(num(letters, field, 2, 2, 'not-negative', (t) => print(t) % 100, true));
      return b.value(num(letters, field, count, 19, count < 4 ? 'normal' : 'exceeds-pad', print));
    }
    case 'Q':
    case 'q':
    case 'M':
    case 'L': {
      const field = letter === 'Q' || letter === 'q' ? 'quarter' : 'month';
      const print = (t: Moment): number => (field === 'month' ? t.date.getUTCMonth() + 1 : Math.floor(t.date.getUTCMonth() / 3) + 1);
      if (count > 5) tooMany();
      if (count === 1) return b.value(num(letters, field, 1, 19, 'normal', print));
      if (count === 2) return b.value(num(letters, field, 2, 2, 'not-negative', print));
      return b.other(text(letters, field, styleFor(count), print));
    }
    case 'E':
      if (count > 5) tooMany();
      return b.other(text(letters, 'dayOfWeek', count <= 3 ? 'short' : styleFor(count), (t) => isoDayOfWeek(t.date)));
    case 'e':
    case 'c':
      if (count > 5) tooMany();
      if (letter === 'c' && count === 2) throw invalid(pattern, "'cc' is not a pattern (use c, ccc, cccc or ccccc)");
      if (count <= 2) return b.value(num(letters, 'localDayOfWeek', count, count, 'not-negative', (t) => t.date.getUTCDay() + 1));
      return b.other(text(letters, 'dayOfWeek', styleFor(count), (t) => isoDayOfWeek(t.date)));
    case 'w':
      if (count > 2) tooMany();
      return b.value(num(letters, 'weekOfWeekBasedYear', count, 2, 'not-negative', (t) => weekFields(t.date).week));
    case 'W':
      if (count > 1) tooMany();
      return b.value(num(letters, 'weekOfMonth', 1, 1, 'not-negative', (t) => weekOfMonth(t.date)));
    case 'F':
      if (count > 1) tooMany();
      return b.value(num(letters, 'alignedF', 1, 19, 'normal', (t) => Math.floor((t.date.getUTCDate() - 1) / 7) + 1));
    case 'd':
    case 'h':
    case 'H':
    case 'k':
    case 'K':
    case 'm':
    case 's': {
      if (count > 2) tooMany();
      const spec = CLOCK[letter as keyof typeof CLOCK];
      return b.value(count === 1 ? num(letters, spec.field, 1, 19, 'normal', spec.print) : num(letters, spec.field, 2, 2, 'not-negative', spec.print));
    }
    case 'D':
      if (count > 3) tooMany();
      return b.value(count === 1 ? num(letters, 'dayOfYear', 1, 19, 'normal', (t) => dayOfYear(t.date)) : num(letters, 'dayOfYear', count, 3, 'not-negative', (t) => dayOfYear(t.date)));
    case 'a':
      if (count > 1) tooMany();
      return b.other(text(letters, 'ampm', 'short', (t) => (t.date.getUTCHours() < 12 ? 0 : 1)));
    case 'S':
      if (count > 9) throw invalid(pattern, `'${letters}' asks for more than 9 fraction digits (nanoseconds)`);
      return b.value(num(letters, 'fraction', count, count, 'not-negative', (t) => Math.floor((t.date.getUTCMilliseconds() * 1e6) / 10 ** (9 - count))));
    case 'n':
      return b.value(num(letters, 'nano', count, 19, 'not-negative', (t) => t.date.getUTCMilliseconds() * 1_000_000));
    case 'N':
      return b.value(num(letters, 'nanoOfDay', count, 19, 'not-negative', (t) => millisOfDay(t.date) * 1_000_000));
    case 'A':
      return b.value(num(letters, 'milliOfDay', count, 19, 'not-negative', (t) => millisOfDay(t.date)));
    case 'g':
      return b.value(num(letters, 'epochDay', count, 19, 'normal', (t) => Math.floor(t.date.getTime() / 86_400_000) + 40_587));
    case 'V':
      if (count !== 2) throw invalid(pattern, `'${letters}' is not a pattern: a zone id is written VV`);
      return b.other({ kind: 'zone-id', letters, text: '' });
    case 'z':
      if (count > 4) tooMany();
      return b.other({ kind: 'zone-name', letters, text: count === 4 ? 'full' : 'short' });
    case 'O':
      if (count !== 1 && count !== 4) throw invalid(pattern, `'${letters}' is not a pattern: a localized offset is written O or OOOO`);
      return b.other({ kind: 'localized-offset', letters, text: count === 4 ? 'full' : 'short' });
    case 'X':
    case 'x': {
      if (count > 5) tooMany();
      const zero = letter === 'X' ? 'Z' : count === 1 ? '+00' : count % 2 === 0 ? '+0000' : '+00:00';
      // PATTERNS[count + (count == 1 ? 0 : 1)]: +HHmm, +HHMM, +HH:MM, +HHMMss, +HH:MM:ss
      return b.other({ kind: 'offset', letters, zero, colon: count === 3 || count === 5, minutes: count === 1 ? 'optional' : 'required', seconds: count >= 4 ? 'optional' : 'none' });
    }
    case 'Z':
      if (count > 5) tooMany();
      if (count === 4) return b.other({ kind: 'localized-offset', letters, text: 'full' });
      if (count === 5) return b.other({ kind: 'offset', letters, zero: 'Z', colon: true, minutes: 'required', seconds: 'optional' });
      return b.other({ kind: 'offset', letters, zero: '+0000', colon: false, minutes: 'required', seconds: 'none' });
    default:
      throw invalid(pattern, `the pattern letter '${letter}' is not supported${letter === 'B' || letter === 'v' || letter === 'p' ? ' by Herald' : ''}`);
  }
}

const CLOCK = {
  d: { field: 'day', print: (t: Moment) => t.date.getUTCDate() },
  H: { field: 'hourOfDay', print: (t: Moment) => t.date.getUTCHours() },
  k: { field: 'clockHourOfDay', print: (t: Moment) => t.date.getUTCHours() || 24 },
  K: { field: 'hourOfAmPm', print: (t: Moment) => t.date.getUTCHours() % 12 },
  h: { field: 'clockHourOfAmPm', print: (t: Moment) => t.date.getUTCHours() % 12 || 12 },
  m: { field: 'minute', print: (t: Moment) => t.date.getUTCMinutes() },
  s: { field: 'second', print: (t: Moment) => t.date.getUTCSeconds() },
} as const;

// ---------------------------------------------------------------------------------------------
// Calendar helpers (proleptic Gregorian, as java.time's ISO chronology)
// ---------------------------------------------------------------------------------------------

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (month: number, year: number | undefined): number =>
  month === 2 ? (year === undefined || isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

function dayOfYear(d: Date): number {
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

const isoDayOfWeek = (d: Date): number => ((d.getUTCDay() + 6) % 7) + 1;
const millisOfDay = (d: Date): number => d.getTime() - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/** en_US week fields (weeks start on Sunday, week 1 holds January 1st). */
function weekFields(d: Date): { weekBasedYear: number; week: number } {
  const y = d.getUTCFullYear();
  const sunday = Date.UTC(y, d.getUTCMonth(), d.getUTCDate()) - d.getUTCDay() * 86_400_000;
  const saturday = new Date(sunday + 6 * 86_400_000);
  if (saturday.getUTCFullYear() > y) return { weekBasedYear: y + 1, week: 1 };
  const jan1 = new Date(Date.UTC(y, 0, 1)).getUTCDay();
  return { weekBasedYear: y, week: Math.floor((dayOfYear(d) - 1 + jan1) / 7) + 1 };
}

function weekOfMonth(d: Date): number {
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).getUTCDay();
  return Math.floor((d.getUTCDate() - 1 + first) / 7) + 1;
}

/** A date from year, month and day (all valid); undefined outside JavaScript's Date range. */
function dateOf(year: number, month: number, day: number): Date | undefined {
  if (Math.abs(year) > 275_000) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Parsing a value
// ---------------------------------------------------------------------------------------------

/** Why a value does not parse, and the character position where it stopped. */
interface Stop {
  readonly at: number;
  readonly expected: string;
}

class Parse {
  steps = 0;
  fields: Fields = {};
  /** The first problem met by a field's value (out of range, conflicting) found while parsing. */
  problem: string | undefined;
  /** A problem met inside an optional section that was then skipped: the likeliest reason when the rest fails. */
  skipped: string | undefined;

  constructor(readonly text: string) {}

  set(field: FieldName, value: number, as: string): boolean {
    const old = this.fields[field];
    if (old !== undefined && old !== value) {
      this.problem ??= `${FIELDS[field].words} ${value} (${as}) conflicts with ${old} read before`;
      return false;
    }
    this.fields[field] = value;
    return true;
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Parses `nodes` from `pos`; returns the end position or where and why it stopped. */
function parseNodes(nodes: readonly Node[], p: Parse, pos: number): number | Stop {
  for (const node of nodes) {
    const next = parseNode(node, p, pos);
    if (typeof next !== 'number') return next;
    pos = next;
  }
  return pos;
}

function parseNode(node: Node, p: Parse, pos: number): number | Stop {
  const text = p.text;
  switch (node.kind) {
    case 'literal': {
      p.steps += node.text.length;
      return text.startsWith(node.text, pos) ? pos + node.text.length : { at: pos, expected: JSON.stringify(node.text) };
    }
    case 'optional': {
      const saved = { ...p.fields };
      const savedProblem = p.problem;
      const end = parseNodes(node.nodes, p, pos);
      if (typeof end === 'number') return end;
      p.fields = saved;
      if (p.problem !== savedProblem) p.skipped ??= `${p.problem ?? ''} (in an optional section)`;
      p.problem = savedProblem;
      return pos;
    }
    case 'number':
      return parseNumber(node, p, pos);
    case 'text': {
      for (const [choice, value] of node.choices) {
        p.steps += choice.length;
        if (text.startsWith(choice, pos)) {
          // A narrow text naming several values (J: January, June, July) says nothing about which.
          if (node.choices.filter(([c]) => c === choice).length === 1 && !p.set(node.field, value, node.letters)) return { at: pos, expected: `a ${FIELDS[node.field].words} agreeing with the rest` };
          return pos + choice.length;
        }
      }
      return { at: pos, expected: `${describeText(node)} for '${node.letters}'` };
    }
    case 'offset':
      return parseOffset(node, p, pos);
    case 'localized-offset':
      return parseLocalizedOffset(node, p, pos);
    case 'zone-name':
      return parseZoneName(node, p, pos);
    case 'zone-id':
      return parseZoneId(node, p, pos);
  }
}

function describeText(node: TextNode): string {
  const shown = node.choices.slice(0, 4).map(([c]) => c);
  return `one of ${shown.join(', ')}${node.choices.length > 4 ? '…' : ''}`;
}

function widthWords(node: NumberNode, min: number, max: number): string {
  return min === max ? `${min} digit${min === 1 ? '' : 's'}` : max >= 19 ? `at least ${min} digit${min === 1 ? '' : 's'}` : `${min}–${max} digits`;
}

/**
 * java.time's NumberPrinterParser.parse, strict: an optional sign as the sign style allows, then
 * greedy digits. With a subsequent width, a first pass counts the digits on offer and a second
 * takes all but the ones the fixed-width values after it need (two passes, each ≤ maxWidth +
 * subsequentWidth characters).
 */
function parseNumber(node: NumberNode, p: Parse, position: number): number | Stop {
  const text = p.text;
  let pos = position;
  let negative = false;
  let positive = false;
  const c = text.charAt(pos);
  if (c === '+' || c === '-') {
    const allowed = c === '-' ? node.sign !== 'not-negative' : node.sign === 'exceeds-pad';
    if (!allowed) return { at: pos, expected: `${node.sign === 'not-negative' || c === '+' ? 'digits without a sign' : 'digits'} for '${node.letters}'` };
    negative = c === '-';
    positive = c === '+';
    pos += 1;
  }
  const start = pos;
  const minWidth = node.minWidth;
  let maxWidth = node.maxWidth + Math.max(node.subsequentWidth, 0);
  let end = start;
  for (let pass = 0; pass < 2; pass += 1) {
    const limit = Math.min(start + maxWidth, text.length);
    end = start;
    while (end < limit && isDigit(text.charCodeAt(end))) end += 1;
    p.steps += end - start + 1;
    if (end - start < minWidth) return { at: start, expected: `${widthWords(node, minWidth, node.maxWidth)} for '${node.letters}'` };
    if (node.subsequentWidth > 0 && pass === 0) {
      maxWidth = Math.max(minWidth, end - start - node.subsequentWidth);
      continue;
    }
    break;
  }
  const digits = text.slice(start, end);
  const length = end - start;
  if (negative && /^0+$/.test(digits)) return { at: position, expected: `no '-' before zero for '${node.letters}'` };
  if (node.sign === 'exceeds-pad' && !negative) {
    if (positive && length <= node.minWidth) return { at: position, expected: `no '+' before ${node.minWidth} digits or fewer for '${node.letters}'` };
    if (!positive && length > node.minWidth) return { at: start, expected: `${node.minWidth} digits for '${node.letters}' (more need a '+' sign: +${digits})` };
  }
  if (node.field === 'fraction') {
    return p.set('nano', Number(digits.padEnd(9, '0').slice(0, 9)), node.letters) ? end : { at: start, expected: 'a fraction agreeing with the rest' };
  }
  let value = Number(digits) * (negative ? -1 : 1);
  if (node.reduced) value += 2000;
  const range = FIELDS[node.field];
  if (value < range.min || value > range.max) {
    p.problem ??= outOfRange(node.field, value, node.letters);
    return { at: start, expected: `a ${range.words} in ${range.min}–${range.max}` };
  }
  return p.set(node.field, value, node.letters) ? end : { at: start, expected: `a ${range.words} agreeing with the rest` };
}

function outOfRange(field: FieldName, value: number, letters: string): string {
  const range = FIELDS[field];
  return `${range.words} ${value} ('${letters}') is out of range ${range.min}–${range.max}`;
}

/** Two digits at `pos`, or -1. */
function twoDigits(text: string, pos: number): number {
  const a = text.charCodeAt(pos);
  const b = text.charCodeAt(pos + 1);
  return isDigit(a) && isDigit(b) ? (a - 48) * 10 + (b - 48) : -1;
}

/** Hours, minutes and seconds of an offset to seconds, or a problem (java.time: hour ≤ 23, minute and second < 60, total within ±18:00). */
function offsetSeconds(p: Parse, sign: number, h: number, m: number, s: number, shown: string): number | undefined {
  if (h > 23 || m > 59 || s > 59) {
    p.problem ??= `offset ${shown} is out of range: ${h > 23 ? `hours ${h} are above 23` : m > 59 ? `minutes ${m} are not below 60` : `seconds ${s} are not below 60`}`;
    return undefined;
  }
  const total = h * 3600 + m * 60 + s;
  if (total > 64_800) {
    p.problem ??= `offset ${shown} is out of range -18:00 to +18:00`;
    return undefined;
  }
  return sign * total;
}

/** java.time's OffsetIdPrinterParser.parse (JDK 17+), strict. */
function parseOffset(node: OffsetNode, p: Parse, pos: number): number | Stop {
  const text = p.text;
  p.steps += 12;
  const shape = `${node.colon ? '+HH:MM' : '+HHMM'}${node.seconds === 'optional' ? (node.colon ? '[:ss]' : '[ss]') : ''}`.replace('MM', node.minutes === 'optional' ? '[mm]' : 'MM');
  const expected = `an offset like ${node.zero === 'Z' ? "'Z' or " : ''}${shape} for '${node.letters}'`;
  if (node.zero !== '' && text.startsWith(node.zero, pos)) return p.set('offset', 0, node.letters) ? pos + node.zero.length : { at: pos, expected };
  const c = text.charAt(pos);
  if (c !== '+' && c !== '-') return { at: pos, expected };
  let at = pos + 1;
  const h = twoDigits(text, at);
  if (h < 0) return { at, expected };
  at += 2;
  let m = 0;
  let s = 0;
  const part = (required: boolean): number | 'absent' | 'bad' => {
    const sep = node.colon ? 1 : 0;
    if (node.colon && text.charAt(at) !== ':') return required ? 'bad' : 'absent';
    const v = twoDigits(text, at + sep);
    if (v < 0) return required ? 'bad' : 'absent';
    at += sep + 2;
    return v;
  };
  const minutes = part(node.minutes === 'required');
  if (minutes === 'bad') return { at, expected };
  if (minutes !== 'absent') {
    m = minutes;
    if (node.seconds === 'optional') {
      const seconds = part(false);
      if (typeof seconds === 'number') s = seconds;
    }
  }
  const shown = text.slice(pos, at);
  const total = offsetSeconds(p, c === '-' ? -1 : 1, h, m, s, shown);
  if (total === undefined) return { at: pos, expected };
  return p.set('offset', total, node.letters) ? at : { at: pos, expected };
}

/** `O`, `OOOO`, `ZZZZ`: GMT, then for O `+H[:mm[:ss]]`, for OOOO `+HH:mm[:ss]`. */
function parseLocalizedOffset(node: OtherNode, p: Parse, pos: number): number | Stop {
  const text = p.text;
  const full = node.text === 'full';
  p.steps += 12;
  const expected = `a localized offset like GMT${full ? ', GMT+01:00' : ', GMT+1, GMT+1:30'} for '${node.letters}'`;
  if (!text.startsWith('GMT', pos)) return { at: pos, expected };
  let at = pos + 3;
  const c = text.charAt(at);
  if (c !== '+' && c !== '-') return p.set('offset', 0, node.letters) ? at : { at: pos, expected };
  at += 1;
  let h: number;
  if (full) {
    h = twoDigits(text, at);
    if (h < 0) return { at, expected };
    at += 2;
  } else {
    if (!isDigit(text.charCodeAt(at))) return { at, expected };
    h = text.charCodeAt(at) - 48;
    at += 1;
    if (isDigit(text.charCodeAt(at))) {
      h = h * 10 + text.charCodeAt(at) - 48;
      at += 1;
    }
  }
  let m = 0;
  let s = 0;
  const mm = text.charAt(at) === ':' ? twoDigits(text, at + 1) : -1;
  if (mm >= 0) {
    m = mm;
    at += 3;
    const ss = text.charAt(at) === ':' ? twoDigits(text, at + 1) : -1;
    if (ss >= 0) {
      s = ss;
      at += 3;
    }
  } else if (full) {
    return { at, expected };
  }
  const total = offsetSeconds(p, c === '-' ? -1 : 1, h, m, s, text.slice(pos + 3, at));
  if (total === undefined) return { at: pos, expected };
  return p.set('offset', total, node.letters) ? at : { at: pos, expected };
}

/** `UTC`, `GMT`, `UT` with an optional `+HH[:MM[:SS]]` / `+HHMM`, as java.time's zone parsers read them. */
function parsePrefixedOffset(p: Parse, pos: number): number | undefined {
  const text = p.text;
  const prefix = ['UTC', 'GMT', 'UT'].find((x) => text.startsWith(x, pos));
  if (prefix === undefined) return undefined;
  const at = pos + prefix.length;
  const c = text.charAt(at);
  if (c !== '+' && c !== '-') return at;
  const h = twoDigits(text, at + 1);
  if (h < 0) return at;
  let end = at + 3;
  let m = 0;
  const colon = text.charAt(end) === ':';
  const mm = twoDigits(text, end + (colon ? 1 : 0));
  if (mm >= 0) {
    m = mm;
    end += colon ? 3 : 2;
  }
  return offsetSeconds(p, 1, h, m, 0, text.slice(at, end)) === undefined ? -1 : end;
}

/** `z`/`zzzz`: a zone name (short or long; java.time's zone-text parser holds both), `Z`, or UTC/GMT/UT with an offset. */
function parseZoneName(node: OtherNode, p: Parse, pos: number): number | Stop {
  const text = p.text;
  const expected = `a time-zone name like ${node.text === 'full' ? 'Central European Standard Time, Coordinated Universal Time' : 'UTC, CET, PST'} for '${node.letters}'`;
  // A long name first (java.time's tree takes the longest entry), read only when the text could hold one.
  let best = -1;
  const lists = /^[A-Z][a-z]/.test(text.slice(pos, pos + 2)) ? [longZoneNames(), SHORT_ZONE_NAMES] : [SHORT_ZONE_NAMES];
  for (const list of lists) {
    for (const name of list) {
      p.steps += 1;
      if (text.startsWith(name, pos)) {
        best = pos + name.length;
        break;
      }
    }
    if (best >= 0) break;
  }
  const prefixed = parsePrefixedOffset(p, pos);
  if (prefixed === -1) return { at: pos, expected };
  if (prefixed !== undefined && prefixed > best) best = prefixed;
  if (best < 0 && text.charAt(pos) === 'Z') best = pos + 1;
  if (best < 0) {
    const word = /^[A-Za-z][A-Za-z/_]{0,40}/.exec(text.slice(pos, pos + 41))?.[0];
    if (word !== undefined) p.problem ??= `"${word}" is not a time-zone ${word.includes('/') ? `name ('${node.letters}'); a region id such as ${word} is written VV` : 'name known to java.time'}`;
    return { at: pos, expected };
  }
  return best;
}

/** `VV`: a region id (Europe/Paris), `Z`, an offset (+01:00) or UTC/GMT/UT with an offset. */
function parseZoneId(node: OtherNode, p: Parse, pos: number): number | Stop {
  const text = p.text;
  const expected = `a time-zone id like Europe/Paris or UTC for '${node.letters}'`;
  const c = text.charAt(pos);
  if (c === '+' || c === '-') {
    return parseOffset({ kind: 'offset', letters: node.letters, zero: '', colon: true, minutes: 'optional', seconds: 'optional' }, p, pos);
  }
  // Ids are at most 32 characters: look at no more than that (bounded cost on long values).
  const run = /^[A-Za-z0-9_/+-]{1,40}/.exec(text.slice(pos, pos + 40))?.[0] ?? '';
  for (let length = run.length; length > 0; length -= 1) {
    p.steps += 1;
    if (isZoneId(run.slice(0, length))) return pos + length;
  }
  const prefixed = parsePrefixedOffset(p, pos);
  if (prefixed !== undefined && prefixed >= 0) return prefixed;
  if (c === 'Z') return pos + 1;
  if (run !== '') p.problem ??= `"${run}" is not a time-zone id known to the tz database`;
  return { at: pos, expected };
}

// ---------------------------------------------------------------------------------------------
// Resolving: calendar and cross-field checks once the text has parsed
// ---------------------------------------------------------------------------------------------

const monthName = (m: number): string => MONTHS[m - 1] ?? String(m);
const dayName = (iso: number): string => DAYS[iso - 1] ?? String(iso);

/** The problem with parsed fields taken together (calendar days, conflicting fields), or undefined. */
function resolve(f: Fields): string | undefined {
  // Year: u, or y with its era (BC years count back from 1 BC = year 0).
  let year = f.year;
  if (f.yearOfEra !== undefined) {
    const fromEra = f.era === 0 ? 1 - f.yearOfEra : f.yearOfEra;
    if (year !== undefined && year !== fromEra) return `year ${f.yearOfEra}${f.era === 0 ? ' BC' : ''} (y) conflicts with year ${year} (u)`;
    year = fromEra;
  } else if (f.era !== undefined && year !== undefined && (year > 0 ? 1 : 0) !== f.era) {
    return `year ${year} is not in the era ${f.era === 1 ? 'AD' : 'BC'}`;
  }
  const { month, day } = f;
  if (month !== undefined && f.quarter !== undefined && Math.ceil(month / 3) !== f.quarter) {
    return `quarter ${f.quarter} does not contain ${monthName(month)}`;
  }
  if (month !== undefined && day !== undefined && day > monthLength(month, year)) {
    return `day ${day} is not in ${monthName(month)}${year === undefined ? '' : ` ${year}`}`;
  }
  let date: Date | undefined;
  if (year !== undefined && month !== undefined && day !== undefined) date = dateOf(year, month, day);
  if (f.dayOfYear !== undefined && year !== undefined) {
    const days = isLeap(year) ? 366 : 365;
    if (f.dayOfYear > days) return `day-of-year ${f.dayOfYear} is not in ${year} (${days} days)`;
    const fromDoy = dateOf(year, 1, f.dayOfYear);
    if (date !== undefined && fromDoy !== undefined && fromDoy.getTime() !== date.getTime()) {
      return `day-of-year ${f.dayOfYear} is not ${monthName(month ?? 1)} ${day ?? 1} ${year}`;
    }
    if (fromDoy !== undefined && month !== undefined && fromDoy.getUTCMonth() + 1 !== month) return `day-of-year ${f.dayOfYear} is not in ${monthName(month)} ${year}`;
    date ??= fromDoy;
  }
  if (date !== undefined) {
    const iso = isoDayOfWeek(date);
    const shown = `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
    if (f.dayOfWeek !== undefined && f.dayOfWeek !== iso) return `${shown} is a ${dayName(iso)}, not a ${dayName(f.dayOfWeek)}`;
    if (f.localDayOfWeek !== undefined && f.localDayOfWeek !== date.getUTCDay() + 1) {
      return `${shown} is a ${dayName(iso)} (day ${date.getUTCDay() + 1} of the week from Sunday), not day ${f.localDayOfWeek}`;
    }
  }
  if (f.localDayOfWeek !== undefined && f.dayOfWeek !== undefined && ((f.localDayOfWeek + 5) % 7) + 1 !== f.dayOfWeek) {
    return `day-of-week ${f.localDayOfWeek} (from Sunday) is not a ${dayName(f.dayOfWeek)}`;
  }
  return resolveHour(f);
}

function resolveHour(f: Fields): string | undefined {
  const hours: [number, string][] = [];
  if (f.hourOfDay !== undefined) hours.push([f.hourOfDay, `hour ${f.hourOfDay} (H)`]);
  if (f.clockHourOfDay !== undefined) hours.push([f.clockHourOfDay % 24, `clock hour ${f.clockHourOfDay} (k)`]);
  const half = f.hourOfAmPm ?? (f.clockHourOfAmPm === undefined ? undefined : f.clockHourOfAmPm % 12);
  const halfWords = f.hourOfAmPm !== undefined ? `hour ${f.hourOfAmPm} (K)` : `clock hour ${f.clockHourOfAmPm} (h)`;
  if (half !== undefined && f.ampm !== undefined) hours.push([half + 12 * f.ampm, `${halfWords} ${f.ampm === 0 ? 'AM' : 'PM'}`]);
  const [first, ...others] = hours;
  for (const other of others) if (first !== undefined && other[0] !== first[0]) return `${other[1]} conflicts with ${first[1]}`;
  if (first !== undefined && half !== undefined && first[0] % 12 !== half) return `${halfWords} conflicts with ${first[1]}`;
  if (first !== undefined && f.ampm !== undefined && (first[0] < 12 ? 0 : 1) !== f.ampm) return `${first[1]} is not ${f.ampm === 0 ? 'AM' : 'PM'}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Public surface
// ---------------------------------------------------------------------------------------------

export interface DateFormat {
  readonly pattern: string;
  /** True when `value` is a valid date/time in this format (ranges, calendar days and conflicting fields checked). */
  matches(value: string): boolean;
  /**
   * Why `value` is not a date/time in this format, or undefined when it is.
   *
   * @example dateFormat('yyyy-MM-dd').explain('2023-02-30') // 'day 30 is not in February 2023'
   */
  explain(value: string): string | undefined;
  /** Formats `date` (in UTC) with this pattern. */
  format(date: Date): string;
}

/** The verdict on one value and the parser's step count (for tests proving bounded cost). */
export function measureDate(pattern: string, value: string): { readonly problem: string | undefined; readonly steps: number } {
  dateFormat(pattern);
  return parseValue(compiled.get(pattern) ?? compile(pattern), value);
}

function parseValue(nodes: readonly Node[], value: string): { readonly problem: string | undefined; readonly steps: number } {
  const p = new Parse(value);
  const end = parseNodes(nodes, p, 0);
  if (typeof end !== 'number') {
    return {
      problem:
        p.problem ??
        p.skipped ??
        `not in the format: expected ${end.expected} at character ${end.at + 1}${end.at < value.length ? ` (found ${JSON.stringify(value.slice(end.at, end.at + 12))})` : ' (the value ended)'}`,
      steps: p.steps,
    };
  }
  if (end < value.length) return { problem: p.skipped ?? `not in the format: unexpected ${JSON.stringify(value.slice(end, end + 12))} at character ${end + 1}`, steps: p.steps };
  return { problem: resolve(p.fields), steps: p.steps };
}

function formatNodes(nodes: readonly Node[], t: Moment): string {
  return nodes
    .map((node): string => {
      switch (node.kind) {
        case 'literal':
          return node.text;
        case 'optional':
          return formatNodes(node.nodes, t);
        case 'text':
          return node.print(t);
        case 'number': {
          const v = node.print(t);
          const digits = String(Math.abs(v)).padStart(node.minWidth, '0');
          const sign = v < 0 ? '-' : node.sign === 'exceeds-pad' && digits.length > node.minWidth ? '+' : '';
          return sign + digits;
        }
        case 'offset':
          return node.zero === '' ? '+00:00' : node.zero;
        case 'localized-offset':
          return 'GMT';
        case 'zone-name':
          return node.text === 'full' ? 'Coordinated Universal Time' : 'UTC';
        case 'zone-id':
          return 'UTC';
      }
    })
    .join('');
}

const formats = new Map<string, DateFormat>();
const compiled = new Map<string, readonly Node[]>();

/** Parses a Java DateTimeFormatter pattern (cached). Throws HERALD_MATCHER_INVALID for letters it cannot check. */
export function dateFormat(pattern: string): DateFormat {
  const cached = formats.get(pattern);
  if (cached !== undefined) return cached;
  const nodes = compile(pattern);
  const explain = remembered((value: string) => parseValue(nodes, value).problem);
  // Printing reads only the UTC fields of the instant: messages generated within one millisecond share its text.
  let lastTime: number | undefined;
  let lastText = '';
  const parsed: DateFormat = {
    pattern,
    explain,
    matches: (value) => explain(value) === undefined,
    format: (date) => {
      if (typeof date !== 'object' || date === null || Object.getPrototypeOf(date) !== Date.prototype) return formatNodes(nodes, { date });
      const time = date.getTime();
      if (time !== lastTime) {
        lastText = formatNodes(nodes, { date });
        lastTime = time;
      }
      return lastText;
    },
  };
  if (formats.size >= 4096) {
    formats.clear();
    compiled.clear();
  }
  formats.set(pattern, parsed);
  compiled.set(pattern, nodes);
  return parsed;
}

export const ISO_DATETIME = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
export const ISO_DATE = 'yyyy-MM-dd';
export const ISO_TIME = 'HH:mm:ss';
