/**
 * Reporters: pure functions of a VerificationReport. `console` for people, `json` for scripts,
 * `junit` for CI test tabs.
 *
 * @example
 * const report = await verifyProvider(contracts, factories);
 * writeFileSync('reports/herald.xml', renderReport('junit', report));
 */
import type { VerificationReport } from '../verify/result';
import { formatReport, type ConsoleOptions } from './console';
import { renderJsonReport } from './json';
import { renderJunitReport } from './junit';

export { formatPairLine, formatPairLines, formatReport, formatResult, formatSummaryLine, isFailing, printable, renderConsoleReport } from './console';
export type { ConsoleOptions, PairResults } from './console';
export { renderJsonReport, toJsonReport } from './json';
export type { JsonReport, JsonReportResult, JsonReportSummary } from './json';
export { renderJunitReport, xmlAttr, xmlText } from './junit';
export { palette, shouldColor } from './color';
export type { Env, Paint, Palette } from './color';

const RENDERERS = {
  console: (report: VerificationReport, options: ConsoleOptions): string => formatReport(report, options),
  json: (report: VerificationReport): string => renderJsonReport(report),
  junit: (report: VerificationReport): string => renderJunitReport(report),
} as const satisfies Record<string, (report: VerificationReport, options: ConsoleOptions) => string>;

export type ReporterName = keyof typeof RENDERERS;
export const REPORTERS: readonly ReporterName[] = ['console', 'json', 'junit'];

export function isReporterName(value: string): value is ReporterName {
  return Object.hasOwn(RENDERERS, value);
}

/** Renders a report in the named format (console options apply to `console` only). */
export function renderReport(reporter: ReporterName, report: VerificationReport, options: ConsoleOptions = {}): string {
  return RENDERERS[reporter](report, options);
}
