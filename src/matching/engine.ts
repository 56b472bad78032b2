/**
 * The matching engine: compares an actual message with a contract's example under Pact V3/V4
 * matching rules, following pact-rust (`pact_matching::json`, `matchingrules`):
 *
 * - objects: every expected key must be present, extra actual keys are allowed (Postel);
 * - arrays without a rule: same length, compared item by item;
 * - arrays with a rule (eachLike, `$` type…): item i is compared with expected[i], items past the
 *   example with expected[0]; lengths are checked by the rule's min/max only;
 * - rules cascade: the rule whose path best matches a value (weight × length, see path.ts) applies,
 *   even when it was written for a parent; min/max never cascade;
 * - values/eachValue ignore keys, eachKey checks keys, arrayContains looks for each variant;
 * - leaves without a rule are compared for equality.
 *
 * Rule maps are compiled once (WeakMap keyed by the RuleMap object), and the rule state of a
 * path is derived from its parent's, so a comparison never parses a path or scans all rules.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../contract/json';
import type { MessageInteraction, RuleJson, RuleMap } from '../contract/model';
import { isHeraldError } from '../errors/herald-error';
import { numberLiteral } from '../contract/number-literals';
import { codePointHint, jsonType, loneSurrogate, show } from '../matchers/kind';
import { jsonEqual, showWritten } from '../matchers/kinds/equality';
import { parseMediaType, sameMediaType } from '../matchers/kinds/content-type';
import { appliesToItems, cascadeRule, checkRule, nestedRules, normaliseRule } from '../matchers/registry';
import { notCanonicalHint, readHeaderText } from './header-text';
import type { CheckFailure, Mismatch, MismatchCode, MismatchPart } from './mismatch';
import { formatPath, formatTokens, parsePath, tokenWeight, type ParsedPath, type PathSegment, type PathToken } from './path';

export interface MatchBodyOptions {
  /** Content type of the body: JSON (default), text, or another type compared as text. XML is unsupported. */
  readonly contentType?: string;
}

export interface ActualMessage {
  /** Decoded message body; undefined when the message had none. */
  readonly content: JsonValue | undefined;
  readonly contentType?: string;
  readonly metadata: { readonly [key: string]: JsonValue | undefined };
}

// ---------------------------------------------------------------------------------------------
// Compiled rules

interface CompiledRule {
  /** The rule path as written in the contract. */
  readonly path: string;
  readonly tokens: readonly PathToken[];
  readonly combine: 'AND' | 'OR';
  /** Matchers with Pact's aliases resolved (`min` → `type`, V2 rules without `match`…). */
  readonly matchers: readonly RuleJson[];
  /** The same matchers when the rule cascades from a parent: min/max dropped. */
  readonly cascadedMatchers: readonly RuleJson[];
  /** Declaration order: the earlier rule wins a tie. */
  readonly order: number;
  /** For eachValue: the rule its children get, as pact-rust's implicit `path.*`. */
  starChild?: CompiledRule | null;
}

interface RuleProblem {
  readonly path: string;
  readonly message: string;
}

interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Rule paths or matchers Herald cannot read: reported, never ignored. */
  readonly problems: readonly RuleProblem[];
  root?: Cursor;
}

/** A rule whose path matched a prefix of the current path, with its weight so far. */
interface Hit {
  readonly rule: CompiledRule;
  readonly weight: number;
}

/**
 * The rule state at one concrete path: rules still matching (pending), the best rule that
 * applies here (own or inherited from a parent), and the rules written for exactly this path.
 */
class Cursor {
  /**
   * Children are memoised: a child depends only on which pending tokens the segment satisfies,
   * so a segment no rule names (by key or index) shares one child, and named segments are bounded
   * by the rules. With rule maps compiled once, repeated comparisons allocate no cursors.
   */
  private names: ReadonlySet<string> | undefined;
  private indexes: ReadonlySet<number> | undefined;
  private named: Map<PathSegment, Cursor> | undefined;
  private unnamedKey: Cursor | undefined;
  private unnamedIndex: Cursor | undefined;
  private injected: Map<CompiledRule, Cursor> | undefined;

  constructor(
    /** Number of segments in the path, `$` included. */
    readonly depth: number,
    readonly pending: readonly Hit[],
    readonly best: Hit | undefined,
    readonly exact: readonly Hit[],
  ) {}

  /** True when the best rule was written for a parent path. */
  get cascaded(): boolean {
    return this.best !== undefined && this.best.rule.tokens.length !== this.depth;
  }

