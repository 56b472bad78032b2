/**
 * A native RegExp for the full-match expressions contracts mostly hold (`^[A-Z]{3}-\d+$`, a uuid,
 * `^(EUR|GBP|USD)$`), used where it provably gives RE2's verdict in linear time; every other
 * expression keeps running on RE2 (regex.ts).
 *
 * The subset, by construction:
 * - atoms match one ASCII character: a printable literal, an escaped metacharacter, `\d`, or a class
 *   of literals and ranges (`[A-Za-z0-9_\-]`, no negation, no `[:alpha:]`); so a matched text is ASCII,
 *   where JavaScript's UTF-16 code units and RE2's code points are the same characters, and each
 *   atom means the same set in both engines;
 * - an atom may be quantified (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`), never a group;
 * - at most one group, `(…)` or `(?:…)`, unquantified, of alternatives that are fixed sequences of
 *   atoms (`EUR|GBP|USD`);
 * - `^` only first, `$` only last (the test is a full match anyway).
 * Both engines then accept the same strings (the same regular language). Linear time: every atom with
 * a variable count is followed only by atoms that cannot match its characters (checked below), so
 * backtracking into a run fails at once, and the one group adds at most one retry per alternative.
 */

/** Characters 0–127 an atom matches, as four 32-bit words. */
type CharSet = readonly [number, number, number, number];

interface Item {
  /** One atom, or the group's alternatives (each a sequence of single-count atoms). */
  readonly set: CharSet | undefined;
  readonly alternatives: readonly (readonly CharSet[])[] | undefined;
  readonly min: number;
  readonly max: number;
}

const MAX_ALTERNATIVES = 64;
const METACHARACTERS = '\\^$.|?*+()[]{}';

function single(code: number): CharSet {
  const words: [number, number, number, number] = [0, 0, 0, 0];
  words[code >> 5] = (words[code >> 5] as number) | (1 << (code & 31));
  return words;
}

function union(a: CharSet, b: CharSet): CharSet {
  return [a[0] | b[0], a[1] | b[1], a[2] | b[2], a[3] | b[3]];
}

function range(from: number, to: number): CharSet {
  let set: CharSet = [0, 0, 0, 0];
  for (let c = from; c <= to; c += 1) set = union(set, single(c));
  return set;
}

const intersects = (a: CharSet, b: CharSet): boolean => (a[0] & b[0]) !== 0 || (a[1] & b[1]) !== 0 || (a[2] & b[2]) !== 0 || (a[3] & b[3]) !== 0;
const DIGITS = range(0x30, 0x39);
const EMPTY: CharSet = [0, 0, 0, 0];
const printable = (code: number): boolean => code >= 0x20 && code <= 0x7e;

/** Reads expressions of the subset; `undefined` from any method means "not in the subset". */
class Reader {
  i = 0;
  constructor(readonly s: string) {}

  /** An atom outside a class: a literal, an escaped metacharacter, `\d`, or a class. */
  atom(): CharSet | undefined {
    const c = this.s.charCodeAt(this.i);
    if (Number.isNaN(c)) return undefined;
    const ch = this.s.charAt(this.i);
    if (ch === '\\') {
      const next = this.s.charAt(this.i + 1);
      this.i += 2;
      if (next === 'd') return DIGITS;
      return next !== '' && (METACHARACTERS.includes(next) || next === '-' || next === '/') ? single(next.charCodeAt(0)) : undefined;
    }
    if (ch === '[') return this.charClass();
    if (!printable(c) || METACHARACTERS.includes(ch)) return undefined;
    this.i += 1;
    return single(c);
  }

  /** `[…]`: literals, escaped literals, `\d` and ranges between literals; no negation, no nested `[`. */
  private charClass(): CharSet | undefined {
    this.i += 1; // [
    let set: CharSet = EMPTY;
    let first = true;
    for (;;) {
      const ch = this.s.charAt(this.i);
      if (ch === ']' && !first) {
        this.i += 1;
        return set;
      }
      first = false;
      const from = this.classChar();
      if (from === undefined) return undefined;
      if (from === 'digits') {
        set = union(set, DIGITS);
        continue;
      }
      if (this.s.charAt(this.i) === '-' && this.s.charAt(this.i + 1) !== ']') {
        this.i += 1;
        const to = this.classChar();
        if (to === undefined || to === 'digits' || to < from) return undefined;
        set = union(set, range(from, to));
      } else {
        set = union(set, single(from));
      }
    }
  }

  /** One member of a class: a character code, 'digits' for `\d`, or undefined. */
  private classChar(): number | 'digits' | undefined {
    const ch = this.s.charAt(this.i);
    const c = this.s.charCodeAt(this.i);
    if (ch === '\\') {
      const next = this.s.charAt(this.i + 1);
      this.i += 2;
      if (next === 'd') return 'digits';
      return next !== '' && (METACHARACTERS.includes(next) || next === '-' || next === '/') ? next.charCodeAt(0) : undefined;
    }
    // `[`, `^` and `-` would read differently in the two engines ([:alpha:], negation, ranges).
    if (!printable(c) || ch === '[' || ch === ']' || ch === '^' || ch === '-') return undefined;
    this.i += 1;
    return c;
  }

