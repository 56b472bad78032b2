/**
 * The console reporter: one line per contract pair while verifying, then every failure with its
 * readable diff, notes, unused factories and a summary line. Pure: report in, text out.
 */
import { formatMismatches } from '../matching/format';
import type { InteractionResult, InteractionStatus, VerificationReport, VerificationSummary } from '../verify/result';
import { palette, type Palette } from './color';

export interface ConsoleOptions {
  /** ANSI colours (decide with `shouldColor`). Off by default. */
  readonly color?: boolean;
  /** Only failures and the summary: no pending interactions, notes or unused factories. */
  readonly quiet?: boolean;
}

/** One verified contract pair, as `verifyProvider`'s `onPair` callback reports it. */
export interface PairResults {
  readonly consumer: string;
  readonly provider: string;
  readonly contractFile?: string;
  readonly results: readonly InteractionResult[];
  /** Labels 'no-factory' results as 'without trigger' for broker verification. */
  readonly producedBy?: 'factories' | 'triggers';
}

/**
 * Shows control characters from contracts and user code as `\u001b` text, so a description or
 * error message cannot move the cursor or change colours in the terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

const FAILING: ReadonlySet<InteractionStatus> = new Set(['failed', 'no-factory', 'state-failed']);

/** True for results that fail the run (pending interactions never do). */
export function isFailing(result: InteractionResult): boolean {
  return FAILING.has(result.status);
}

const STATUS_LABEL: Readonly<Record<InteractionStatus, string>> = {
  passed: 'passed',
  failed: 'failed',
  pending: 'pending',
  'no-factory': 'without factory',
  'state-failed': 'state failed',
};

/** 'without factory' or, for broker verification, 'without trigger'. */
function labelOf(status: InteractionStatus, producedBy: 'factories' | 'triggers' | undefined): string {
  return status === 'no-factory' && producedBy === 'triggers' ? 'without trigger' : STATUS_LABEL[status];
}

const STATUS_ORDER: readonly InteractionStatus[] = ['passed', 'failed', 'pending', 'no-factory', 'state-failed'];

/**
 * The progress line for one contract pair.
 *
 * @example formatPairLine({ consumer: 'shipping', provider: 'orders', results }) // '✓ shipping → orders  3 passed'
 */
