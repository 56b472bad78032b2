/**
 * The cursor: the rule state at one concrete path, derived from its parent's, so a comparison
 * never parses a path or scans all rules. Pact's selection (weight × length) picks the best rule.
 */
import type { CompiledRule, CompiledRules } from './rules';
import { tokenWeight, type PathSegment, type PathToken } from '../contract/path';

/** A rule whose path matched a prefix of the current path, with its weight so far. */
export interface Hit {
  readonly rule: CompiledRule;
  readonly weight: number;
}

/**
 * The rule state at one concrete path: rules still matching (pending), the best rule that
 * applies here (own or inherited from a parent), and the rules written for exactly this path.
 */
export class Cursor {
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
      if (segment.length < 16 && isDigits(segment)) return this.advance(segment);
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

/** `/^\d+$/` without a regex: this runs on every key the walk visits. */
function isDigits(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Pact's selection: highest weight × rule length; then the longer path; then the earlier rule. */
function better(a: Hit, b: Hit | undefined): boolean {
  if (b === undefined) return true;
  const sa = a.weight * a.rule.tokens.length;
  const sb = b.weight * b.rule.tokens.length;
  if (sa !== sb) return sa > sb;
  if (a.rule.tokens.length !== b.rule.tokens.length) return a.rule.tokens.length > b.rule.tokens.length;
  return a.rule.order < b.rule.order;
}

export function rootCursor(compiled: CompiledRules): Cursor {
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
