/**
 * Delivers triggered webhooks in the background, after the transactions that recorded them
 * committed. Publishing only writes rows; a slow or dead target costs a delivery slot, never a
 * request. Failed attempts are retried with back-off; a lease on each claimed row lets several
 * broker processes share one PostgreSQL outbox, and a crashed process's work is taken up again.
 */
import type { Repository, TriggeredWebhookRecord } from '../storage/repository';
import { deliverWebhook } from './deliver';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from './events';
import type { WebhookHostRule } from './hosts';

export interface WebhookDispatcherOptions {
  /** The allow-list (HERALD_BROKER_WEBHOOK_HOSTS): an empty list delivers nothing. */
  readonly hosts: readonly WebhookHostRule[];
  /** Per attempt, connection to end of answer; default 10 s. */
  readonly timeoutMs?: number;
  /** Waits before each retry; the attempts are one more than its length. Default Pact Broker's 10 s … 20 min. */
  readonly retryDelaysMs?: readonly number[];
  /** Attempts in flight at once; default 4. */
  readonly concurrency?: number;
  /** Longest wait between looks at the outbox (for rows another process wrote); default 30 s. */
  readonly pollMs?: number;
  /** One line per attempt (webhook uuid, event, outcome: no URL, no header). */
  readonly log?: (line: string) => void;
}

export class WebhookDispatcher implements AsyncDisposable {
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly log: (line: string) => void;
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly repository: Repository,
    private readonly options: WebhookDispatcherOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
    this.concurrency = options.concurrency ?? 4;
    this.pollMs = options.pollMs ?? 30_000;
    this.log = options.log ?? (() => undefined);
    this.maxAttempts = this.retryDelaysMs.length + 1;
  }

  /** Looks at the outbox now (after a write that may have triggered webhooks, and at start). */
  wake(): void {
    if (this.closed) return;
    if (this.pumping !== undefined) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closed && this.running.size < this.concurrency) {
        const job = await this.repository.claimDueTriggeredWebhook(this.timeoutMs + 30_000);
        if (job === undefined) break;
        const run: Promise<void> = this.attempt(job).finally(() => {
          this.running.delete(run);
          this.wake();
        });
        this.running.add(run);
      }
      if (this.closed || this.running.size >= this.concurrency) return;
      const due = await this.repository.nextTriggeredWebhookDueInMs();
      this.sleep(due === undefined ? this.pollMs : Math.min(due + 5, this.pollMs));
    } catch (error) {
      if (this.closed) return;
      this.log(`webhooks: failed to read the outbox (${error instanceof Error ? error.message : String(error)}); trying again in ${this.pollMs} ms`);
      this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async attempt(job: TriggeredWebhookRecord): Promise<void> {
    const attempt = job.attemptsMade + 1;
    try {
      const webhook = await this.repository.findWebhook(job.webhookUuid);
      const result = await deliverWebhook(webhook, job, attempt, { hosts: this.options.hosts, timeoutMs: this.timeoutMs, signal: this.abort.signal });
      // Closing mid-attempt: leave the row leased; the next start takes it up again.
      if (this.closed) return;
      const last = result.success || !result.retriable || attempt >= job.maxAttempts;
      const retryInMs = last ? null : (this.retryDelaysMs[attempt - 1] ?? this.retryDelaysMs[this.retryDelaysMs.length - 1] ?? 0);
      const status = result.success ? 'success' : last ? 'failure' : 'retrying';
      const logs = `${result.logs}${status === 'retrying' ? `Retrying in ${retryInMs} ms.\n` : status === 'failure' ? `Failed: ${result.retriable ? `no success after ${attempt} attempt(s).` : 'not retried.'}\n` : 'Delivered.\n'}`;
      await this.repository.transaction((tx) => tx.recordWebhookAttempt({ triggeredWebhookUuid: job.uuid, attempt, success: result.success, logs, status, retryInMs }));
      this.log(`webhook ${job.webhookUuid} ${job.eventName} attempt ${attempt}/${job.maxAttempts}: ${status}${retryInMs === null ? '' : `, retry in ${retryInMs} ms`}`);
    } catch (error) {
      if (!this.closed) this.log(`webhook ${job.webhookUuid} ${job.eventName} attempt ${attempt}: could not be recorded (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** Stops delivering: aborts attempts in flight and waits for them. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.pumping;
    await Promise.allSettled([...this.running]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