  child(segment: PathSegment): Cursor {
    if (this.pending.length === 0) return (this.unnamedKey ??= new Cursor(this.depth + 1, NO_HITS, this.best, NO_HITS));
    if (this.names === undefined) this.collectNames();
    const names = this.names as ReadonlySet<string>;
    const indexes = this.indexes as ReadonlySet<number>;
    if (typeof segment === 'number') {
      if (!indexes.has(segment) && !names.has(String(segment))) return (this.unnamedIndex ??= this.advance(segment));
    } else if (!names.has(segment)) {
      // Keys that look like indexes can satisfy [n] and [*] tokens: computed, not shared.
      if (/^\d+$/.test(segment) && segment.length < 16) return this.advance(segment);
      return (this.unnamedKey ??= this.advance(segment));
    }
    const named = (this.named ??= new Map());
    let child = named.get(segment);
    if (child === undefined) {
      child = this.advance(segment);
      named.set(segment, child);
    }
    return child;
  }

  /** This cursor with an extra rule written for exactly this path (eachValue's implicit `*`). */
  inject(hit: Hit): Cursor {
    const cached = this.injected?.get(hit.rule);
    if (cached !== undefined) return cached;
    const best = better(hit, this.best) ? hit : this.best;
    const cursor = new Cursor(this.depth, this.pending, best, [...this.exact, hit]);
    (this.injected ??= new Map()).set(hit.rule, cursor);
    return cursor;
  }

  private collectNames(): void {
    const names = new Set<string>();
    const indexes = new Set<number>();
    for (const hit of this.pending) {
      const token = hit.rule.tokens[this.depth] as PathToken;
      if (token.kind === 'field') names.add(token.name);
      else if (token.kind === 'index') indexes.add(token.index);
    }
    this.names = names;
    this.indexes = indexes;
  }

  private advance(segment: PathSegment): Cursor {
    let pending: Hit[] | undefined;
    let exact: Hit[] | undefined;
    let best = this.best;
    for (const hit of this.pending) {
      const w = tokenWeight(hit.rule.tokens[this.depth] as PathToken, segment);
      if (w === 0) continue;
      const next: Hit = { rule: hit.rule, weight: hit.weight * w };
      if (hit.rule.tokens.length === this.depth + 1) {
        (exact ??= []).push(next);
        if (better(next, best)) best = next;
      } else {
        (pending ??= []).push(next);
      }
    }
    return new Cursor(this.depth + 1, pending ?? NO_HITS, best, exact ?? NO_HITS);
  }
}

const NO_HITS: readonly Hit[] = [];

/** Pact's selection: highest weight × rule length; then the longer path; then the earlier rule. */
function better(a: Hit, b: Hit | undefined): boolean {
  if (b === undefined) return true;
  const sa = a.weight * a.rule.tokens.length;
  const sb = b.weight * b.rule.tokens.length;
  if (sa !== sb) return sa > sb;
  if (a.rule.tokens.length !== b.rule.tokens.length) return a.rule.tokens.length > b.rule.tokens.length;
  return a.rule.order < b.rule.order;
}

function rootCursor(compiled: CompiledRules): Cursor {
  if (compiled.root !== undefined) return compiled.root;
  let best: Hit | undefined;
  const pending: Hit[] = [];
  for (const rule of compiled.rules) {
    const hit: Hit = { rule, weight: 1 };
    if (rule.tokens.length === 0) {
      if (better(hit, best)) best = hit;
    } else {
      pending.push(hit);
    }
  }
  compiled.root = new Cursor(0, pending, best, NO_HITS).child('$');
  return compiled.root;
}

const cache = new WeakMap<object, CompiledRules>();
const EMPTY_RULES: CompiledRules = { rules: [], problems: [] };

/** Compiles a rule map (`path → { combine, matchers }`), once per rule-map object. */
function compile(ruleMap: unknown): CompiledRules {
  if (typeof ruleMap !== 'object' || ruleMap === null) return EMPTY_RULES;
  const hit = cache.get(ruleMap);
  if (hit !== undefined) return hit;
  const rules: CompiledRule[] = [];
  const problems: RuleProblem[] = [];
  const raw = ruleMap as Record<string, unknown>;
  // A bare rule list (`{ matchers: [...] }`) applies everywhere, as in pact-rust.
  const entries: [string, unknown][] = 'matchers' in raw && !Array.isArray(raw) ? [['', raw]] : Object.entries(raw);
  for (const [path, list] of entries) {
    const parsed = parseCached(path);
    if (!parsed.ok) {
      problems.push({ path, message: `The matching rule path "${path}" is invalid: ${parsed.reason}; its rules cannot be applied` });
      continue;
    }
    const ruleList = readRuleList(path, list, problems);
    if (ruleList === undefined) continue;
    rules.push({ path, tokens: parsed.tokens, ...ruleList, order: rules.length });
  }
  const compiled: CompiledRules = rules.length === 0 && problems.length === 0 ? EMPTY_RULES : { rules, problems };
  cache.set(ruleMap, compiled);
  return compiled;
}

