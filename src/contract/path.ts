/**
 * Pact matching-rule paths: parsing (`$.items[*].qty`, `$['a b']`, `$.*`), rendering concrete
 * paths for mismatches, and the weighting Pact uses to pick the rule for a concrete path
 * (pact-rust `DocPath::path_weight` / `MatchingRuleCategory::select_best_matcher`).
 *
 * Grammar (as pact-rust `parse_path_exp`):
 *   path       := '$' step* | identifier step*     (a missing root is implied)
 *   step       := '.' (identifier | '*') | '[' (index | '*' | quoted) ']'
 *   identifier := [letters digits _ - : # @]+
 *   quoted     := "'" ( [^'\\] | '\\\\' | "\\'" )* "'"    (backslash-backslash is a backslash, backslash-quote a quote)
 *
 * Herald writes (`appendKey`, `formatPath`, `formatTokens`) and reads (`parsePath`) this grammar
 * with the same code, so any key round-trips: `a\b` is written `$['a\\b']`, `it's` is `$['it\'s']`.
 * A backslash before any other character is read literally (files written by tools that do not
 * escape), and `$['']` is the empty key.
 */

/** One parsed token of a rule path. */
export type PathToken =
  | { readonly kind: 'root' }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  /** `.*`: any key or index. */
  | { readonly kind: 'star' }
  /** `[*]`: any array index. */
  | { readonly kind: 'starIndex' };

/** A segment of a concrete path: an object key or an array index. */
export type PathSegment = string | number;

export type ParsedPath = { readonly ok: true; readonly tokens: readonly PathToken[] } | { readonly ok: false; readonly reason: string };

const ROOT: PathToken = { kind: 'root' };
const STAR: PathToken = { kind: 'star' };
const STAR_INDEX: PathToken = { kind: 'starIndex' };

