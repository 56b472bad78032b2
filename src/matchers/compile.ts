/**
 * Compiles a template (JSON with matcher nodes) into what a Pact file holds: the example content,
 * matching rules by path and generators by path. Paths use Pact notation (`$.items[*].qty`).
 */
import { copyJson, type JsonValue } from '../contract/json';
import type { GeneratorJson, RuleJson, RuleList } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { formatKey } from '../contract/path';
import { isMatcher, type AnyMatcher, type Template } from './node';

/** Deepest template Herald compiles; matches the reader's limit for contract files. */
export const MAX_TEMPLATE_DEPTH = 256;

/** A path segment: an object key, an array index, or a wildcard (`*` for keys, `[*]` for items). */
export type Segment = { readonly key: string } | { readonly index: number } | { readonly anyKey: true } | { readonly anyIndex: true };

export interface CompiledGenerator {
  readonly path: string;
  readonly segments: readonly Segment[];
  readonly generator: GeneratorJson;
}

export interface Compiled {
  readonly content: JsonValue;
  readonly rules: Record<string, RuleList>;
  readonly generators: readonly CompiledGenerator[];
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Renders segments as a Pact path: `$.a['b c'][0][*].*`; keys as `parsePath` reads them (`formatKey`). */
export function pathOf(segments: readonly Segment[]): string {
  let out = '$';
  for (const s of segments) {
    if ('key' in s) out += formatKey(s.key);
    else if ('index' in s) out += `[${s.index}]`;
    else if ('anyKey' in s) out += '.*';
    else out += '[*]';
  }
  return out;
}

interface Sink {
  rules: Map<string, RuleList>;
  generators: Map<string, CompiledGenerator>;
}

function addRules(sink: Sink, path: string, list: RuleList): void {
  const existing = sink.rules.get(path);
  if (existing === undefined) {
    sink.rules.set(path, list);
    return;
  }
  const seen = new Set(existing.matchers.map((r) => JSON.stringify(r)));
  const merged = [...existing.matchers, ...list.matchers.filter((r) => !seen.has(JSON.stringify(r)))];
  sink.rules.set(path, { combine: existing.combine, matchers: merged });
}

function tooDeep(where: string): HeraldError {
  return new HeraldError('HERALD_PAYLOAD_TOO_DEEP', `Failed to compile ${where}: it is nested more than ${MAX_TEMPLATE_DEPTH} levels deep. Flatten the payload.`);
}

function compileNode(node: AnyMatcher, segments: Segment[], sink: Sink, depth: number, where: string): JsonValue {
  const path = pathOf(segments);
  if (node.variants !== undefined) {
    const variants = node.variants.map((variant, index) => {
      const inner = compileTemplate(variant, where, depth + 1);
      const generators: Record<string, GeneratorJson> = {};
      for (const g of inner.generators) generators[g.path] = g.generator;
      return { index, rules: inner.rules as unknown as JsonValue, generators: generators as unknown as JsonValue, content: inner.content };
    });
    addRules(sink, path, {
      combine: 'AND',
      matchers: [{ match: 'arrayContains', variants: variants.map(({ index, rules, generators }) => ({ index, rules, generators })) }],
    });
    return variants.map((v) => v.content);
  }
  if (node.rules.length > 0) addRules(sink, path, { combine: node.combine, matchers: node.rules });
  if (node.generator !== undefined) sink.generators.set(path, { path, segments: [...segments], generator: node.generator });
  if (node.array !== undefined) {
    const item = walk(node.example, [...segments, { anyIndex: true }], sink, depth + 1, where);
    // Distinct copies: generators later change each item on its own.
    return Array.from({ length: node.array.examples }, (_, i) => (i === 0 ? item : copyJson(item)));
  }
  if (node.anyKey === true && typeof node.example === 'object' && node.example !== null && !Array.isArray(node.example) && !isMatcher(node.example)) {
    const out: Record<string, JsonValue> = {};
    const entries = node.example as Readonly<Record<string, Template>>;
    for (const key of Object.keys(entries)) {
      checkKey(key, where);
      out[key] = walk(entries[key] as Template, [...segments, { anyKey: true }], sink, depth + 1, where);
    }
    return out;
  }
  return walk(node.example, segments, sink, depth + 1, where);
}

function checkKey(key: string, where: string): void {
  if (UNSAFE_KEYS.has(key)) {
    throw new HeraldError('HERALD_UNSAFE_KEY', `Failed to compile ${where}: the key "${key}" is not allowed (prototype pollution). Rename it.`);
  }
}

function walk(template: Template, segments: Segment[], sink: Sink, depth: number, where: string): JsonValue {
  if (depth > MAX_TEMPLATE_DEPTH) throw tooDeep(where);
  if (isMatcher(template)) return compileNode(template, segments, sink, depth, where);
  if (Array.isArray(template)) {
    return (template as readonly Template[]).map((item, index) => walk(item, [...segments, { index }], sink, depth + 1, where));
  }
  if (typeof template === 'object' && template !== null) {
    const proto = Object.getPrototypeOf(template) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new HeraldError(
        'HERALD_MATCHER_INVALID',
        `Failed to compile ${where} at ${pathOf(segments)}: found a ${(template as object).constructor?.name ?? 'non-plain'} object. Use plain JSON values and m.* matchers (dates as m.datetime()).`,
      );
    }
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(template)) {
      checkKey(key, where);
      out[key] = walk((template as Readonly<Record<string, Template>>)[key] as Template, [...segments, { key }], sink, depth + 1, where);
    }
    return out;
  }
  if (typeof template === 'number' && !Number.isFinite(template)) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to compile ${where} at ${pathOf(segments)}: ${String(template)} is not a JSON number.`);
  }
  if (template === undefined || typeof template === 'function' || typeof template === 'bigint' || typeof template === 'symbol') {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to compile ${where} at ${pathOf(segments)}: ${typeof template} is not a JSON value. Remove it or use null.`);
  }
  return template;
}

/** Compiles a template. `where` names it in errors ("the payload of 'an OrderPlaced event'"). */
export function compileTemplate(template: Template, where: string, depth = 0): Compiled {
  const sink: Sink = { rules: new Map(), generators: new Map() };
  const content = walk(template, [], sink, depth, where);
  return { content, rules: Object.fromEntries(sink.rules), generators: [...sink.generators.values()] };
}

/** Rules of a leaf value (metadata entries are leaves: Pact keys their rules by name). */
export function leafRules(template: Template): { readonly value: JsonValue; readonly rules?: RuleList; readonly generator?: GeneratorJson } {
  if (!isMatcher(template)) return { value: compileTemplate(template, 'a metadata value').content };
  const compiled = compileTemplate(template, 'a metadata value');
  const nested = Object.keys(compiled.rules).filter((p) => p !== '$');
  if (nested.length > 0 || template.array !== undefined || template.variants !== undefined) {
    throw new HeraldError('HERALD_MATCHER_INVALID', 'Failed to compile a header, key or property: metadata values must be single values (m.uuid(), m.regex(), a string…), not objects or arrays.');
  }
  const rules = compiled.rules['$'];
  return {
    value: compiled.content,
    ...(rules === undefined ? {} : { rules }),
    ...(template.generator === undefined ? {} : { generator: template.generator }),
  };
}

export type { RuleJson };