/** Contracts repeat the same paths across interactions (`$.items[*].qty`): parse each once. */
const parsedPaths = new Map<string, ParsedPath>();

function parseCached(path: string): ParsedPath {
  let parsed = parsedPaths.get(path);
  if (parsed === undefined) {
    parsed = parsePath(path);
    if (parsedPaths.size >= 10_000) parsedPaths.clear();
    parsedPaths.set(path, parsed);
  }
  return parsed;
}

function readRuleList(path: string, list: unknown, problems: RuleProblem[]): Pick<CompiledRule, 'combine' | 'matchers' | 'cascadedMatchers'> | undefined {
  if (!isRecord(list) || !Array.isArray(list['matchers'])) {
    problems.push({ path, message: `The matching rules at "${path}" have no "matchers" list; they cannot be applied` });
    return undefined;
  }
  const combine = typeof list['combine'] === 'string' && list['combine'].toUpperCase() === 'OR' ? 'OR' : 'AND';
  const matchers: RuleJson[] = [];
  for (const raw of list['matchers'] as unknown[]) {
    const rule = normaliseRule(raw);
    if (typeof rule === 'string') problems.push({ path, message: `A matching rule at "${path}" cannot be read: ${rule}` });
    else matchers.push(rule);
  }
  if (matchers.length === 0) return undefined;
  return { combine, matchers, cascadedMatchers: cascadedOf(matchers) };
}

/** What survives of each matcher when the rule cascades to a child (MatcherKind.cascade). */
function cascadedOf(matchers: RuleJson[]): readonly RuleJson[] {
  const out = matchers.flatMap((r) => cascadeRule(r) ?? []);
  return out.length === matchers.length && out.every((r, i) => r === matchers[i]) ? matchers : out;
}

/** The implicit rule eachValue gives its children (pact-rust: `path.*` with the nested rules). */
function starChildOf(owner: CompiledRule): CompiledRule | undefined {
  if (owner.starChild !== undefined) return owner.starChild ?? undefined;
  const matchers = owner.matchers.filter((m) => m.match === 'eachValue').flatMap(nestedRules);
  owner.starChild =
    matchers.length === 0
      ? null
      : { path: `${owner.path}.*`, tokens: [...owner.tokens, { kind: 'star' }], combine: 'AND', matchers, cascadedMatchers: cascadedOf(matchers), order: -1 };
  return owner.starChild ?? undefined;
}

/** Rules for an arrayContains variant: its own rule map (paths relative to `$`), or equality. */
const variantCache = new WeakMap<object, CompiledRules>();
const EQUALITY: RuleJson = { match: 'equality' };
const EQUALITY_ONLY: CompiledRules = {
  rules: [{ path: '', tokens: [], combine: 'AND', matchers: [EQUALITY], cascadedMatchers: [EQUALITY], order: 0 }],
  problems: [],
};

