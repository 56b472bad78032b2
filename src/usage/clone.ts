/**
 * `structuredClone` cannot clone a Proxy (DataCloneError). While a handler runs with an
 * instrumented message, the global is wrapped: a value holding tracked proxies is cloned from
 * their targets, and each one counts as read whole.
 */
import { trackedOf } from './track';

let installed = 0;
let original: typeof structuredClone | undefined;
/** The wrapper made for `wrapped`: installing again over the same global reuses it (no function per run). */
let wrapper: typeof structuredClone | undefined;
let wrapped: typeof structuredClone | undefined;

/** Copies `value`, replacing tracked proxies (at any depth) by their targets. */
function unwrap(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  const tracked = trackedOf(value);
  if (tracked !== undefined) {
    tracked.tracker.markWhole(tracked.path);
    return unwrap(tracked.target, seen);
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(unwrap(item, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) out.set(unwrap(k, seen), unwrap(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const v of value) out.add(unwrap(v, seen));
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  // defineProperty: a `__proto__` key stays a key of the copy instead of replacing its prototype.
  for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: unwrap((value as Record<string, unknown>)[key], seen), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Wraps the global structuredClone until the returned function is called (reference counted). */
export function installCloneSupport(): () => void {
  if (installed === 0) {
    const base = globalThis.structuredClone;
    original = base;
    if (wrapper === undefined || wrapped !== base) {
      wrapped = base;
      wrapper = function heraldStructuredClone<T>(value: T, options?: Parameters<typeof structuredClone>[1]): T {
        try {
          return base(value, options);
        } catch (error) {
          const copy = unwrap(value, new Map());
          if (copy === value) throw error;
          return base(copy, options) as T;
        }
      };
    }
    globalThis.structuredClone = wrapper;
  }
  installed += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    installed -= 1;
    if (installed === 0 && original !== undefined) {
      globalThis.structuredClone = original;
      original = undefined;
    }
  };
}
