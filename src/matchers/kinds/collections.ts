/**
 * Collection kinds: `values`, `eachKey`, `eachValue`, `arrayContains`. Each checks the container
 * in front of it (its type; for eachKey the keys); the matching engine descends into children
 * with the wildcard rules the compiler writes (`$.map.*`) and resolves arrayContains variants.
 */
import type { JsonObject, JsonValue } from '../../contract/json';
import type { RuleJson } from '../../contract/model';
import { HeraldError } from '../../errors/herald-error';
import { failure, only, show, type MatcherKind } from '../kind';
import { isMatcher, matcherNode, type Infer, type Matcher, type Template, type Widen } from '../node';
import { checkRuleList, nestedRules } from '../registry';

const isObject = (v: JsonValue | undefined): v is { [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
const notObject = (name: string, actual: JsonValue | undefined) => failure('type', 'object', actual, `Expected an object (${name}) but got ${show(actual)}`);

/** What a map kind tells the comparisons: an object, whatever its keys; its values are described at `.*`. */
const MAP: Pick<MatcherKind, 'accepts' | 'describe' | 'provenBy' | 'arrayBounds'> = {
  accepts: () => only('object'),
  describe: () => undefined,
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/**
 * A collection rule's schema describes its container. Pact cascades it to the items/values below
 * that have no rule of their own, where it says nothing: `{}` when the example is not a container.
 */
const containerSchema = (example: JsonValue, schema: JsonObject): JsonObject => (typeof example === 'object' && example !== null ? schema : {});

export const valuesKind: MatcherKind = {
  names: ['values'],
  onArray: 'items',
  check: ({ actual }) => (isObject(actual) ? undefined : notObject('values', actual)),
  ...MAP,
  jsonSchema: (_rule, example) => containerSchema(example, { type: 'object' }),
};

export const eachValueKind: MatcherKind = {
  names: ['eachValue'],
  aliases: ['each-value'],
  check({ rule, actual }) {
    if (!isObject(actual)) return notObject('eachValue', actual);
    const rules = nestedRules(rule);
    for (const key of Object.keys(actual)) {
      const problem = checkRuleList(rules, 'AND', actual[key], undefined);
      if (problem !== undefined) return { ...problem, message: `Value of key ${JSON.stringify(key)}: ${problem.message}` };
    }
    return undefined;
  },
  ...MAP,
  jsonSchema: (_rule, example) => containerSchema(example, { type: 'object' }),
};

export const eachKeyKind: MatcherKind = {
  names: ['eachKey'],
  aliases: ['each-key'],
  onArray: 'items',
  check({ rule, actual }) {
    if (!isObject(actual)) return notObject('eachKey', actual);
    const rules = nestedRules(rule);
    for (const key of Object.keys(actual)) {
      const problem = checkRuleList(rules, 'AND', key, undefined);
      if (problem !== undefined) return failure('key', problem.expected, key, `Key ${JSON.stringify(key)}: ${problem.message}`);
    }
    return undefined;
  },
  ...MAP,
  // The keys' regex, as written, is their JSON Schema pattern.
  jsonSchema(rule, example) {
    const pattern = nestedRules(rule)
      .map((r) => r['regex'])
      .find((r): r is string => typeof r === 'string');
    return containerSchema(example, { type: 'object', ...(pattern === undefined ? {} : { propertyNames: { pattern } }) });
  },
};

export const arrayContainsKind: MatcherKind = {
  names: ['arrayContains'],
  aliases: ['array-contains'],
  check: ({ actual }) => (Array.isArray(actual) ? undefined : failure('type', 'array', actual, `Expected an array (arrayContains) but got ${show(actual)}`)),
  accepts: () => only('array'),
  describe: () => undefined,
  jsonSchema: (_rule, example) => containerSchema(example, { type: 'array' }),
  provenBy: () => false,
  // Its variants may sit anywhere among any number of items.
  arrayBounds: () => ({}),
};

function leafRules(template: Template, name: string): readonly RuleJson[] {
  if (isMatcher(template)) return template.rules;
  if (typeof template === 'object' && template !== null) return [{ match: 'type' }];
  throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.${name}(): pass a matcher (e.g. m.integer()) or an object template, not a plain value.`);
}

/** A map whose keys all satisfy `key` (e.g. m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1')); `example` gives sample entries. */
export function eachKey<const T extends Template>(key: Matcher<string>, example: { readonly [k: string]: T }): Matcher<Record<string, Widen<Infer<T>>>> {
  return matcherNode([{ match: 'eachKey', rules: key.rules as RuleJson[] as never }], example, { anyKey: true });
}

/** A map whose values are all like `value`; `keys` name the example entries. */
export function eachValue<const T extends Template>(value: T, keys: readonly string[] = ['key']): Matcher<Record<string, Widen<Infer<T>>>> {
  const example: Record<string, Template> = {};
  for (const k of keys) example[k] = value;
  return matcherNode([{ match: 'eachValue', rules: leafRules(value, 'eachValue') as RuleJson[] as never }], example, { anyKey: true });
}

/** Pact V3 `values`: a map matched by its values, whatever the keys. */
export function values<const T extends Template>(example: { readonly [k: string]: T }): Matcher<Record<string, Widen<Infer<T>>>> {
  return matcherNode([{ match: 'values' }], example, { anyKey: true });
}

/** An array that contains, in any position, an item matching each variant. */
export function arrayContains<const T extends readonly Template[]>(...variants: T): Matcher<Widen<Infer<T[number]>>[]> {
  if (variants.length === 0) throw new HeraldError('HERALD_MATCHER_INVALID', 'Failed to build m.arrayContains(): give at least one variant.');
  // The compiler fills in each variant's index, rules and generators.
  return matcherNode([{ match: 'arrayContains' }], variants as readonly Template[], { variants });
}