function variantRules(variant: Record<string, unknown>): CompiledRules {
  const cached = variantCache.get(variant);
  if (cached !== undefined) return cached;
  const rules = variant['rules'];
  const compiled = isRecord(rules) ? compile(rules) : EQUALITY_ONLY;
  variantCache.set(variant, compiled);
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// The walk

interface Walk {
  readonly part: MismatchPart;
  readonly out: Mismatch[];
  /** Stop at the first mismatch (arrayContains only needs to know whether an item matches). */
  readonly failFast: boolean;
  /** Set by any failure, including ones not reported again (see `reported`). */
  failed: boolean;
  /** Concrete path below `$`. */
  readonly segments: PathSegment[];
  /** The walk that reports contract errors (a probe's parent), and the errors it already reported. */
  readonly owner: Walk | undefined;
  readonly reported: Set<string>;
  /**
   * Number literals of the leaf being compared, as written (contract/number-literals.ts): set by
   * `descend` from the parents, read by the leaf checks. Undefined: the text is JSON.stringify's.
   */
  expectedText: string | undefined;
  actualText: string | undefined;
}

const stop = (w: Walk): boolean => w.failFast && w.failed;

function newWalk(part: MismatchPart, owner?: Walk): Walk {
  return { part, out: [], failFast: owner !== undefined, failed: false, segments: [], owner, reported: owner?.reported ?? new Set(), expectedText: undefined, actualText: undefined };
}

function report(w: Walk, code: MismatchCode, expected: JsonValue | undefined, actual: JsonValue | undefined, message: string, rule?: RuleJson, extra?: PathSegment): void {
  w.failed = true;
  const path = extra === undefined ? formatPath(w.segments) : formatPath([...w.segments, extra]);
  w.out.push(rule === undefined ? { code, part: w.part, path, expected, actual, message } : { code, part: w.part, path, expected, actual, rule, message });
}

function compare(expected: JsonValue, actual: JsonValue, cursor: Cursor, w: Walk): void {
  if (isJsonObject(expected)) {
    if (isJsonObject(actual)) compareObject(expected, actual, cursor, w);
    else report(w, 'type', expected, actual, `Expected an object but got ${describe(actual)}`);
  } else if (Array.isArray(expected)) {
    if (Array.isArray(actual)) compareArray(expected, actual, cursor, w);
    else report(w, 'type', expected, actual, `Expected an array but got ${describe(actual)}`);
  } else {
    compareLeaf(expected, actual, cursor, w);
  }
}

/** Compares `expectedParent[expectedKey]` with `actualParent[segment]`, reading number literals from the parents. */
function descend(expectedParent: JsonObject | JsonValue[], expectedKey: string | number, actualParent: JsonObject | JsonValue[], cursor: Cursor, segment: PathSegment, w: Walk): void {
  const expected = (expectedParent as Record<string, JsonValue>)[expectedKey] as JsonValue;
  const actual = (actualParent as Record<string, JsonValue>)[segment] as JsonValue;
  w.segments.push(segment);
  if (typeof expected === 'number' || typeof actual === 'number') {
    w.expectedText = numberLiteral(expectedParent, expectedKey);
    w.actualText = numberLiteral(actualParent, segment);
  }
  compare(expected, actual, cursor, w);
  w.expectedText = undefined;
  w.actualText = undefined;
  w.segments.pop();
}

function compareObject(expected: JsonObject, actual: JsonObject, cursor: Cursor, w: Walk): void {
  for (const key in actual) {
    if (unencodable(key, w, key) && stop(w)) return;
  }
  const best = cursor.best;
  if (best === undefined) {
    missingKeys(expected, actual, w);
    for (const key in expected) {
      if (stop(w)) return;
      if (Object.prototype.hasOwnProperty.call(actual, key)) descend(expected, key, actual, cursor.child(key), key, w);
    }
    return;
  }
  const cascaded = cursor.cascaded;
  const list = best.rule;
  const matchers = cascaded ? list.cascadedMatchers : list.matchers;
  let byValue = false;
  let eachValue = false;
  let failures: Failure[] | undefined;
  let passed = 0;
  for (const rule of matchers) {
    const name = rule.match;
    if (name === 'values' || name === 'arrayContains' || name === 'eachValue') {
      if (!cascaded) {
        byValue = true;
        if (name === 'eachValue') eachValue = true;
      }
      passed += 1;
    } else if (name === 'eachKey' || name === 'regex') {
      passed += 1;
    } else {
      const failure = runRule(rule, actual, expected, w);
      if (failure === undefined) passed += 1;
      else (failures ??= []).push({ rule, failure });
    }
  }
  reportRuleFailures(failures, passed, list.combine, w);
  if (stop(w)) return;

  if (byValue) {
    // Keys are free: each actual value is compared with the expected one under the same key, or the first.
    const keys = Object.keys(expected);
    const firstKey = keys[0];
    const first = firstKey === undefined ? undefined : expected[firstKey];
    if (!cascaded) checkKeys(matchers, actual, w);
    if (first === undefined) return;
    const star = eachValue ? starChildOf(list) : undefined;
    for (const key in actual) {
      if (stop(w)) return;
      const templateKey = Object.prototype.hasOwnProperty.call(expected, key) ? key : (firstKey as string);
      let child = cursor.child(key);
      if (star !== undefined) child = child.inject({ rule: star, weight: best.weight });
      descend(expected, templateKey, actual, child, key, w);
    }
    return;
  }

  const direct = cursor.exact.some((h) => h.rule.matchers.some((m) => m.match === 'values' || m.match === 'eachValue' || m.match === 'eachKey'));
  if (!direct) missingKeys(expected, actual, w);
  if (!cascaded) checkKeys(matchers, actual, w);
  for (const key in expected) {
    if (stop(w)) return;
    if (Object.prototype.hasOwnProperty.call(actual, key)) descend(expected, key, actual, cursor.child(key), key, w);
  }
}

function missingKeys(expected: JsonObject, actual: JsonObject, w: Walk): void {
  for (const key in expected) {
    if (stop(w)) return;
    if (!Object.prototype.hasOwnProperty.call(actual, key)) {
      report(w, 'missing', expected[key], undefined, `Expected the key ${JSON.stringify(key)} but it is missing`, undefined, key);
    }
  }
}

/** eachKey: every actual key must satisfy the nested rules. */
function checkKeys(matchers: readonly RuleJson[], actual: JsonObject, w: Walk): void {
  for (const rule of matchers) {
    if (rule.match !== 'eachKey') continue;
    const nested = nestedRules(rule);
    for (const key of Object.keys(actual).sort()) {
      for (const sub of nested) {
        if (stop(w)) return;
        const failure = runRule(sub, key, undefined, w);
        if (failure === undefined) continue;
        if (failure.silent === true) w.failed = true;
        else report(w, failure.code === 'unsupported' ? 'unsupported' : 'key', failure.expected, key, `Key ${JSON.stringify(key)}: ${failure.message}`, rule, key);
      }
    }
  }
}

function compareArray(expected: JsonValue[], actual: JsonValue[], cursor: Cursor, w: Walk): void {
  const best = cursor.best;
  if (best === undefined) {
    // No rule: same length, item by item.
    for (let i = 0; i < expected.length; i += 1) {
      if (stop(w)) return;
      if (i < actual.length) descend(expected, i, actual, cursor.child(i), i, w);
      else report(w, 'missing', expected[i], undefined, `Expected an item at index ${i} (${show(expected[i])}) but the array has ${actual.length} item(s)`, undefined, i);
    }
    unexpectedItems(expected.length, actual, w);
    return;
  }
  const cascaded = cursor.cascaded;
  const list = best.rule;
  const matchers = cascaded ? list.cascadedMatchers : list.matchers;
  const contains: RuleJson[] = [];
  let itemWise = false;
  let eachValue = false;
  let failures: Failure[] | undefined;
  let passed = 0;
  for (const rule of matchers) {
    const name = rule.match;
    if (name === 'arrayContains' && !cascaded) {
      contains.push(rule);
      passed += 1;
    } else if (name === 'eachValue') {
      if (!cascaded) {
        eachValue = true;
        itemWise = true;
      }
      passed += 1;
    } else if (name === 'arrayContains' || appliesToItems(rule)) {
      itemWise = true;
      passed += 1;
    } else {
      itemWise = true;
      const failure = runRule(rule, actual, expected, w);
      if (failure === undefined) passed += 1;
      else (failures ??= []).push({ rule, failure });
    }
  }
  reportRuleFailures(failures, passed, list.combine, w);
  for (const rule of contains) {
    if (stop(w)) return;
    findVariants(rule, expected, actual, w);
  }
  // Without a template item there is nothing to compare the items with.
  if ((!itemWise && contains.length > 0) || expected.length === 0) return;
  const star = eachValue ? starChildOf(list) : undefined;
  for (let i = 0; i < actual.length; i += 1) {
    if (stop(w)) return;
    let child = cursor.child(i);
    if (star !== undefined) child = child.inject({ rule: star, weight: best.weight });
    descend(expected, i < expected.length ? i : 0, actual, child, i, w);
  }
}

const MAX_UNEXPECTED_REPORTED = 10;

function unexpectedItems(expectedLength: number, actual: JsonValue[], w: Walk): void {
  const extra = actual.length - expectedLength;
  if (extra <= 0) return;
  const shown = Math.min(extra, MAX_UNEXPECTED_REPORTED);
  for (let i = expectedLength; i < expectedLength + shown; i += 1) {
    if (stop(w)) return;
    report(w, 'unexpected', undefined, actual[i], `Unexpected item at index ${i} (${show(actual[i])}): the array must have ${expectedLength} item(s)`, undefined, i);
  }
  if (extra > shown) {
    report(w, 'unexpected', expectedLength, actual.length, `...and ${extra - shown} more unexpected item(s): expected ${expectedLength} item(s) but got ${actual.length}`);
  }
}

/** arrayContains: for each variant, some actual item must match expected[index] under the variant's rules. */
function findVariants(rule: RuleJson, expected: JsonValue[], actual: JsonValue[], w: Walk): void {
  const declared = rule['variants'];
  const variants: { index: number; rules: CompiledRules }[] = [];
  if (Array.isArray(declared) && declared.length > 0) {
    for (const v of declared) {
      if (!isRecord(v)) continue;
      const index = typeof v['index'] === 'number' ? v['index'] : 0;
      variants.push({ index, rules: variantRules(v) });
    }
  } else {
    expected.forEach((_, index) => variants.push({ index, rules: EQUALITY_ONLY }));
  }
  for (const { index, rules } of variants) {
    if (stop(w)) return;
    const template = expected[index];
    if (template === undefined) {
      report(w, 'contains', undefined, actual, `arrayContains variant ${index} has no example: the expected array has ${expected.length} item(s); the contract is invalid`, rule);
      continue;
    }
    for (const problem of rules.problems) reportProblem(problem, w);
    const root = rootCursor(rules);
    const found = actual.some((item, i) => {
      const probe = newWalk(w.part, w);
      probe.expectedText = numberLiteral(expected, index);
      probe.actualText = numberLiteral(actual, i);
      compare(template, item, root, probe);
      return !probe.failed;
    });
    if (!found) report(w, 'contains', template, actual, `No item of the array matches variant ${index} (${show(template)})`, rule);
  }
}

function compareLeaf(expected: JsonValue, actual: JsonValue, cursor: Cursor, w: Walk): void {
  if (typeof actual === 'string' && unencodable(actual, w)) return;
  const best = cursor.best;
  if (best === undefined) {
    if (!jsonEqual(expected, actual, w.expectedText, w.actualText)) reportInequality(expected, actual, w);
    return;
  }
  const cascaded = cursor.cascaded;
  applyLeafRules(cascaded ? best.rule.cascadedMatchers : best.rule.matchers, best.rule.combine, cascaded, expected, actual, w);
}

function applyLeafRules(matchers: readonly RuleJson[], combine: 'AND' | 'OR', cascaded: boolean, expected: JsonValue, actual: JsonValue, w: Walk): void {
  let failures: Failure[] | undefined;
  let passed = 0;
  for (const rule of matchers) {
    const name = rule.match;
    let failure: RuleFailure | undefined;
    if (cascaded && (name === 'eachKey' || name === 'eachValue' || name === 'arrayContains')) failure = undefined;
    else if (name === 'values') failure = runRule(EQUALITY, actual, expected, w);
    else failure = runRule(rule, actual, expected, w);
    if (failure === undefined) passed += 1;
    else (failures ??= []).push({ rule, failure });
  }
  reportRuleFailures(failures, passed, combine, w);
}

/**
 * A string holding a lone surrogate cannot be encoded as UTF-8: no producer can send it and no
 * consumer can read it, whatever the rule. Reports it (naming the code point) and returns true.
 */
function unencodable(text: string, w: Walk, key?: string): boolean {
  const surrogate = loneSurrogate(text);
  if (surrogate === undefined) return false;
  const what = key === undefined ? 'The string' : `The key ${JSON.stringify(key)}`;
  report(w, 'value', undefined, text, `${what} holds a lone surrogate ${surrogate}, which cannot be encoded as UTF-8 (${show(text)})`, undefined, key);
  return true;
}

function reportInequality(expected: JsonValue, actual: JsonValue, w: Walk): void {
  const te = family(expected);
  const ta = family(actual);
  if (te !== ta) report(w, 'type', expected, actual, `Expected ${describe(expected)} but got ${describe(actual)}`);
  else report(w, 'value', expected, actual, `Expected ${showWritten(expected, w.expectedText)} but got ${showWritten(actual, w.actualText)}${codePointHint(expected, actual)}`);
}

interface Failure {
  readonly rule: RuleJson;
  readonly failure: RuleFailure;
}

/** AND reports every failing rule; OR fails only when no rule passed, with all reasons. */
function reportRuleFailures(failures: readonly Failure[] | undefined, passed: number, combine: 'AND' | 'OR', w: Walk): void {
  if (failures === undefined || failures.length === 0) return;
  if (combine === 'OR' && passed > 0) return;
  w.failed = true;
  const shown = failures.filter((f) => f.failure.silent !== true);
  if (combine === 'OR') {
    const first = shown[0];
    if (first === undefined) return;
    const message = failures.length === 1 ? first.failure.message : `No alternative matched: ${failures.map((f) => f.failure.message).join('; or ')}`;
    report(w, first.failure.code, first.failure.expected, first.failure.actual, message, first.rule);
    return;
  }
  for (const { rule, failure } of shown) report(w, failure.code, failure.expected, failure.actual, failure.message, rule);
}

/** A kind's failure; `silent` when it is a contract error already reported once. */
type RuleFailure = CheckFailure & { readonly silent?: boolean };

/**
 * Runs one matcher kind. A contract error inside it (bad regex, unsupported date pattern) is an
 * unsupported mismatch, reported once per comparison rather than once per item; the rule still fails.
 */
function runRule(rule: RuleJson, actual: JsonValue | undefined, expected: JsonValue | undefined, w: Walk): RuleFailure | undefined {
  try {
    return checkRule(rule, actual, expected, { expectedText: w.expectedText, actualText: w.actualText });
  } catch (error) {
    if (!isHeraldError(error)) throw error;
    const message = `${error.message} (${error.code})`;
    const failure: CheckFailure = { code: 'unsupported', expected: rule.match, actual, message };
    if (w.reported.has(message)) return { ...failure, silent: true };
    w.reported.add(message);
    if (w.owner === undefined) return failure;
    // Inside an arrayContains probe: the error belongs in the real report, at the probe's root.
    let owner = w.owner;
    while (owner.owner !== undefined) owner = owner.owner;
    owner.out.push({ code: 'unsupported', part: owner.part, path: formatPath(owner.segments), expected: rule.match, actual, rule, message });
    owner.failed = true;
    return { ...failure, silent: true };
  }
}

function reportProblem(problem: RuleProblem, w: Walk): void {
  if (w.reported.has(problem.message)) return;
  w.reported.add(problem.message);
  w.failed = true;
  w.out.push({ code: 'unsupported', part: w.part, path: problem.path === '' ? '$' : problem.path, expected: undefined, actual: undefined, message: problem.message });
}

const family = (v: JsonValue | undefined): string => {
  const t = jsonType(v);
  return t === 'integer' || t === 'decimal' ? 'number' : t;
};

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const t = family(value);
  const article = t === 'array' || t === 'object' ? 'an' : 'a';
  return value === null ? 'null' : `${article} ${t} (${show(value)})`;
}

