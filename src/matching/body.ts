/** matchBody: a message body against the contract's example and body rules. */
import type { JsonValue } from '../contract/json';
import type { RuleMap } from '../contract/model';
import type { PathSegment } from '../contract/path';
import { show } from '../matchers/kind';
import type { Mismatch } from '../matchers/mismatch';
import { rootCursor } from './cursor';
import { compile, type RuleProblem } from './rules';
import { compare, compareLeaf, newWalk, report, reportProblem } from './walk';

export interface MatchBodyOptions {
  /** Content type of the body: JSON (default), text, or another type compared as text. XML is unsupported. */
  readonly contentType?: string;
}

const isXml = (contentType: string | undefined): boolean => contentType !== undefined && /xml/i.test(contentType);
const isJson = (contentType: string | undefined): boolean => contentType === undefined || contentType.trim() === '' || /json/i.test(contentType);
export const isEmptyBody = (v: JsonValue | undefined): boolean => v === undefined || v === null || v === '';

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
  const problems = compiled.problems;
  for (let i = 0; i < problems.length; i += 1) reportProblem(problems[i] as RuleProblem, w);
  if (expected === undefined) return w.out;
  // In JSON, "" is a string like any other (a body of two quote characters); in text it is no text.
  if (expected === null || (expected === '' && !isJson(contentType))) {
    if (!isEmptyBody(actual)) report(w, 'unexpected', expected, actual, `Expected an empty body but got ${show(actual)}`);
    return w.out;
  }
  if (actual === undefined) {
    report(w, 'missing', expected, actual, 'Expected a body but it was missing');
    return w.out;
  }
  const root = rootCursor(compiled);
  if (isJson(contentType)) compare(expected, actual, root, w);
  else compareLeaf(expected, actual, root, w); // text and other content: the whole body as one value
  return w.out;
}

/**
 * Compares one value with itself at a concrete path of a JSON body, as `matchBody` compares a
 * leaf it reaches through plain keys and indexes (no `values` or `eachValue` rule above it). The
 * consumer DSL's self-check uses it for the example values that changed since an example of the
 * same shape passed in full (src/dsl/self-check.ts).
 */
export function matchBodyLeaf(rules: RuleMap, segments: readonly PathSegment[], value: JsonValue): Mismatch[] {
  const w = newWalk('body');
  const compiled = compile(rules);
  for (const problem of compiled.problems) reportProblem(problem, w);
  let cursor = rootCursor(compiled);
  for (const segment of segments) cursor = cursor.child(segment);
  w.segments.push(...segments);
  compareLeaf(value, value, cursor, w);
  return w.out;
}
