/** The longest delay setTimeout honours; larger values fire after 1 ms. */
const MAX_DELAY = 2 ** 31 - 1;

/** Whether `value` is a promise or any other thenable (user code may return its own). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    // A throwing `then` getter: Promise.resolve turns it into a rejection.
    return true;
  }
}

/**
 * Runs `fn`; if it returns a promise or thenable that does not settle within `ms`, rejects with
 * `onTimeout()`. The timer stays ref'd while waiting, so a thenable that never settles cannot let
 * the event loop drain and end the run without a verdict.
 */
export async function withTimeout<T>(fn: () => T | PromiseLike<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return callWithTimeout(fn, ms, onTimeout);
}

/**
 * `withTimeout` without a promise for synchronous work: returns `fn()`'s value as it is when it is
 * not a thenable (a synchronous factory or state handler costs no microtask), else the timed race.
 * Callers write `const v = callWithTimeout(…); const value = isThenable(v) ? await v : v;`.
 */
export function callWithTimeout<T>(fn: () => T | PromiseLike<T>, ms: number, onTimeout: () => Error): T | Promise<T> {
  const value = fn();
  if (!isThenable(value)) return value as T;
  return raceWithTimeout(value as PromiseLike<T>, ms, onTimeout);
}

/**
 * The timed race of `callWithTimeout`, for callers that called `fn` themselves and found a
 * thenable: a synchronous result then needs no closures to be built for it.
 */
export async function raceWithTimeout<T>(value: PromiseLike<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const delay = Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_DELAY) : MAX_DELAY;
  try {
    return await Promise.race([Promise.resolve(value), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), delay)))]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
