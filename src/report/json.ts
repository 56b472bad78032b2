/**
 * The JSON reporter: the report as machines read it. Mismatches are serialised as-is (they are
 * data); every result carries every field, `contractFile` is null when the contract had no file.
 */
import type { Mismatch } from '../matchers/mismatch';
import type { InteractionStatus, VerificationReport } from '../verify/result';

export interface JsonReportSummary {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly noFactory: number;
  readonly stateFailed: number;
  readonly total: number;
  readonly unusedFactories: readonly string[];
  readonly durationMs: number;
  readonly ok: boolean;
  /** 'factories' (in-process) or 'triggers' (on a broker): what 'noFactory' counts the absence of. */
  readonly producedBy: 'factories' | 'triggers';
}

export interface JsonReportResult {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly contractFile: string | null;
  readonly status: InteractionStatus;
  readonly mismatches: readonly Mismatch[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly notes: readonly string[];
  readonly pending: boolean;
  readonly durationMs: number;
}

export interface JsonReport {
  readonly summary: JsonReportSummary;
  readonly results: readonly JsonReportResult[];
}

const ms = (value: number): number => Math.round(value * 1000) / 1000;

/** The JSON report object, with a fixed key order. */
export function toJsonReport(report: VerificationReport): JsonReport {
  const s = report.summary;
  return {
    summary: {
      passed: s.passed,
      failed: s.failed,
      pending: s.pending,
      noFactory: s.noFactory,
      stateFailed: s.stateFailed,
      total: s.total,
      unusedFactories: [...s.unusedFactories],
      durationMs: ms(s.durationMs),
      ok: s.ok,
      producedBy: s.producedBy,
    },
    results: report.results.map((r) => ({
      consumer: r.consumer,
      provider: r.provider,
      description: r.description,
      contractFile: r.contractFile ?? null,
      status: r.status,
      mismatches: r.mismatches,
      ...(r.error === undefined ? {} : { error: { code: r.error.code, message: r.error.message } }),
      notes: [...r.notes],
      pending: r.pending,
      durationMs: ms(r.durationMs),
    })),
  };
}

/**
 * The JSON report as text (two-space indented, newline at the end).
 *
 * @example writeFileSync('reports/herald.json', renderJsonReport(report));
 */
export function renderJsonReport(report: VerificationReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