export function formatPairLine(pair: PairResults, options: ConsoleOptions = {}): string {
  const p = palette(options.color === true);
  const failing = pair.results.some(isFailing);
  const counts = STATUS_ORDER.map((status) => [status, pair.results.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => paintStatus(p, status)(`${n} ${labelOf(status, pair.producedBy)}`));
  const mark = failing ? p.red('✗') : p.green('✓');
  return `${mark} ${printable(pair.consumer)} → ${printable(pair.provider)}  ${counts.length === 0 ? p.dim('no interactions selected') : counts.join(', ')}`;
}

/**
 * The summary line.
 *
 * @example formatSummaryLine(report.summary) // '3 passed, 1 failed, 0 pending, 0 without factory, 0 state failed (12 ms)'
 */
export function formatSummaryLine(summary: VerificationSummary, options: ConsoleOptions = {}): string {
  const p = palette(options.color === true);
  const line =
    `${summary.passed} passed, ${summary.failed} failed, ${summary.pending} pending, ` +
    `${summary.noFactory} ${labelOf('no-factory', summary.producedBy)}, ${summary.stateFailed} state failed (${Math.round(summary.durationMs)} ms)`;
  return summary.ok ? p.green(line) : p.red(p.bold(line));
}

/** The progress lines of a whole report, grouped by contract pair (for reports written after the run). */
export function formatPairLines(report: VerificationReport, options: ConsoleOptions = {}): string[] {
  const pairs = new Map<string, { consumer: string; provider: string; contractFile?: string; results: InteractionResult[] }>();
  for (const r of report.results) {
    const id = `${r.consumer}\u0000${r.provider}\u0000${r.contractFile ?? ''}`;
    let pair = pairs.get(id);
    if (pair === undefined) pairs.set(id, (pair = { consumer: r.consumer, provider: r.provider, ...(r.contractFile === undefined ? {} : { contractFile: r.contractFile }), results: [] }));
    pair.results.push(r);
  }
  return [...pairs.values()].map((pair) => formatPairLine({ ...pair, producedBy: report.summary.producedBy }, options));
}

/**
 * One interaction's failure for people: contract file, consumer → provider, interaction, then the
 * mismatches as a diff, or the error (code and message) when there was no message to compare.
 */
export function formatResult(result: InteractionResult, options: ConsoleOptions = {}): string {
  const p = palette(options.color === true);
  const contractFile = result.contractFile === undefined ? undefined : printable(result.contractFile);
  const context = {
    consumer: printable(result.consumer),
    provider: printable(result.provider),
    interaction: result.description,
    ...(contractFile === undefined ? {} : { contractFile }),
  };
  const parts: string[] = [];
  if (result.mismatches.length > 0) {
    const mismatches = result.mismatches.map((m) => ({ ...m, path: printable(m.path), message: printable(m.message) }));
    parts.push(formatMismatches(mismatches, context, { color: options.color === true }));
  } else {
    const parties = `${context.consumer} → ${context.provider}`;
    parts.push([contractFile === undefined ? `Contract: ${parties}` : `Contract: ${contractFile} (${parties})`, `Interaction: ${JSON.stringify(result.description)}`].join('\n'));
  }
  if (result.error !== undefined) parts.push(`  ${p.red(p.bold(printable(result.error.code)))}: ${printable(result.error.message)}`);
  for (const note of result.notes) parts.push(`  ${p.dim(`note: ${printable(note)}`)}`);
  return parts.join('\n');
}

function paintStatus(p: Palette, status: InteractionStatus): (text: string) => string {
  return status === 'passed' ? p.green : status === 'pending' ? p.yellow : p.red;
}

function heading(p: Palette, index: number, total: number, result: InteractionResult): string {
  return p.bold(`${index}/${total} ${paintStatus(p, result.status)(STATUS_LABEL[result.status])}: ${printable(result.consumer)} → ${printable(result.provider)} ${JSON.stringify(result.description)}`);
}

/**
 * Everything after the progress lines: failures, pending interactions that failed, notes, unused
 * factories, then the summary line. Ends with a newline.
 *
 * @example process.stdout.write(renderConsoleReport(report, { color: shouldColor(process.stdout.isTTY, process.env) }));
 */
export function renderConsoleReport(report: VerificationReport, options: ConsoleOptions = {}): string {
  const p = palette(options.color === true);
  const quiet = options.quiet === true;
  const sections: string[] = [];

  const failures = report.results.filter(isFailing);
  if (failures.length > 0) {
    sections.push([p.red(p.bold(`Failures (${failures.length}):`)), ...failures.map((r, i) => `${heading(p, i + 1, failures.length, r)}\n${formatResult(r, options)}`)].join('\n\n'));
  }

  if (!quiet) {
    const pending = report.results.filter((r) => r.status === 'pending');
    if (pending.length > 0) {
      sections.push(
        [p.yellow(p.bold(`Pending, failing without failing the run (${pending.length}):`)), ...pending.map((r, i) => `${heading(p, i + 1, pending.length, r)}\n${formatResult(r, options)}`)].join(
          '\n\n',
        ),
      );
    }
    const noted = report.results.filter((r) => !isFailing(r) && r.status !== 'pending' && r.notes.length > 0);
    if (noted.length > 0) {
      sections.push([p.bold('Notes:'), ...groupedNotes(noted)].join('\n'));
    }
    const unused = report.summary.unusedFactories;
    if (unused.length > 0) {
      sections.push(
        [
          p.yellow(
            `Unused ${report.summary.producedBy === 'triggers' ? 'triggers' : 'factories'} (${unused.length}): no verified interaction has these descriptions; remove them or check for a renamed interaction:`,
          ),
          ...unused.map((d) => `  - ${JSON.stringify(d)}`),
        ].join('\n'),
      );
    }
  }

  sections.push(formatSummaryLine(report.summary, options));
  return `${sections.join('\n\n')}\n`;
}

/**
 * The whole console report as one text (no colour unless asked): progress lines, failures, summary.
 *
 * @example
 * const report = await verifyProvider(contracts, factories);
 * if (!report.summary.ok) console.log(formatReport(report));
 */
export function formatReport(report: VerificationReport, options: ConsoleOptions = {}): string {
  const lines = options.quiet === true ? [] : formatPairLines(report, options);
  return `${lines.length === 0 ? '' : `${lines.join('\n')}\n\n`}${renderConsoleReport(report, options)}`;
}

/** How many interactions a grouped note names before "and N more". */
const NOTE_NAMES = 3;

/** One line per distinct note: a note many interactions share is printed once, with how many. */
function groupedNotes(results: readonly InteractionResult[]): string[] {
  const byNote = new Map<string, string[]>();
  for (const r of results) {
    for (const note of r.notes) {
      const where = `${printable(r.consumer)} → ${printable(r.provider)} ${JSON.stringify(r.description)}`;
      byNote.set(note, [...(byNote.get(note) ?? []), where]);
    }
  }
  return [...byNote].map(([note, where]) => {
    if (where.length === 1) return `  - ${where[0] ?? ''}: ${printable(note)}`;
    const named = where.slice(0, NOTE_NAMES).join(', ');
    const more = where.length > NOTE_NAMES ? ` and ${where.length - NOTE_NAMES} more` : '';
    return `  - ${printable(note)} (${where.length} interactions: ${named}${more})`;
  });
}
