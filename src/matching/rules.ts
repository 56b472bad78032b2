/**
 * Rule compilation: a Pact rule map (`path → { combine, matchers }`) read once into rules with
 * parsed paths, Pact's spellings resolved by the kinds (registry.normaliseRule) and what survives a
 * cascade precomputed (MatcherKind.cascade). Problems (bad paths, unreadable rules) are kept, to be
 * reported: a rule Herald cannot read never silently checks nothing.
 */
import type { RuleJson } from '../contract/model';
import { cascadeRule, nestedRules, normaliseRule } from '../matchers/registry';
import type { Cursor } from './cursor';
import { parsePath, type ParsedPath, type PathToken } from '../contract/path';
import { isSealedRuleMap } from '../contract/sealed';

export interface CompiledRule {
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

export interface RuleProblem {
  readonly path: string;
  readonly message: string;
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Rule paths or matchers Herald cannot read: reported, never ignored. */
  readonly problems: readonly RuleProblem[];
  root?: Cursor;
}

const EMPTY_RULES: CompiledRules = { rules: [], problems: [] };

/**
 * Reads a rule map once per JSON text, from a private copy of that text. Contracts and
 * declarations repeat the same rule maps as separate objects, so the text is the key; and the
 * copy is what gets read, so what is checked is always what the text (and a contract file
 * written from the map) says. Caching by the caller's object, or keeping the caller's rule
 * objects, would check a rule map as it was first seen after the caller changed it: a rule added
 * or a pattern edited between two calls would then be ignored, a false pass.
 * A map JSON cannot write (a cycle, a BigInt) is read as it is, each time, and never cached.
 */
export function readByText<T>(ruleMap: object, byText: Map<string, T>, read: (map: object) => T, bySealed: WeakMap<object, T>): T {
  if (isSealedRuleMap(ruleMap)) {
    // Frozen by sealRuleMap: it cannot change, so its object is key enough.
    let result = bySealed.get(ruleMap);
    if (result === undefined) bySealed.set(ruleMap, (result = readText(ruleMap, byText, read)));
    return result;
  }
  return readText(ruleMap, byText, read);
}

function readText<T>(ruleMap: object, byText: Map<string, T>, read: (map: object) => T): T {
  let text: string | undefined;
  try {
    text = JSON.stringify(ruleMap);
  } catch {
    return read(ruleMap);
  }
  if (text === undefined) return read(ruleMap); // a toJSON that returns nothing: read as it is
  const same = byText.get(text);
  if (same !== undefined) return same;
  const result = read(JSON.parse(text) as object);
  if (byText.size >= 10_000) byText.clear();
  byText.set(text, result);
  return result;
}

/** Compiles a rule map (`path → { combine, matchers }`), once per rule-map text (readByText). */
export function compile(ruleMap: unknown): CompiledRules {
  if (typeof ruleMap !== 'object' || ruleMap === null) return EMPTY_RULES;
  return readByText(ruleMap, byText, compileMap, bySealed);
}

const bySealed = new WeakMap<object, CompiledRules>();

function compileMap(ruleMap: object): CompiledRules {
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
  return rules.length === 0 && problems.length === 0 ? EMPTY_RULES : { rules, problems };
}

/** Compiled rule maps by their JSON text (bounded). */
const byText = new Map<string, CompiledRules>();

/** Contracts repeat the same paths across interactions (`$.items[*].qty`): parse each once. */
const parsedPaths = new Map<string, ParsedPath>();

export function parseCached(path: string): ParsedPath {
  let parsed = parsedPaths.get(path);
  if (parsed === undefined) {
    parsed = parsePath(path);
    if (parsedPaths.size >= 10_000) parsedPaths.clear();
    parsedPaths.set(path, parsed);
  }
  return parsed;
}

export function readRuleList(path: string, list: unknown, problems: RuleProblem[]): Pick<CompiledRule, 'combine' | 'matchers' | 'cascadedMatchers'> | undefined {
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
export function starChildOf(owner: CompiledRule): CompiledRule | undefined {
  if (owner.starChild !== undefined) return owner.starChild ?? undefined;
  const matchers = owner.matchers.filter((m) => m.match === 'eachValue').flatMap(nestedRules);
  owner.starChild =
    matchers.length === 0 ? null : { path: `${owner.path}.*`, tokens: [...owner.tokens, { kind: 'star' }], combine: 'AND', matchers, cascadedMatchers: cascadedOf(matchers), order: -1 };
  return owner.starChild ?? undefined;
}

/** Rules for an arrayContains variant: its own rule map (paths relative to `$`), or equality. */
const variantCache = new WeakMap<object, CompiledRules>();
export const EQUALITY: RuleJson = { match: 'equality' };
export const EQUALITY_ONLY: CompiledRules = {
  rules: [{ path: '', tokens: [], combine: 'AND', matchers: [EQUALITY], cascadedMatchers: [EQUALITY], order: 0 }],
  problems: [],
};

export function variantRules(variant: Record<string, unknown>): CompiledRules {
  const cached = variantCache.get(variant);
  if (cached !== undefined) return cached;
  const rules = variant['rules'];
  const compiled = isRecord(rules) ? compile(rules) : EQUALITY_ONLY;
  variantCache.set(variant, compiled);
  return compiled;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
