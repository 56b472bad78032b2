/**
 * The shape of a template: everything the template compiler reads except the example's primitive
 * values — object keys and their order, array lengths, the kind of each value, and each matcher's
 * rules, combine, generator, array and map options. Two templates of one shape compile to the same
 * rules, generators and declared structure, so a declaration repeated with other example values (a
 * loop, a table of cases) reuses what the first one compiled.
 *
 * A shape is a copy: later changes to the user's template objects cannot reach it. Anything unusual
 * (non-finite numbers, undefined, class instances, arrayContains variants, too deep) has no shape,
 * and such a template is compiled on its own as before.
 */
import { copyJson, plainJsonCopy, type JsonValue } from '../contract/json';
import { sealRuleMap } from '../contract/sealed';
import type { GeneratorJson, MessageInteraction, RuleList } from '../contract/model';
import { MAX_TEMPLATE_DEPTH, type CompiledGenerator } from '../matchers/compile';
import { isMatcher, type AnyMatcher, type Template } from '../matchers/node';

export type Shape = 'string' | 'number' | 'boolean' | 'null' | ArrayShape | ObjectShape | MatcherShape;

interface ArrayShape {
  readonly items: readonly Shape[];
}

interface ObjectShape {
  readonly keys: readonly string[];
  readonly values: readonly Shape[];
}

interface MatcherShape {
  readonly rules: JsonValue;
  readonly combine: string;
  readonly generator: JsonValue | undefined;
  /** Copies of the item an array matcher's example holds; null for other matchers. */
  readonly examples: number | null;
  readonly anyKey: boolean;
  readonly example: Shape;
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Whether `value` is the JSON `copy` (same keys in the same order). */
function sameJson(value: unknown, copy: JsonValue | undefined): boolean {
  if (value === copy) return true;
  if (typeof copy !== 'object' || copy === null || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(copy)) {
    if (!Array.isArray(value) || value.length !== copy.length) return false;
    for (let i = 0; i < copy.length; i++) if (!sameJson(value[i], copy[i])) return false;
    return true;
  }
  if (Array.isArray(value) || !isPlainObject(value)) return false;
  const keys = Object.keys(value);
  const copyKeys = Object.keys(copy);
  if (keys.length !== copyKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== copyKeys[i] || !sameJson((value as Record<string, unknown>)[key], copy[key])) return false;
  }
  return true;
}

/** An array matcher's example count, null for other matchers, undefined when malformed. */
function examplesOf(node: AnyMatcher): number | null | undefined {
  if (node.array === undefined) return null;
  const examples = typeof node.array === 'object' && node.array !== null ? node.array.examples : undefined;
  return typeof examples === 'number' && Number.isSafeInteger(examples) && examples >= 0 ? examples : undefined;
}

function matcherShape(node: AnyMatcher, depth: number): MatcherShape | undefined {
  if (node.variants !== undefined || !Array.isArray(node.rules)) return undefined;
  const examples = examplesOf(node);
  if (examples === undefined) return undefined;
  const rules = plainJsonCopy(node.rules, depth, MAX_TEMPLATE_DEPTH);
  const generator = node.generator === undefined ? undefined : plainJsonCopy(node.generator, depth, MAX_TEMPLATE_DEPTH);
  if (rules === undefined || (node.generator !== undefined && generator === undefined)) return undefined;
  if (node.combine !== 'AND' && node.combine !== 'OR') return undefined;
  const example = shapeOf(node.example, depth + 1);
  if (example === undefined) return undefined;
  return { rules, combine: node.combine, generator, examples, anyKey: node.anyKey === true, example };
}

/** The shape of a template, or undefined when it has none (see the file comment). */
export function shapeOf(template: Template | undefined, depth = 0): Shape | undefined {
  if (template === null) return 'null';
  if (typeof template === 'string') return 'string';
  if (typeof template === 'boolean') return 'boolean';
  if (typeof template === 'number') return Number.isFinite(template) ? 'number' : undefined;
  if (typeof template !== 'object' || depth > MAX_TEMPLATE_DEPTH) return undefined;
  if (isMatcher(template)) {
    const matcher = matcherShape(template, depth);
    return matcher === undefined ? undefined : matcher;
  }
  if (Array.isArray(template)) {
    const items: Shape[] = [];
    for (let i = 0; i < template.length; i++) {
      const item = shapeOf((template as readonly Template[])[i], depth + 1);
      if (item === undefined) return undefined;
      items.push(item);
    }
    return { items };
  }
  if (!isPlainObject(template)) return undefined;
  const keys = Object.keys(template);
  const values: Shape[] = [];
  for (const key of keys) {
    const value = shapeOf((template as Readonly<Record<string, Template>>)[key], depth + 1);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return { keys, values };
}

/** Whether `template` has exactly `shape`. */
export function hasShape(template: Template | undefined, shape: Shape, depth = 0): boolean {
  switch (shape) {
    case 'string':
      return typeof template === 'string';
    case 'boolean':
      return typeof template === 'boolean';
    case 'number':
      return typeof template === 'number' && Number.isFinite(template);
    case 'null':
      return template === null;
  }
  if (typeof template !== 'object' || template === null || depth > MAX_TEMPLATE_DEPTH) return false;
  if ('example' in shape) {
    if (!isMatcher(template) || template.variants !== undefined || template.combine !== shape.combine || (template.anyKey === true) !== shape.anyKey) return false;
    if (examplesOf(template) !== shape.examples) return false;
    if (!sameJson(template.rules, shape.rules) || (template.generator === undefined ? shape.generator !== undefined : !sameJson(template.generator, shape.generator))) return false;
    return hasShape(template.example, shape.example, depth + 1);
  }
  if (isMatcher(template)) return false;
  if ('items' in shape) {
    if (!Array.isArray(template) || template.length !== shape.items.length) return false;
    for (let i = 0; i < shape.items.length; i++) if (!hasShape((template as readonly Template[])[i], shape.items[i] as Shape, depth + 1)) return false;
    return true;
  }
  if (Array.isArray(template) || !isPlainObject(template)) return false;
  const keys = Object.keys(template);
  if (keys.length !== shape.keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== shape.keys[i] || !hasShape((template as Readonly<Record<string, Template>>)[key], shape.values[i] as Shape, depth + 1)) return false;
  }
  return true;
}

