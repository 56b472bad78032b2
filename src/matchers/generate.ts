/**
 * Pact generators: produce fresh values for generated example messages (uuid, dates, random
 * numbers and strings, values from provider-state params). The contract keeps the declared
 * example; generators only change the copy a handler receives.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { copyJson, plainJsonCopy, type JsonObject, type JsonValue } from '../contract/json';
import type { GeneratorJson } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import type { CompiledGenerator, Segment } from './compile';
import { dateFormat, ISO_DATE, ISO_DATETIME, ISO_TIME } from './date-format';

const num = (g: GeneratorJson, name: string, fallback: number): number => (typeof g[name] === 'number' ? (g[name] as number) : fallback);
const str = (g: GeneratorJson, name: string): string | undefined => (typeof g[name] === 'string' ? (g[name] as string) : undefined);
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Produces a value for one generator; `current` is the example it replaces. */
export function generateValue(g: GeneratorJson, current: JsonValue, params: JsonObject): JsonValue {
  switch (g.type) {
    case 'Uuid':
      return randomUUID();
    case 'DateTime':
      return dateFormat(str(g, 'format') ?? ISO_DATETIME).format(new Date());
    case 'Date':
      return dateFormat(str(g, 'format') ?? ISO_DATE).format(new Date());
    case 'Time':
      return dateFormat(str(g, 'format') ?? ISO_TIME).format(new Date());
    case 'RandomInt':
      return randomInt(num(g, 'min', 0), num(g, 'max', 2147483647) + 1);
    case 'RandomDecimal': {
      const digits = Math.max(2, Math.min(num(g, 'digits', 6), 15));
      // A fractional part that is never zero, so the value stays a "decimal" for Pact.
      return Number(`${randomInt(0, 10 ** (digits - 2))}.${randomInt(1, 10)}`);
    }
    case 'RandomHexadecimal':
      return randomBytes(Math.ceil(num(g, 'digits', 10) / 2))
        .toString('hex')
        .slice(0, num(g, 'digits', 10));
    case 'RandomString':
      return Array.from({ length: num(g, 'size', 20) }, () => ALPHANUMERIC.charAt(randomInt(ALPHANUMERIC.length))).join('');
    case 'RandomBoolean':
      return randomInt(2) === 1;
    case 'ProviderState':
      return fromProviderState(str(g, 'expression') ?? '', current, params);
    case 'Regex':
      // Generating text from an arbitrary regex is not attempted: the declared example matches it.
      return current;
    default:
      throw new HeraldError(
        'HERALD_MATCHER_INVALID',
        `Failed to generate a value: Herald does not know the "${g.type}" generator. Remove it or use one of Uuid, DateTime, Date, Time, RandomInt, RandomDecimal, RandomHexadecimal, RandomString, RandomBoolean, ProviderState, Regex.`,
      );
  }
}

/** `${name}` placeholders filled from provider-state params; a lone placeholder keeps the param's type. */
function fromProviderState(expression: string, current: JsonValue, params: JsonObject): JsonValue {
  const lone = /^\$\{([^}]+)\}$/.exec(expression);
  if (lone !== null) {
    const value = params[lone[1] as string];
    return value === undefined ? current : value;
  }
  return expression.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Applies generators to a deep copy of `content`, following each generator's path (wildcards included). */
export function applyGenerators(content: JsonValue, generators: readonly CompiledGenerator[], params: JsonObject = {}): JsonValue {
  let root = copyExample(content);
  for (const { segments, generator } of generators) {
    if (segments.length === 0) {
      root = generateValue(generator, root, params);
      continue;
    }
    visit(root, segments, 0, generator, params);
  }
  return root;
}

function visit(node: JsonValue, segments: readonly Segment[], at: number, g: GeneratorJson, params: JsonObject): void {
  const seg = segments[at] as Segment;
  if (Array.isArray(node)) {
    if ('index' in seg) visitChild(node, seg.index, segments, at, g, params);
    else if ('anyIndex' in seg) for (let i = 0; i < node.length; i++) visitChild(node, i, segments, at, g, params);
  } else if (typeof node === 'object' && node !== null) {
    if ('key' in seg && Object.prototype.hasOwnProperty.call(node, seg.key)) visitChild(node, seg.key, segments, at, g, params);
    else if ('anyKey' in seg) for (const k of Object.keys(node)) visitChild(node, k, segments, at, g, params);
  }
}

/** Generates `container[key]` when `at` is the path's last segment, else visits below it. */
function visitChild(container: Record<string, JsonValue> | JsonValue[], key: string | number, segments: readonly Segment[], at: number, g: GeneratorJson, params: JsonObject): void {
  const child = (container as Record<string | number, JsonValue>)[key];
  if (child === undefined) return;
  if (at === segments.length - 1) (container as Record<string | number, JsonValue>)[key] = generateValue(g, child, params);
  else visit(child, segments, at + 1, g, params);
}

/** Deeper values are left to JSON's round trip, which has no recursion of its own to run out of. */
const MAX_COPY_DEPTH = 200;

/**
 * The copy `JSON.parse(JSON.stringify(content))` makes (copyJson), built directly when the content
 * is plain JSON as exampleOf builds it (plainJsonCopy): several times faster on the small examples
 * copied for every generated message. Anything else is copied by JSON itself.
 */
export function copyExample(content: JsonValue): JsonValue {
  return plainJsonCopy(content, 0, MAX_COPY_DEPTH) ?? copyJson(content);
}
