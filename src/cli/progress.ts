/**
 * Progress lines for long broker runs, on stderr: one every `intervalMs` (a timer, so a run stuck
 * in one interaction still says so), never more often, plain text so CI logs (no TTY) show it.
 *
 * @example
 * herald: 120/1500 interactions done (118 passed, 2 failed) in 34 s; now "an OrderPlaced event" (shipping), for 12 s
 */
import type { BrokerProgress } from '../verify/broker/verify-on-broker';

export class ProgressLines {
  private last: BrokerProgress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly begun = Date.now();

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs: number,
  ) {}

  /** Takes the run's latest progress (BrokerVerifyOptions#onProgress); the first call starts the timer. */
  readonly update = (progress: BrokerProgress): void => {
    this.last = progress;
    if (this.timer === undefined && this.intervalMs > 0) {
      this.timer = setInterval(() => this.print(), this.intervalMs);
      this.timer.unref();
    }
  };

  /** One line for where the run is now. */
  line(now = Date.now()): string | undefined {
    const p = this.last;
    if (p === undefined) return undefined;
    const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;
    const current =
      p.current === undefined ? (p.done === p.total ? '; cleaning up' : '') : `; now ${JSON.stringify(p.current.description)} (${p.current.consumer}), for ${secs(now - p.current.startedAt)}`;
    return `herald: ${p.done}/${p.total} interactions done (${p.passed} passed, ${p.failed} failed) in ${secs(now - this.begun)}${current}\n`;
  }

  private print(): void {
    const line = this.line();
    if (line !== undefined) this.log(line);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
