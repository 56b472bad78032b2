/** Runs `fn`; if it returns a promise that does not settle within `ms`, rejects with `onTimeout()`. */
export async function withTimeout<T>(fn: () => T | Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  const value = fn();
  if (!(value instanceof Promise)) return value;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([value, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)))]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