// ---------------------------------------------------------------------------------------------
// Public API

const isXml = (contentType: string | undefined): boolean => contentType !== undefined && /xml/i.test(contentType);
const isJson = (contentType: string | undefined): boolean => contentType === undefined || contentType.trim() === '' || /json/i.test(contentType);
const isEmptyBody = (v: JsonValue | undefined): boolean => v === undefined || v === null || v === '';

/**
 * Compares a message body with the contract's example under its matching rules (Pact V3/V4).
 * Returns no mismatches when the body matches. Pact's body states apply: no expected body
 * matches anything; an expected empty body (null or "") fails only when a body is present.
 *
 * @example
 * matchBody({ qty: 1 }, { qty: '2' }, { '$.qty': { combine: 'AND', matchers: [{ match: 'integer' }] } });
 * // → [{ code: 'type', part: 'body', path: '$.qty', message: 'Expected an integer but got "2"', … }]
 */
export function matchBody(expected: JsonValue | undefined, actual: JsonValue | undefined, rules: RuleMap, options: MatchBodyOptions = {}): Mismatch[] {
  const w = newWalk('body');
  const contentType = options.contentType;
  if (isXml(contentType)) {
    report(w, 'unsupported', contentType, undefined, `Herald cannot match XML content (${String(contentType)}); XML message bodies are not supported`);
    return w.out;
  }
  const compiled = compile(rules);
  for (const problem of compiled.problems) reportProblem(problem, w);
  if (expected === undefined) return w.out;
  if (expected === null || expected === '') {
    if (!isEmptyBody(actual)) report(w, 'unexpected', expected, actual, `Expected an empty body but got ${show(actual)}`);
    return w.out;
  }
  if (actual === undefined || actual === '') {
    report(w, 'missing', expected, actual, `Expected a body but it was ${actual === undefined ? 'missing' : 'empty'}`);
    return w.out;
  }
  const root = rootCursor(compiled);
  if (isJson(contentType)) compare(expected, actual, root, w);
  else compareLeaf(expected, actual, root, w); // text and other content: the whole body as one value
  return w.out;
}

