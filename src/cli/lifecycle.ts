/**
 * What the CLI process must do however it ends: on SIGINT / SIGTERM and on a crash, stop what
 * Herald started (a --start-broker container: Ryuk is off in CI, so nothing else would) and end
 * a running verification so that its report is still written. bin/herald.js installs the process
 * handlers and calls `interrupt`, `absorbStrayError` and `runCleanups`; commands register here.
 */
import { reasonOf } from '../transport/errors';

type Cleanup = () => Promise<void>;

const cleanups = new Set<{ readonly what: string; readonly run: Cleanup }>();
const interruptHandlers = new Set<(signal: string) => void>();
const strayHandlers = new Set<(error: unknown) => boolean>();
let interruptedBy: string | undefined;

/** Runs `cleanup` if the process ends before it is unregistered (call the returned function once done). */
export function onProcessEnd(what: string, cleanup: Cleanup): () => void {
  const entry = { what, run: cleanup };
  cleanups.add(entry);
  return () => void cleanups.delete(entry);
}

/** Calls `handler` when SIGINT / SIGTERM arrives (at once when one already did). */
export function onInterrupt(handler: (signal: string) => void): () => void {
  if (interruptedBy !== undefined) handler(interruptedBy);
  interruptHandlers.add(handler);
  return () => void interruptHandlers.delete(handler);
}

/** The signal the process received, if any. */
export function interruptedSignal(): string | undefined {
  return interruptedBy;
}

/** Tells every registered run that `signal` arrived. */
export function interrupt(signal: string): void {
  interruptedBy ??= signal;
  for (const handler of [...interruptHandlers]) handler(signal);
}

/**
 * Offers an error nobody caught (an 'error' event without listener, a rejected promise nobody
 * awaited) to the running verification: `handler` returns true when it took it as its verdict
 * (a provider client's lost connection), and the process does not crash.
 */
export function onStrayError(handler: (error: unknown) => boolean): () => void {
  strayHandlers.add(handler);
  return () => void strayHandlers.delete(handler);
}

/** True when a running verification took `error` (see onStrayError). */
export function absorbStrayError(error: unknown): boolean {
  for (const handler of [...strayHandlers]) {
    try {
      if (handler(error)) return true;
    } catch {
      // A handler that fails does not absorb.
    }
  }
  return false;
}

/** Runs every registered cleanup at once, each bounded by `timeoutMs`; `log` hears of failures. */
export async function runCleanups(timeoutMs: number, log: (line: string) => void = () => undefined): Promise<void> {
  const all = [...cleanups];
  cleanups.clear();
  await Promise.all(
    all.map(async ({ what, run }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([run(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`it did not finish within ${timeoutMs} ms`)), timeoutMs)))]);
      } catch (error) {
        log(`Failed to stop ${what}: ${reasonOf(error)}. Remove it by hand (docker ps --filter label=dev.herald.started-by=herald-cli).\n`);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
    }),
  );
}
