/**
 * Waiting for a started provider to be healthy: an HTTP URL answering 2xx, a TCP port accepting
 * connections, or a log line appearing. Polls with a deadline, never sleeps for a fixed time;
 * the timeout error names what it waited for and quotes the provider's last log lines.
 */
import { createConnection } from 'node:net';
import { HeraldError } from '../errors/herald-error';

/** What "healthy" means for a provider. */
export type HealthCheck = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'log'; readonly pattern: RegExp };

/** The provider's recent output, kept for health checks and error messages. */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly waiters = new Set<() => void>();

  constructor(private readonly keep = 200) {}

  /** Appends a chunk of output (split into lines). */
  push(chunk: string | Buffer): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    for (const wake of this.waiters) wake();
  }

  /** Every line kept, plus the unfinished last one. */
  all(): readonly string[] {
    return this.partial === '' ? [...this.lines] : [...this.lines, this.partial];
  }

  /** The last `n` lines, for error messages. */
  last(n = 20): readonly string[] {
    return this.all().slice(-n);
  }

  /** Resolves on the next push (or after `ms`). */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}

/** "HTTP GET http://…/health answering 2xx", for messages. */
export function describeHealth(check: HealthCheck): string {
  if (check.kind === 'http') return `HTTP GET ${check.url} answering 2xx`;
  if (check.kind === 'tcp') return `TCP port ${check.host}:${check.port} accepting connections`;
  return `a log line matching ${String(check.pattern)}`;
}

async function probe(check: HealthCheck, logs: LogTail): Promise<string | undefined> {
  if (check.kind === 'log') return logs.all().some((line) => check.pattern.test(line)) ? undefined : 'not logged yet';
  if (check.kind === 'http') {
    try {
      const response = await fetch(check.url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    }
  }
  return new Promise((resolve) => {
    const socket = createConnection({ host: check.host, port: check.port });
    const done = (reason?: string): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(2_000, () => done('connection timed out'));
    socket.once('connect', () => done());
    socket.once('error', (error) => done(error.message));
  });
}

/**
 * Resolves once `check` passes; rejects with HERALD_PROVIDER_UNHEALTHY after `timeoutMs`, or
 * with HERALD_PROVIDER_START_FAILED as soon as `exited` says the provider is gone.
 */
export async function waitForHealth(what: string, check: HealthCheck, logs: LogTail, timeoutMs: number, exited: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined = 'not checked';
  for (;;) {
    const gone = exited();
    if (gone !== undefined) {
      throw new HeraldError('HERALD_PROVIDER_START_FAILED', `Failed to start ${what}: it ${gone} before it was healthy (waited for ${describeHealth(check)}).${tail(logs)}`);
    }
    last = await probe(check, logs);
    if (last === undefined) return;
    const left = deadline - Date.now();
    if (left <= 0) break;
    await logs.changed(Math.min(200, left));
  }
  throw new HeraldError(
    'HERALD_PROVIDER_UNHEALTHY',
    `${what} was not healthy within ${timeoutMs} ms: waited for ${describeHealth(check)} (last: ${last}). Check the provider's health settings and the broker addresses it reads, or raise --health-timeout.${tail(logs)}`,
  );
}

/** The last log lines, indented, for error messages. */
export function tail(logs: LogTail, n = 20): string {
  const lines = logs.last(n);
  return lines.length === 0 ? '\nThe provider logged nothing.' : `\nLast ${lines.length} log lines:\n${lines.map((l) => `  | ${l}`).join('\n')}`;
}
