/** Where a verification run is, for progress output (the CLI's progress lines). */

/** `done` of `total` interactions finished; `current` is the one running, if any. */
export interface RunProgress {
  readonly done: number;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly current: { readonly description: string; readonly consumer: string; readonly startedAt: number } | undefined;
}
