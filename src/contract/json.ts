/** JSON values as they appear in contract files. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep copy of a JSON value, created in the caller's realm (under jest, `structuredClone` builds
 * objects of Node's outer realm, so a handler's `value instanceof Array` would be false).
 */
export function copyJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The copy JSON's round trip ({@link copyJson}) makes of `value`, built directly; undefined when
 * `value` is not plain JSON, which the round trip would transform or refuse: a toJSON method, a
 * non-finite number, undefined, a hole, a class instance or an Array subclass, a `__proto__` key,
 * or nesting past `maxDepth` (counted from `depth`). -0 becomes 0, as in JSON.
 */
export function plainJsonCopy(value: unknown, depth: number, maxDepth: number): JsonValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? (value === 0 ? 0 : value) : undefined;
  if (typeof value !== 'object' || depth > maxDepth || typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
    const out: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!Object.hasOwn(value, i)) return undefined;
      const item = plainJsonCopy(value[i], depth + 1, maxDepth);
      if (item === undefined) return undefined;
      out.push(item);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const item = plainJsonCopy((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (item === undefined || key === '__proto__') return undefined;
    out[key] = item;
  }
  return out;
}
