/**
 * Reporters for `herald compare` and `herald diff`: pure functions of a report. `console` for
 * people, `json` for scripts (the report data as is), `junit` for CI test tabs (compare reuses the
 * verify JUnit reporter: one test case per consumer interaction; diff: one per change).
 */
import { printable } from '../report/console';
import { palette } from '../report/color';
import { renderJunitReport, xmlAttr, xmlText } from '../report/junit';
import type { InteractionResult, VerificationReport } from '../verify/result';
import type { CompareResult, ComparisonReport } from './compare';
import type { DiffReport, SpecChange } from './diff';
import { findingAsMismatch, formatFinding, type Finding } from './findings';

export const REPORTERS = ['console', 'json', 'junit'] as const;
export type CompareReporterName = (typeof REPORTERS)[number];

export function isCompareReporter(value: string): value is CompareReporterName {
  return (REPORTERS as readonly string[]).includes(value);
}

export interface RenderOptions {
  /** ANSI colours. Off by default. */
  readonly color?: boolean;
  /** Only what fails, and the summary. */
  readonly quiet?: boolean;
}

const shown = (value: unknown): string => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));

function specLine(spec: ComparisonReport['spec']): string {
  const kind = spec.kind === 'asyncapi' ? 'AsyncAPI' : spec.kind === 'avro' ? 'Avro schema' : 'JSON Schema';
  return `${printable(spec.source)} (${kind}: ${printable(spec.title)}${spec.version === undefined ? '' : ` ${printable(spec.version)}`})`;
}

function findingLines(finding: Finding, color: boolean): string[] {
  const p = palette(color);
  const mark = finding.severity === 'incompatible' ? p.red('✗') : p.yellow('!');
  const where = finding.part === 'metadata' ? `metadata ${finding.path}` : finding.path;
  return [
    `    ${mark} ${p.bold(printable(where))}: ${printable(finding.message)} ${p.dim(`[${finding.code}]`)}`,
    `        ${p.red(`- consumer: ${printable(shown(finding.expected))}`)}`,
    `        ${p.green(`+ spec:     ${printable(shown(finding.actual))}`)}`,
  ];
}

function resultLines(r: CompareResult, options: RenderOptions): string[] {
  const p = palette(options.color === true);
  const failing = r.status === 'incompatible' && !r.pending;
  const mark = r.status === 'compatible' ? p.green('✓') : r.pending ? p.yellow('~') : p.red('✗');
  const status = r.status === 'compatible' ? p.green('compatible') : r.pending ? p.yellow('incompatible (pending)') : p.red(p.bold('incompatible'));
  const against = r.specMessage === undefined ? '' : ` with ${printable(r.specMessage.describe)}`;
  const file = r.contractFile === undefined ? '' : p.dim(` (${printable(r.contractFile)})`);
  const lines = [`${mark} ${printable(r.consumer)} → ${printable(r.provider)} ${JSON.stringify(r.description)}${file}: ${status}${against}`];
  const findings = options.quiet === true ? r.findings.filter((f) => f.severity === 'incompatible') : r.findings;
  if (options.quiet !== true || failing) for (const f of findings) lines.push(...findingLines(f, options.color === true));
  if (options.quiet !== true) for (const note of r.notes) lines.push(`    ${p.dim(`note: ${printable(note)}`)}`);
  return lines;
}

/**
 * The console report of `herald compare`.
 *
 * @example process.stdout.write(renderCompareConsole(report, { color: true }));
 */
export function renderCompareConsole(report: ComparisonReport, options: RenderOptions = {}): string {
  const p = palette(options.color === true);
  const s = report.summary;
  const results = options.quiet === true ? report.results.filter((r) => r.status === 'incompatible') : report.results;
  const header = `Comparing ${report.results.length} interaction(s) of the consumers of ${printable(report.provider)} with ${specLine(report.spec)}`;
  const summary = `${s.compatible} compatible, ${s.incompatible} incompatible${s.pending > 0 ? ` (${s.pending} pending)` : ''}, ${s.warnings} warning(s)`;
  const blocks = results.map((r) => resultLines(r, options).join('\n'));
  return `${[header, ...blocks, s.ok ? p.green(summary) : p.red(p.bold(summary))].join('\n\n')}\n`;
}

/** The JSON report of `herald compare`: the report data, two-space indented. */
export function renderCompareJson(report: ComparisonReport): string {
  return `${JSON.stringify({ command: 'compare', ...report }, null, 2)}\n`;
}

/** The comparison as a verification report, for the shared reporters. */
export function comparisonAsVerification(report: ComparisonReport): VerificationReport {
  const results: InteractionResult[] = report.results.map((r) => ({
    consumer: r.consumer,
    provider: r.provider,
    description: r.description,
    ...(r.contractFile === undefined ? {} : { contractFile: r.contractFile }),
    status: r.status === 'compatible' ? 'passed' : r.pending ? 'pending' : 'failed',
    mismatches: r.findings.filter((f) => f.severity === 'incompatible').map(findingAsMismatch),
    notes: [...r.findings.filter((f) => f.severity === 'warning').map((f) => `warning: ${formatFinding(f)}`), ...r.notes],
    pending: r.pending,
    durationMs: 0,
  }));
  const s = report.summary;
  return {
    summary: {
      total: s.total,
      passed: s.compatible,
      failed: s.incompatible - results.filter((r) => r.status === 'pending').length,
      pending: results.filter((r) => r.status === 'pending').length,
      noFactory: 0,
      stateFailed: 0,
      unusedFactories: [],
      durationMs: 0,
      ok: s.ok,
      producedBy: 'factories',
    },
    results,
  };
}

