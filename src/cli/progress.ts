/**
 * Progress of a long `herald verify` run, on stderr. Not a terminal (CI logs): a plain line every
 * `intervalMs`, from a timer (so a run stuck in one interaction still says so) and from the run's
 * own updates (so a run whose factories never yield to the event loop says so too), never more
 * often. On a terminal (`live`): one line redrawn in place as interactions finish, shown once the
 * run has taken `intervalMs` / 5 (a quick run stays silent), and erased before other output.
 *
 * @example
 * herald: 120/1500 interactions done (118 passed, 2 failed) in 34 s; now "an OrderPlaced event" (shipping), for 12 s
 */
import type { RunProgress } from '../verify/progress';

/** Default interval of progress lines on a factories run (HERALD_PROGRESS_INTERVAL_MS; 0 turns them off). */
export const DEFAULT_FACTORY_PROGRESS_INTERVAL_MS = 5_000;
/** A live line is redrawn at most this often. */
const REDRAW_MS = 100;
/** Erases the terminal line the cursor is on. */
const ERASE = '\r\u001b[K';

export interface ProgressOptions {
  /** Redraw one line in place (stderr is a terminal) instead of printing lines. */
  readonly live?: boolean;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

export class ProgressLines {
  private last: RunProgress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly live: boolean;
  private readonly begun: number;
  private printedAt: number;
  /** Whether a live line is on the terminal now. */
  private drawn = false;

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs: number,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.live = options.live === true;
    this.begun = this.now();
    this.printedAt = this.begun;
  }

  /** Whether any line will ever be printed (an interval of 0 turns them off): the run need not report where it is otherwise. */
  get enabled(): boolean {
    return this.intervalMs > 0;
  }

  /** Takes the run's latest progress (VerifyOptions#onProgress); the first call starts the timer. */
  readonly update = (progress: RunProgress): void => {
    this.last = progress;
    if (this.intervalMs <= 0) return;
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(true), this.live ? 1_000 : this.intervalMs);
      this.timer.unref();
    }
    this.tick();
  };

  /** One line for where the run is now. */
  line(now = this.now()): string | undefined {
    const p = this.last;
    if (p === undefined) return undefined;
    const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;
    const current =
      p.current === undefined ? (p.done === p.total ? '; cleaning up' : '') : `; now ${JSON.stringify(p.current.description)} (${p.current.consumer}), for ${secs(now - p.current.startedAt)}`;
    return `herald: ${p.done}/${p.total} interactions done (${p.passed} passed, ${p.failed} failed) in ${secs(now - this.begun)}${current}\n`;
  }

  /** Prints (or redraws) the line if it is due; the timer's ticks may come a little early. */
  private tick(fromTimer = false): void {
    const now = this.now();
    // Decided before the line is written: a run updates once per interaction, and prints rarely.
    const due = this.live ? now - this.begun >= this.intervalMs / 5 && !(this.drawn && now - this.printedAt < REDRAW_MS) : now - this.printedAt >= (fromTimer ? this.intervalMs / 2 : this.intervalMs);
    if (!due) return;
    const line = this.line(now);
    if (line === undefined) return;
    if (this.live) {
      this.log(`${ERASE}${line.trimEnd()}`);
      this.drawn = true;
    } else {
      this.log(line);
    }
    this.printedAt = now;
  }

  /** Erases a live line before other output goes to the terminal (it is redrawn on the next update). */
  clear(): void {
    if (!this.drawn) return;
    this.log(ERASE);
    this.drawn = false;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
