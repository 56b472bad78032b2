/**
 * Matchers are plain data with a phantom type: `m.integer(3)` is a JSON-serialisable node whose
 * TypeScript type says `number`. Declarations are templates (plain JSON with nodes inside); the
 * compiler (compile.ts) turns a template into Pact example content, matching rules and generators.
 */
import { copyJson, type JsonPrimitive, type JsonValue } from '../contract/json';
import type { GeneratorJson, RuleJson } from '../contract/model';

declare const phantom: unique symbol;

/** Marks an object as a matcher node inside a template. A payload may not use this key. */
export const NODE_MARK = '$herald' as const;

/** Array options for eachLike / atLeast / atMost. */
export interface ArrayShape {
  /** How many copies of the item template the example holds. */
  readonly examples: number;
}

/** A matcher node. `T` is the type of values it accepts; it exists only for inference. */
export interface Matcher<T> {
  readonly [NODE_MARK]: 'matcher';
  /** Pact rules at this node's path (combined with AND unless `combine` says OR). */
  readonly rules: readonly RuleJson[];
  readonly combine: 'AND' | 'OR';
  /** Example value: plain JSON, or a template with nested matchers (like, eachLike…). */
  readonly example: Template;
  /** When set, `example` is one item and the array holds `examples` copies; children use `[*]`. */
  readonly array?: ArrayShape;
  /** When set, `example` is a map whose children are addressed with `*` (eachKey/eachValue). */
  readonly anyKey?: boolean;
  /** arrayContains: each variant is compiled on its own, relative to `$`. */
  readonly variants?: readonly Template[];
  readonly generator?: GeneratorJson;
  readonly [phantom]?: T;
}

export type AnyMatcher = Matcher<unknown>;

/** A declaration: JSON where any value may be a matcher. */
export type Template = JsonPrimitive | AnyMatcher | readonly Template[] | { readonly [key: string]: Template };

/** The type of values a template accepts: what the handler receives. */
export type Infer<T> =
  T extends Matcher<infer U> ? U : T extends readonly (infer E)[] ? Infer<E>[] : T extends JsonPrimitive ? T : T extends object ? { -readonly [K in keyof T]: Infer<T[K]> } : never;

/** Widens literal types: a type matcher on `5` accepts any number. */
export type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends null
        ? null
        : T extends readonly (infer E)[]
          ? Widen<E>[]
          : T extends object
            ? { [K in keyof T]: Widen<T[K]> }
            : T;

export function isMatcher(value: unknown): value is AnyMatcher {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[NODE_MARK] === 'matcher';
}

interface NodeOptions {
  readonly combine?: 'AND' | 'OR';
  readonly array?: ArrayShape;
  readonly anyKey?: boolean;
  readonly variants?: readonly Template[];
  readonly generator?: GeneratorJson | undefined;
}

/** Builds a node. Used by the matcher kinds only; users call `m.*`. */
export function matcherNode<T>(rules: readonly RuleJson[], example: Template, options: NodeOptions = {}): Matcher<T> {
  // Options are added in this order only when set (no spread of temporary objects: every m.* call builds a node).
  const node: { -readonly [K in keyof Matcher<T>]: Matcher<T>[K] } = { [NODE_MARK]: 'matcher', rules, combine: options.combine ?? 'AND', example };
  if (options.array !== undefined) node.array = options.array;
  if (options.anyKey === true) node.anyKey = true;
  if (options.variants !== undefined) node.variants = options.variants;
  if (options.generator !== undefined) node.generator = options.generator;
  return node;
}

/** Strips matchers from a template: the example JSON as written into the contract. */
export function exampleOf(template: Template): JsonValue {
  if (isMatcher(template)) {
    const item = exampleOf(template.example);
    return template.array === undefined ? item : Array.from({ length: template.array.examples }, (_, i) => (i === 0 ? item : copyJson(item)));
  }
  if (Array.isArray(template)) return template.map((t: Template) => exampleOf(t));
  if (typeof template === 'object' && template !== null) {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(template)) out[key] = exampleOf((template as Record<string, Template>)[key] as Template);
    return out;
  }
  return template as JsonPrimitive;
}
