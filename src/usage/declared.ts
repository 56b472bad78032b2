/**
 * The declared structure of an interaction's payload: every path its example holds, written as
 * Pact paths with array items as `[*]` and map entries (eachKey/eachValue/values) as `*`. Field
 * usage is recorded against it and compared with it.
 */
import type { JsonValue } from '../contract/json';
import type { MessageInteraction, RuleMap } from '../contract/model';
import { pathOf, type Segment } from '../matchers/compile';

export type DeclaredKind = 'object' | 'map' | 'array' | 'value';

export interface DeclaredNode {
  readonly path: string;
  readonly segments: readonly Segment[];
  readonly kind: DeclaredKind;
  /** Children by key; map entries and array items under '*'. */
  readonly children: ReadonlyMap<string, DeclaredNode>;
}

interface MutableNode {
  path: string;
  segments: Segment[];
  kind: DeclaredKind;
  children: Map<string, MutableNode>;
}

const MAP_RULES: ReadonlySet<string> = new Set(['eachKey', 'eachValue', 'values']);

/** True when the rules address the children of `path` by wildcard key (`path.*`). */
export function isMapPath(rules: RuleMap, path: string): boolean {
  if (rules[path]?.matchers.some((r) => MAP_RULES.has(r.match)) === true) return true;
  const star = `${path}.*`;
  return Object.keys(rules).some((p) => p === star || p.startsWith(`${star}.`) || p.startsWith(`${star}[`));
}

function walk(value: JsonValue, segments: Segment[], rules: RuleMap, into: MutableNode | undefined, depth: number): MutableNode {
  const path = pathOf(segments);
  const kind: DeclaredKind = Array.isArray(value) ? 'array' : typeof value === 'object' && value !== null ? (isMapPath(rules, path) ? 'map' : 'object') : 'value';
  const node: MutableNode = into ?? { path, segments, kind, children: new Map() };
  if (into !== undefined && into.kind !== kind) node.kind = into.kind === 'value' ? kind : into.kind;
  if (depth > 256) return node;
  if (Array.isArray(value)) {
    const itemSegments = [...segments, { anyIndex: true } as const];
    for (const item of value) node.children.set('*', walk(item, itemSegments, rules, node.children.get('*'), depth + 1));
  } else if (typeof value === 'object' && value !== null) {
    if (kind === 'map') {
      const entrySegments = [...segments, { anyKey: true } as const];
      for (const key of Object.keys(value)) node.children.set('*', walk(value[key] as JsonValue, entrySegments, rules, node.children.get('*'), depth + 1));
    } else {
      for (const key of Object.keys(value)) node.children.set(key, walk(value[key] as JsonValue, [...segments, { key }], rules, node.children.get(key), depth + 1));
    }
  }
  return node;
}

/**
 * The declared payload of an interaction (its example content under its body rules). Computed once
 * per contents and rule-map objects: a verify() run and its usage report share one tree.
 */
export function declaredPayload(interaction: MessageInteraction): DeclaredNode {
  const rules = interaction.matchingRules.body;
  const hit = declaredByContents.get(interaction.contents);
  if (hit !== undefined && hit.rules === rules && hit.content === interaction.contents.content) return hit.node;
  const content = interaction.contents.content;
  const node = walk(content === undefined ? null : content, [], rules, undefined, 0);
  declaredByContents.set(interaction.contents, { rules, content, node });
  return node;
}

/**
 * Lets `to`, whose payload has the same shape and rules as `from`'s (dsl/shape.ts), use the
 * declared tree of `from` instead of building its own.
 */
export function shareDeclaredPayload(from: MessageInteraction, to: MessageInteraction): void {
  declaredByContents.set(to.contents, { rules: to.matchingRules.body, content: to.contents.content, node: declaredPayload(from) });
}

const declaredByContents = new WeakMap<object, { readonly rules: RuleMap; readonly content: JsonValue | undefined; readonly node: DeclaredNode }>();

/** Every declared path below the root, parents before children, in declaration order. */
export function declaredPaths(root: DeclaredNode): string[] {
  const out: string[] = [];
  const visit = (node: DeclaredNode): void => {
    for (const child of node.children.values()) {
      out.push(child.path);
      visit(child);
    }
  };
  visit(root);
  return out;
}

/** The node at a declared path, if declared. */
export function findDeclared(root: DeclaredNode, path: string): DeclaredNode | undefined {
  if (path === root.path) return root;
  for (const child of root.children.values()) {
    if (child.path === path) return child;
    if (path.startsWith(child.path)) {
      const found = findDeclared(child, path);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