/** What a declaration compiles to apart from its example values. */
export interface CompiledParts {
  readonly bodyRules: Readonly<Record<string, RuleList>>;
  readonly bodyGenerators: Readonly<Record<string, GeneratorJson>>;
  readonly compiledGenerators: readonly CompiledGenerator[];
  readonly metadataRules: Readonly<Record<string, RuleList>>;
  readonly metadataGenerators: Readonly<Record<string, GeneratorJson>>;
}

/** Parts compiled for an earlier declaration of the same shape; `first` is that declaration's interaction. */
export interface ReusedParts extends CompiledParts {
  readonly first: MessageInteraction;
}

/** The templates of a message declaration. */
export interface DeclarationTemplates {
  readonly payload?: Template;
  readonly key?: Template;
  readonly headers: Readonly<Record<string, Template>>;
  readonly properties: { readonly [name: string]: Template | undefined };
}

interface Remembered {
  readonly contentType: string;
  readonly payload: Shape;
  readonly key: Shape | undefined;
  readonly headers: Shape;
  readonly properties: Shape;
  readonly parts: ReusedParts;
}

/** Declarations in a row usually share a shape or alternate between a few: keep the last ones. */
const REMEMBERED = 4;
const remembered: Remembered[] = [];

function matches(entry: Remembered, templates: DeclarationTemplates, contentType: string): boolean {
  if (entry.contentType !== contentType || (entry.key === undefined) !== (templates.key === undefined)) return false;
  if (entry.key !== undefined && !hasShape(templates.key, entry.key)) return false;
  return hasShape(templates.headers, entry.headers) && hasShape(templates.properties as Template, entry.properties) && hasShape(templates.payload, entry.payload);
}

/** The parts compiled for an earlier declaration of exactly this shape, if one is remembered. */
export function findCompiledShape(templates: DeclarationTemplates, contentType: string): ReusedParts | undefined {
  for (let i = 0; i < remembered.length; i++) {
    const entry = remembered[i] as Remembered;
    if (!matches(entry, templates, contentType)) continue;
    if (i > 0) remembered.unshift(...remembered.splice(i, 1));
    return entry.parts;
  }
  return undefined;
}

/**
 * Remembers what a declaration compiled to, under its shape. The parts are copied: the user's
 * matcher objects they came from may change later without reaching other declarations.
 */
export function rememberCompiledShape(templates: DeclarationTemplates, contentType: string, parts: CompiledParts, first: MessageInteraction): void {
  const payload = shapeOf(templates.payload);
  const key = templates.key === undefined ? undefined : shapeOf(templates.key);
  const headers = shapeOf(templates.headers);
  const properties = shapeOf(templates.properties as Template);
  if (payload === undefined || headers === undefined || properties === undefined || (templates.key !== undefined && key === undefined)) return;
  const compiledGenerators = parts.compiledGenerators.map((g) => ({ path: g.path, segments: g.segments, generator: copyJson(g.generator as unknown as JsonValue) as unknown as GeneratorJson }));
  const bodyGenerators: Record<string, GeneratorJson> = {};
  for (const g of compiledGenerators) bodyGenerators[g.path] = g.generator;
  const copy = <T>(value: T): T => copyJson(value as unknown as JsonValue) as unknown as T;
  // Shared by every later declaration of the shape: frozen, so that a change made through one
  // interaction cannot reach the others, and known to the engine by its object (contract/sealed.ts).
  const reused: ReusedParts = {
    bodyRules: sealRuleMap(copy(parts.bodyRules)),
    bodyGenerators,
    compiledGenerators,
    metadataRules: sealRuleMap(copy(parts.metadataRules)),
    metadataGenerators: copy(parts.metadataGenerators),
    first,
  };
  remembered.unshift({ contentType, payload, key, headers, properties, parts: reused });
  if (remembered.length > REMEMBERED) remembered.length = REMEMBERED;
}
