/** matchMetadata: message metadata (headers, key, properties) against the contract's, keyed by name. */
import { type JsonObject, type JsonValue } from '../contract/json';
import type { RuleMap } from '../contract/model';
import { numberLiteral } from '../contract/number-literals';
import { loneSurrogate } from '../matchers/kind';
import { jsonEqual } from '../matchers/kinds/equality';
import { sameMediaType } from '../matchers/kinds/content-type';
import { notCanonicalHint, readHeaderText } from './header-text';
import type { Mismatch } from '../matchers/mismatch';
import { parseCached, readByText, readRuleList, type CompiledRule, type RuleProblem } from './rules';
import { applyLeafRules, newWalk, reportInequality, reportProblem, unencodable } from './walk';

interface MetadataRules {
  readonly byKey: Map<string, CompiledRule>;
  readonly problems: readonly RuleProblem[];
}

/** Metadata rules are keyed by plain names ("kafka_key", "trace id"); `$.key` and `$['key']` are accepted too. */
const metadataRules = (rules: RuleMap): MetadataRules => readByText(rules, metadataByText, readMetadataRules, metadataBySealed);
const metadataBySealed = new WeakMap<object, MetadataRules>();

function readMetadataRules(rules: object): MetadataRules {
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
  return { byKey, problems };
}

/** Metadata rule maps by their JSON text (bounded). */
const metadataByText = new Map<string, MetadataRules>();

export interface MetadataOptions {
  /** The values carry their wire types (AMQP, a factory's JSON): text is never read as a number or boolean. */
  readonly typed?: boolean;
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
export function matchMetadata(expected: JsonObject, actual: { readonly [key: string]: JsonValue | undefined }, rules: RuleMap, options: MetadataOptions = {}): Mismatch[] {
  const w = newWalk('metadata');
  const { byKey, problems } = metadataRules(rules);
  // Indexed loops: until V8 optimises this (it runs once per message), each step of an array
  // iterator allocates a result object.
  for (let i = 0; i < problems.length; i += 1) reportProblem(problems[i] as RuleProblem, w);
  const keys = Object.keys(expected);
  for (let k = 0; k < keys.length; k += 1) {
    const key = keys[k] as string;
    const e = expected[key] as JsonValue;
    const found = Object.prototype.hasOwnProperty.call(actual, key) ? actual[key] : undefined;
    const start = w.out.length;
    if (found === undefined) {
      w.out.push({ code: 'missing', part: 'metadata', path: key, expected: e, actual: undefined, message: `Expected the metadata key ${JSON.stringify(key)} but it is missing` });
      continue;
    }
    const reading = options.typed === true ? { value: found, literal: undefined } : readHeaderText(key, e, found);
    const a = reading.value;
    w.expectedText = numberLiteral(expected, key);
    w.actualText = reading.literal ?? numberLiteral(actual, key);
    const rule = byKey.get(key);
    const isContentTypeKey = /^content-?type$/i.test(key);
    if (typeof a === 'string' && loneSurrogate(a) !== undefined) unencodable(a, w);
    else if (rule !== undefined && isContentTypeKey && typeof a === 'string' && rule.matchers.every((m) => m.match === 'contentType')) {
      // The message's own content type names a type: a contentType rule there compares names (elsewhere it checks the value's bytes).
      for (const m of rule.matchers) {
        const wanted = typeof m['value'] === 'string' ? m['value'] : '';
        if (!sameMediaType(wanted, a))
          w.out.push({ code: 'content-type', part: 'metadata', path: key, expected: wanted, actual: a, message: `Expected the content type ${JSON.stringify(wanted)} but got ${JSON.stringify(a)}` });
      }
    } else if (rule !== undefined) applyLeafRules(rule.matchers, rule.combine, false, e, a, w);
    else if (isContentTypeKey && typeof e === 'string' && typeof a === 'string') {
      if (!sameMediaType(e, a))
        w.out.push({ code: 'content-type', part: 'metadata', path: key, expected: e, actual: a, message: `Expected the content type ${JSON.stringify(e)} but got ${JSON.stringify(a)}` });
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
export function metadataNotes(expected: JsonObject, actual: { readonly [key: string]: JsonValue | undefined }, options: MetadataOptions = {}): string[] {
  const notes: string[] = [];
  if (options.typed === true) return notes;
  const keys = Object.keys(expected);
  for (let k = 0; k < keys.length; k += 1) {
    const key = keys[k] as string;
    const found = Object.prototype.hasOwnProperty.call(actual, key) ? actual[key] : undefined;
    if (found === undefined) continue;
    const note = readHeaderText(key, expected[key] as JsonValue, found).note;
    if (note !== undefined) notes.push(note);
  }
  return notes;
}