interface MetadataRules {
  readonly byKey: Map<string, CompiledRule>;
  readonly problems: readonly RuleProblem[];
}

const metadataCache = new WeakMap<object, MetadataRules>();

/** Metadata rules are keyed by plain names ("kafka_key", "trace id"); `$.key` and `$['key']` are accepted too. */
function metadataRules(rules: RuleMap): MetadataRules {
  const cached = metadataCache.get(rules);
  if (cached !== undefined) return cached;
  const byKey = new Map<string, CompiledRule>();
  const problems: RuleProblem[] = [];
  let order = 0;
  for (const [key, list] of Object.entries(rules as Record<string, unknown>)) {
    const ruleList = readRuleList(key, list, problems);
    if (ruleList === undefined) continue;
    const parsed = key.startsWith('$') ? parseCached(key) : undefined;
    const only = parsed?.ok === true && parsed.tokens.length === 2 ? parsed.tokens[1] : undefined;
    const name = only?.kind === 'field' ? only.name : key;
    const rule: CompiledRule = { path: key, tokens: [{ kind: 'root' }, { kind: 'field', name }], ...ruleList, order: order++ };
    if (!byKey.has(name)) byKey.set(name, rule);
  }
  const result: MetadataRules = { byKey, problems };
  metadataCache.set(rules, result);
  return result;
}

