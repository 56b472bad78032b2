/** Tells a full jest run (every test file, every test) from a partial one (-t, paths, --onlyChanged…). */
export interface JestGlobalConfigLike {
  readonly testNamePattern?: string | null | undefined;
  readonly testPathPatterns?: { readonly patterns?: readonly unknown[] } | undefined;
  readonly testPathPattern?: string | undefined;
  readonly nonFlagArgs?: readonly string[] | undefined;
  readonly onlyChanged?: boolean | undefined;
  readonly onlyFailures?: boolean | undefined;
  readonly findRelatedTests?: boolean | undefined;
  readonly changedSince?: string | undefined;
  readonly lastCommit?: boolean | undefined;
  readonly shard?: unknown;
  readonly bail?: number | undefined;
}

export function isFullRun(config: JestGlobalConfigLike): boolean {
  const patterns = config.testPathPatterns?.patterns ?? [];
  return (
    (config.testNamePattern ?? '') === '' &&
    patterns.length === 0 &&
    (config.testPathPattern ?? '') === '' &&
    (config.nonFlagArgs ?? []).length === 0 &&
    config.onlyChanged !== true &&
    config.onlyFailures !== true &&
    config.findRelatedTests !== true &&
    config.changedSince === undefined &&
    config.lastCommit !== true &&
    (config.shard === undefined || config.shard === null)
  );
}
