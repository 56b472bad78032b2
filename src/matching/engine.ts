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
 * Rule maps are compiled once per JSON text (rules.ts readByText), and the rule state of a
 * path is derived from its parent's, so a comparison never parses a path or scans all rules.
 */
import type { RuleMap } from '../contract/model';
import { rootCursor } from './cursor';
import { formatTokens, type PathSegment } from '../contract/path';
import { compile } from './rules';

// The engine by concern: rules.ts (rule compilation), cursor.ts (rule state per path), walk.ts
// (the body walk), body.ts, metadata.ts and message.ts (the public comparisons).
export { matchBody, matchBodyLeaf, type MatchBodyOptions } from './body';
export { matchMetadata, metadataNotes } from './metadata';
export { matchMessage, type ActualMessage } from './message';

/** For tests and tools: the rule path Pact would apply at a concrete path, if any. */
export function selectRule(rules: RuleMap, segments: readonly PathSegment[]): { readonly path: string; readonly cascaded: boolean } | undefined {
  let cursor = rootCursor(compile(rules));
  for (const s of segments) cursor = cursor.child(s);
  const best = cursor.best;
  if (best === undefined) return undefined;
  return { path: best.rule.path === '' ? formatTokens(best.rule.tokens) : best.rule.path, cascaded: cursor.cascaded };
}