/**
 * Compares message metadata (headers, keys, content type) with the contract's: every expected
 * key must be present and match its rule, or be equal. Extra actual keys are allowed. Header
 * values that arrive as text are read as the expected number, boolean or null only in canonical
 * form ("42", "true", "null"; see header-text.ts); a string expected is never satisfied by a number.
 *
 * @example
 * matchMetadata({ kafka_key: 'order-1' }, { kafka_key: 'order-2' }, {});
 * // → [{ code: 'value', part: 'metadata', path: 'kafka_key', … }]
 */
export function matchMetadata(expected: JsonObject, actual: { readonly [key: string]: JsonValue | undefined }, rules: RuleMap): Mismatch[] {
  const w = newWalk('metadata');
  const { byKey, problems } = metadataRules(rules);
  for (const problem of problems) reportProblem(problem, w);
  for (const key of Object.keys(expected)) {
    const e = expected[key] as JsonValue;
    const found = Object.prototype.hasOwnProperty.call(actual, key) ? actual[key] : undefined;
    const start = w.out.length;
    if (found === undefined) {
      w.out.push({ code: 'missing', part: 'metadata', path: key, expected: e, actual: undefined, message: `Expected the metadata key ${JSON.stringify(key)} but it is missing` });
      continue;
    }
    const reading = readHeaderText(key, e, found);
    const a = reading.value;
    w.expectedText = numberLiteral(expected, key);
    w.actualText = reading.literal ?? numberLiteral(actual, key);
    const rule = byKey.get(key);
    if (typeof a === 'string' && loneSurrogate(a) !== undefined) unencodable(a, w);
    else if (rule !== undefined) applyLeafRules(rule.matchers, rule.combine, false, e, a, w);
    else if (/^content-?type$/i.test(key) && typeof e === 'string' && typeof a === 'string') {
      if (!sameMediaType(e, a)) w.out.push({ code: 'content-type', part: 'metadata', path: key, expected: e, actual: a, message: `Expected the content type ${JSON.stringify(e)} but got ${JSON.stringify(a)}` });
    } else if (!jsonEqual(e, a, w.expectedText, w.actualText)) reportInequality(e, a, w);
    w.expectedText = undefined;
    w.actualText = undefined;
    // Leaf reports are rendered at `$`; metadata mismatches are named by key.
    const hint = notCanonicalHint(e, found);
    for (let i = start; i < w.out.length; i += 1) {
      const m = w.out[i] as Mismatch;
      if (m.path === '$') w.out[i] = { ...m, path: key, message: `${m.message}${hint}` };
    }
  }
  return w.out;
}