const isIdentifierChar = (ch: string): boolean => /[\p{L}\p{N}_\-:#@]/u.test(ch);
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';

/**
 * Parses a Pact rule path into tokens. The empty string parses to no tokens (Pact uses it for
 * rules that apply everywhere, e.g. arrayContains variants without rules).
 */
export function parsePath(path: string): ParsedPath {
  const tokens: PathToken[] = [];
  if (path === '') return { ok: true, tokens };
  const fail = (reason: string): ParsedPath => ({ ok: false, reason: `${reason} in path expression "${path}"` });
  let i = 0;
  const readIdentifier = (): string => {
    const start = i;
    while (i < path.length && isIdentifierChar(path.charAt(i))) i += 1;
    return path.slice(start, i);
  };
  const first = path.charAt(0);
  if (first === '$') {
    tokens.push(ROOT);
    i = 1;
  } else if (/[\p{L}\p{N}]/u.test(first)) {
    tokens.push(ROOT);
    tokens.push({ kind: 'field', name: readIdentifier() });
  } else {
    return fail('The path does not start with the root marker "$"');
  }
  while (i < path.length) {
    const ch = path.charAt(i);
    if (ch === '.') {
      i += 1;
      if (i >= path.length) return fail(`Expected a name after "." at index ${i - 1}`);
      if (path.charAt(i) === '*') {
        tokens.push(STAR);
        i += 1;
      } else {
        const name = readIdentifier();
        if (name === '') return fail(`Expected "*" or a name at index ${i}`);
        tokens.push({ kind: 'field', name });
      }
      const next = path.charAt(i);
      if (i < path.length && next !== '.' && next !== '[') return fail(`"${next}" is not allowed in a name at index ${i}`);
    } else if (ch === '[') {
      i += 1;
      const c = path.charAt(i);
      if (c === "'") {
        const quoted = readQuoted(path, i);
        if (quoted === undefined) return fail(`Unterminated string at index ${i}`);
        tokens.push({ kind: 'field', name: quoted.name });
        i = quoted.end;
      } else if (isDigit(c)) {
        const start = i;
        while (i < path.length && isDigit(path.charAt(i))) i += 1;
        tokens.push({ kind: 'index', index: Number(path.slice(start, i)) });
      } else if (c === '*') {
        tokens.push(STAR_INDEX);
        i += 1;
      } else if (c === '') {
        return fail(`Expected a quote, a digit or "*" after "[" at index ${i - 1}`);
      } else {
        return fail(`Indexes can only be numbers or "*", found "${c}" at index ${i}`);
      }
      if (path.charAt(i) !== ']') return fail(`Unterminated brackets at index ${i}`);
      i += 1;
    } else {
      return fail(`Expected "." or "[" instead of "${ch}" at index ${i}`);
    }
  }
  return { ok: true, tokens };
}

/** Reads a quoted key starting at the quote at `start`; `end` is the index after the closing quote. */
function readQuoted(path: string, start: number): { name: string; end: number } | undefined {
  let name = '';
  for (let i = start + 1; i < path.length; i += 1) {
    const ch = path.charAt(i);
    if (ch === "'") return { name, end: i + 1 };
    if (ch === '\\' && (path.charAt(i + 1) === '\\' || path.charAt(i + 1) === "'")) {
      name += path.charAt(i + 1);
      i += 1;
    } else {
      name += ch;
    }
  }
  return undefined;
}

/**
 * Weight of one rule token against one concrete segment (pact-rust `matches_token`): 2 for an
 * exact name or index, 1 for a wildcard, 0 when it does not match.
 */
export function tokenWeight(token: PathToken, segment: PathSegment): number {
  switch (token.kind) {
    case 'root':
      return segment === '$' ? 2 : 0;
    case 'field':
      return String(segment) === token.name ? 2 : 0;
    case 'index':
      return typeof segment === 'number' ? (segment === token.index ? 2 : 0) : isIndexText(segment) && Number(segment) === token.index ? 2 : 0;
    case 'starIndex':
      return typeof segment === 'number' || isIndexText(segment) ? 1 : 0;
    case 'star':
      return 1;
  }
}

const isIndexText = (s: string): boolean => s.length > 0 && s.length < 16 && /^\d+$/.test(s);

/**
 * Pact's weight of a rule path for a concrete path (root segment `$` first): the product of the
 * token weights when the rule is no longer than the path, else 0. A rule applies (cascades) when
 * its weight is above 0; the best rule has the largest weight × rule length.
 */
export function pathWeight(tokens: readonly PathToken[], segments: readonly PathSegment[]): number {
  if (segments.length < tokens.length) return 0;
  let weight = 1;
  for (let i = 0; i < tokens.length && weight > 0; i += 1) weight *= tokenWeight(tokens[i] as PathToken, segments[i] as PathSegment);
  return weight;
}

const IDENT = /^[_A-Za-z][_A-Za-z0-9_-]*$/;

/** One key as a path step: `.name` for identifiers, `['a b']` otherwise (backslash and quote escaped). */
export function formatKey(key: string): string {
  return IDENT.test(key) ? `.${key}` : `['${key.replace(/[\\']/g, '\\$&')}']`;
}

/** Appends a key to a rendered path: `.name` for identifiers, `['a b']` otherwise. */
export function appendKey(path: string, key: string): string {
  return path + formatKey(key);
}

/** Renders a concrete path in Pact notation: `formatPath(['items', 0, 'qty'])` is `$.items[0].qty`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) out = typeof s === 'number' ? `${out}[${s}]` : appendKey(out, s);
  return out;
}

/** Renders parsed tokens back to a rule path (`$.items[*].qty`). */
export function formatTokens(tokens: readonly PathToken[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'root') out += '$';
    else if (t.kind === 'field') out = appendKey(out, t.name);
    else if (t.kind === 'index') out += `[${t.index}]`;
    else if (t.kind === 'star') out += '.*';
    else out += '[*]';
  }
  return out;
}