  /** A quantifier after an atom, as [min, max]; [1, 1] when there is none. */
  quantifier(): [number, number] | undefined {
    const ch = this.s.charAt(this.i);
    let bounds: [number, number] = [1, 1];
    if (ch === '?') bounds = [0, 1];
    else if (ch === '*') bounds = [0, Infinity];
    else if (ch === '+') bounds = [1, Infinity];
    else if (ch === '{') {
      const m = /^\{(\d{1,4})(?:(,)(\d{0,4}))?\}/.exec(this.s.slice(this.i));
      if (m === null) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min || min > 1000 || (max !== Infinity && max > 1000)) return undefined;
      this.i += m[0].length;
      return this.greedyOnly([min, max]);
    } else return bounds;
    this.i += 1;
    return this.greedyOnly(bounds);
  }

  /** Lazy and repeated quantifiers (`+?`, `a**`) are left to RE2. */
  private greedyOnly(bounds: [number, number]): [number, number] | undefined {
    const next = this.s.charAt(this.i);
    return next === '?' || next === '*' || next === '+' || next === '{' ? undefined : bounds;
  }
}

/** The expression's items, or undefined when it is not in the subset. */
function itemsOf(source: string): Item[] | undefined {
  let body = source;
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$')) {
    let slashes = 0;
    for (let k = body.length - 2; k >= 0 && body.charAt(k) === '\\'; k -= 1) slashes += 1;
    if (slashes % 2 === 0) body = body.slice(0, -1);
  }
  const reader = new Reader(body);
  const items: Item[] = [];
  let groups = 0;
  while (reader.i < body.length) {
    if (body.charAt(reader.i) === '(') {
      groups += 1;
      if (groups > 1) return undefined;
      reader.i += body.startsWith('(?:', reader.i) ? 3 : 1;
      if (body.charAt(reader.i) === '?') return undefined; // (?i), (?P<…>), look-around
      const alternatives: CharSet[][] = [[]];
      for (;;) {
        const ch = body.charAt(reader.i);
        if (ch === ')') {
          reader.i += 1;
          break;
        }
        if (ch === '|') {
          reader.i += 1;
          alternatives.push([]);
          continue;
        }
        const atom = reader.atom();
        if (atom === undefined) return undefined;
        (alternatives[alternatives.length - 1] as CharSet[]).push(atom);
        const next = body.charAt(reader.i);
        if (next === '?' || next === '*' || next === '+' || next === '{') return undefined; // fixed sequences only
      }
      if (alternatives.length > MAX_ALTERNATIVES || alternatives.some((a) => a.length === 0)) return undefined;
      const next = body.charAt(reader.i);
      if (next === '?' || next === '*' || next === '+' || next === '{') return undefined; // the group is not quantified
      items.push({ set: undefined, alternatives, min: 1, max: 1 });
      continue;
    }
    const atom = reader.atom();
    if (atom === undefined) return undefined;
    const bounds = reader.quantifier();
    if (bounds === undefined) return undefined;
    items.push({ set: atom, alternatives: undefined, min: bounds[0], max: bounds[1] });
  }
  return items;
}

/** The characters an item can start with. */
function firstOf(item: Item): CharSet {
  if (item.set !== undefined) return item.set;
  return (item.alternatives ?? []).reduce<CharSet>((set, alternative) => union(set, alternative[0] ?? EMPTY), EMPTY);
}

/** Every variable-count atom is followed only by atoms that cannot match its characters. */
function deterministic(items: readonly Item[]): boolean {
  for (let k = 0; k < items.length; k += 1) {
    const item = items[k] as Item;
    if (item.set === undefined || item.min === item.max) continue;
    for (let f = k + 1; f < items.length; f += 1) {
      const follower = items[f] as Item;
      if (intersects(item.set, firstOf(follower))) return false;
      if (follower.min > 0) break; // a group is never empty
    }
  }
  return true;
}

const natives = new Map<string, RegExp | null>();

/**
 * A native RegExp that decides, for every text, the same full match as RE2 does for `source`, in
 * linear time; undefined when `source` is outside the subset above (RE2 decides then).
 *
 * @example linearNativeRegex('^[A-Z]{3}-\\d+$')?.test('ABC-12') // true
 */
export function linearNativeRegex(source: string): RegExp | undefined {
  let native = natives.get(source);
  if (native === undefined) {
    const items = source.length <= 512 ? itemsOf(source) : undefined;
    native = items !== undefined && items.length > 0 && deterministic(items) ? new RegExp(`^(?:${source})$`) : null;
    if (natives.size >= 4096) natives.clear();
    natives.set(source, native);
  }
  return native ?? undefined;
}