/**
 * Notes for a report: the metadata values that arrived as text and were read as the number,
 * boolean or null the contract expects (header-text.ts). Empty when none was.
 *
 * @example metadataNotes({ attempt: 3 }, { attempt: '3' }) // ['The metadata value "attempt" arrived as the text "3" and was read as the number 3, …']
 */
export function metadataNotes(expected: JsonObject, actual: { readonly [key: string]: JsonValue | undefined }): string[] {
  const notes: string[] = [];
  for (const key of Object.keys(expected)) {
    const found = Object.prototype.hasOwnProperty.call(actual, key) ? actual[key] : undefined;
    if (found === undefined) continue;
    const note = readHeaderText(key, expected[key] as JsonValue, found).note;
    if (note !== undefined) notes.push(note);
  }
  return notes;
}

/** Content types a body can be compared across: the same base type, or both JSON. */
function compatibleContentTypes(expected: string, actual: string): boolean {
  const e = parseMediaType(expected).base;
  const a = parseMediaType(actual).base;
  return e === a || (/json/.test(e) && /json/.test(a));
}

/**
 * Compares a received message with a contract interaction: content type, body and metadata.
 *
 * @example
 * const mismatches = matchMessage(interaction, { content: JSON.parse(value), contentType: 'application/json', metadata: headers });
 */
export function matchMessage(interaction: MessageInteraction, actual: ActualMessage): Mismatch[] {
  const expectedType = interaction.contents.contentType === '' ? undefined : interaction.contents.contentType;
  const actualType = actual.contentType === undefined || actual.contentType === '' ? undefined : actual.contentType;
  const out: Mismatch[] = [];
  if (expectedType !== undefined && actualType !== undefined && !compatibleContentTypes(expectedType, actualType)) {
    if (!isEmptyBody(interaction.contents.content)) {
      out.push({
        code: 'content-type',
        part: 'body',
        path: '$',
        expected: expectedType,
        actual: actualType,
        message: `Expected a body of type ${expectedType} but the message has the content type ${actualType}`,
      });
    }
  } else {
    const contentType = expectedType ?? actualType;
    out.push(...matchBody(interaction.contents.content, actual.content, interaction.matchingRules.body, contentType === undefined ? {} : { contentType }));
  }
  let metadata = actual.metadata;
  if (actualType !== undefined && metadata['contentType'] === undefined && interaction.metadata['contentType'] !== undefined) {
    metadata = { ...metadata, contentType: actualType };
  }
  out.push(...matchMetadata(interaction.metadata, metadata, interaction.matchingRules.metadata));
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For tests and tools: the rule path Pact would apply at a concrete path, if any. */
export function selectRule(rules: RuleMap, segments: readonly PathSegment[]): { readonly path: string; readonly cascaded: boolean } | undefined {
  let cursor = rootCursor(compile(rules));
  for (const s of segments) cursor = cursor.child(s);
  const best = cursor.best;
  if (best === undefined) return undefined;
  return { path: best.rule.path === '' ? formatTokens(best.rule.tokens) : best.rule.path, cascaded: cursor.cascaded };
}
