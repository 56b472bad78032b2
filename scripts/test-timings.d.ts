// Types of scripts/test-timings.js, for its unit test.
export interface JestJsonResults {
  readonly testResults?: readonly {
    readonly name: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly status: string;
    readonly assertionResults?: readonly { readonly status: string }[];
  }[];
}
export interface SuiteTiming {
  readonly file: string;
  readonly project: string;
  readonly seconds: number;
  readonly passed: number;
  readonly failed: number;
}
export function suiteTimings(results: JestJsonResults, projects: ReadonlyMap<string, readonly string[]>): SuiteTiming[];
export function timingLines(suites: readonly SuiteTiming[], root: string, top?: number): string[];