/** The JUnit report of `herald compare`: one test suite per consumer → provider, one test case per interaction. */
export function renderCompareJunit(report: ComparisonReport): string {
  return renderJunitReport(comparisonAsVerification(report)).replace('<testsuites name="herald verify"', '<testsuites name="herald compare"');
}

export function renderCompareReport(reporter: CompareReporterName, report: ComparisonReport, options: RenderOptions = {}): string {
  if (reporter === 'json') return renderCompareJson(report);
  if (reporter === 'junit') return renderCompareJunit(report);
  return renderCompareConsole(report, options);
}

// --- diff ------------------------------------------------------------------------------------

function changeLines(c: SpecChange, options: RenderOptions): string[] {
  const p = palette(options.color === true);
  const mark = c.classification === 'breaking' ? p.red('✗') : p.green('✓');
  const where = c.part === 'metadata' ? `metadata ${c.path}` : c.path;
  const lines = [`  ${mark} ${printable(c.message)} ${p.bold(printable(where))}: ${printable(c.description)} ${p.dim(`[${c.kind}]`)}`];
  if (c.affected.length > 0) {
    for (const a of c.affected) {
      lines.push(
        `      ${p.red('breaks')} ${printable(a.consumer)} ${JSON.stringify(a.interaction)}${a.contractFile === undefined ? '' : p.dim(` (${printable(a.contractFile)})`)}: ${printable(a.reason)}`,
      );
    }
  } else {
    lines.push(`      ${p.dim(printable(c.reason))}`);
  }
  return lines;
}

/** The console report of `herald diff`. */
export function renderDiffConsole(report: DiffReport, options: RenderOptions = {}): string {
  const p = palette(options.color === true);
  const s = report.summary;
  const against = report.provider === undefined ? 'no consumer contracts' : `${s.interactions} interaction(s) of the consumers of ${printable(report.provider)}`;
  const sections = [`Changes from ${specLine(report.old)} to ${specLine(report.new)}, checked against ${against}`];
  const breaking = report.changes.filter((c) => c.classification === 'breaking');
  const safe = report.changes.filter((c) => c.classification === 'safe');
  if (breaking.length > 0) sections.push([p.red(p.bold(`Breaking (${breaking.length}):`)), ...breaking.flatMap((c) => changeLines(c, options))].join('\n'));
  if (safe.length > 0 && options.quiet !== true) sections.push([p.green(`Safe (${safe.length}):`), ...safe.flatMap((c) => changeLines(c, options))].join('\n'));
  if (report.changes.length === 0) sections.push('No changes to the messages the provider sends.');
  const summary = `${s.breaking} breaking, ${s.safe} safe`;
  sections.push(s.ok ? p.green(summary) : p.red(p.bold(summary)));
  return `${sections.join('\n\n')}\n`;
}

/** The JSON report of `herald diff`. */
export function renderDiffJson(report: DiffReport): string {
  return `${JSON.stringify({ command: 'diff', ...report }, null, 2)}\n`;
}

/** The JUnit report of `herald diff`: one test suite per message, one test case per change (breaking ones fail). */
export function renderDiffJunit(report: DiffReport): string {
  const suites = new Map<string, SpecChange[]>();
  for (const c of report.changes) suites.set(c.message, [...(suites.get(c.message) ?? []), c]);
  const count = (changes: readonly SpecChange[]): string => `tests="${changes.length}" failures="${changes.filter((c) => c.classification === 'breaking').length}" errors="0" skipped="0"`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="herald diff" ${count(report.changes)} time="0.000">`];
  for (const [message, changes] of suites) {
    lines.push(`  <testsuite name="${xmlAttr(message)}" ${count(changes)} time="0.000">`);
    for (const c of changes) {
      const name = `${c.part === 'metadata' ? `metadata ${c.path}` : c.path}: ${c.description}`;
      const open = `    <testcase classname="${xmlAttr(message)}" name="${xmlAttr(name)}" time="0.000"`;
      if (c.classification === 'breaking') {
        const detail = [c.reason, ...c.affected.map((a) => `${a.consumer} "${a.interaction}"${a.contractFile === undefined ? '' : ` (${a.contractFile})`}: ${a.reason}`)].join('\n');
        lines.push(`${open}>`, `      <failure message="${xmlAttr(c.reason)}" type="${xmlAttr(c.kind)}">${xmlText(detail)}</failure>`, '    </testcase>');
      } else {
        lines.push(`${open}>`, `      <system-out>${xmlText(`safe: ${c.reason}`)}</system-out>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

export function renderDiffReport(reporter: CompareReporterName, report: DiffReport, options: RenderOptions = {}): string {
  if (reporter === 'json') return renderDiffJson(report);
  if (reporter === 'junit') return renderDiffJunit(report);
  return renderDiffConsole(report, options);
}
