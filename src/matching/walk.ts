/**
 * The body walk: compares expected and actual values under the cursor's rules, reporting
 * mismatches with their paths. Structure (objects, arrays, eachKey/eachValue, arrayContains) is
 * the walk's; what a rule accepts is its kind's (registry.checkRule).
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';
import { isHeraldError } from '../errors/herald-error';
import { numberLiteral } from '../contract/number-literals';
import { codePointHint, jsonType, loneSurrogate, show } from '../matchers/kind';
import { jsonEqual, showWritten } from '../matchers/kinds/equality';
import { appliesToItems, checkRule, nestedRules } from '../matchers/registry';
import type { CheckFailure, Mismatch, MismatchCode, MismatchPart } from '../matchers/mismatch';
import { Cursor, rootCursor } from './cursor';
import { EQUALITY, EQUALITY_ONLY, isRecord, starChildOf, variantRules, type CompiledRules, type RuleProblem } from './rules';
import { formatPath, type PathSegment } from '../contract/path';

export interface Walk {
  readonly part: MismatchPart;
  readonly out: Mismatch[];
  /** Stop at the first mismatch (arrayContains only needs to know whether an item matches). */
  readonly failFast: boolean;
  /** Set by any failure, including ones not reported again (see `reported`). */
  failed: boolean;
  /** Concrete path below `$`. */
  readonly segments: PathSegment[];
  /** The walk that reports contract errors (a probe's parent). */
  readonly owner: Walk | undefined;
  /** Contract errors already reported: held by the root walk for its probes too, made at the first one (see {@link reportedOf}). */
  reported: Set<string> | undefined;
  /**
   * Number literals of the leaf being compared, as written (contract/number-literals.ts): set by
   * `descend` from the parents, read by the leaf checks. Undefined: the text is JSON.stringify's.
   */
  expectedText: string | undefined;
  actualText: string | undefined;
}

const stop = (w: Walk): boolean => w.failFast && w.failed;

export function newWalk(part: MismatchPart, owner?: Walk): Walk {
  return { part, out: [], failFast: owner !== undefined, failed: false, segments: [], owner, reported: undefined, expectedText: undefined, actualText: undefined };
}

/** The contract errors the walk's root (and so every probe under it) already reported; most walks never need it. */
function reportedOf(w: Walk): Set<string> {
  let root = w;
  while (root.owner !== undefined) root = root.owner;
  return (root.reported ??= new Set());
}

export function report(w: Walk, code: MismatchCode, expected: JsonValue | undefined, actual: JsonValue | undefined, message: string, rule?: RuleJson, extra?: PathSegment): void {
  w.failed = true;
  const path = extra === undefined ? formatPath(w.segments) : formatPath([...w.segments, extra]);
  w.out.push(rule === undefined ? { code, part: w.part, path, expected, actual, message } : { code, part: w.part, path, expected, actual, rule, message });
}

export function compare(expected: JsonValue, actual: JsonValue, cursor: Cursor, w: Walk): void {
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
  for (let i = 0; i < matchers.length; i += 1) {
    const rule = matchers[i] as RuleJson;
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
  // Indexed: this runs for every object under a rule, and a for…of step allocates until V8 optimises it.
  for (let i = 0; i < matchers.length; i += 1) {
    const rule = matchers[i] as RuleJson;
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
  for (let i = 0; i < matchers.length; i += 1) {
    const rule = matchers[i] as RuleJson;
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
  for (let i = 0; i < contains.length; i += 1) {
    if (stop(w)) return;
    findVariants(contains[i] as RuleJson, expected, actual, w);
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

export function compareLeaf(expected: JsonValue, actual: JsonValue, cursor: Cursor, w: Walk): void {
  if (typeof actual === 'string' && unencodable(actual, w)) return;
  const best = cursor.best;
  if (best === undefined) {
    if (!jsonEqual(expected, actual, w.expectedText, w.actualText)) reportInequality(expected, actual, w);
    return;
  }
  const cascaded = cursor.cascaded;
  applyLeafRules(cascaded ? best.rule.cascadedMatchers : best.rule.matchers, best.rule.combine, cascaded, expected, actual, w);
}

export function applyLeafRules(matchers: readonly RuleJson[], combine: 'AND' | 'OR', cascaded: boolean, expected: JsonValue, actual: JsonValue, w: Walk): void {
  let failures: Failure[] | undefined;
  let passed = 0;
  // Indexed loops on the per-value paths: until V8 optimises them (a cold process runs thousands of
  // values first), each step of an array iterator allocates a result object.
  for (let i = 0; i < matchers.length; i += 1) {
    const rule = matchers[i] as RuleJson;
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
export function unencodable(text: string, w: Walk, key?: string): boolean {
  const surrogate = loneSurrogate(text);
  if (surrogate === undefined) return false;
  const what = key === undefined ? 'The string' : `The key ${JSON.stringify(key)}`;
  report(w, 'value', undefined, text, `${what} holds a lone surrogate ${surrogate}, which cannot be encoded as UTF-8 (${show(text)})`, undefined, key);
  return true;
}

export function reportInequality(expected: JsonValue, actual: JsonValue, w: Walk): void {
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
    // Most values are written as JSON.stringify writes them: no texts object for those.
    return w.expectedText === undefined && w.actualText === undefined
      ? checkRule(rule, actual, expected)
      : checkRule(rule, actual, expected, { expectedText: w.expectedText, actualText: w.actualText });
  } catch (error) {
    if (!isHeraldError(error)) throw error;
    const message = `${error.message} (${error.code})`;
    const failure: CheckFailure = { code: 'unsupported', expected: rule.match, actual, message };
    const reported = reportedOf(w);
    if (reported.has(message)) return { ...failure, silent: true };
    reported.add(message);
    if (w.owner === undefined) return failure;
    // Inside an arrayContains probe: the error belongs in the real report, at the probe's root.
    let owner = w.owner;
    while (owner.owner !== undefined) owner = owner.owner;
    owner.out.push({ code: 'unsupported', part: owner.part, path: formatPath(owner.segments), expected: rule.match, actual, rule, message });
    owner.failed = true;
    return { ...failure, silent: true };
  }
}

export function reportProblem(problem: RuleProblem, w: Walk): void {
  const reported = reportedOf(w);
  if (reported.has(problem.message)) return;
  reported.add(problem.message);
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
