/**
 * Renders mismatches for people. Pure: the same mismatches and context give the same text;
 * reporters serialise the Mismatch data itself for machines.
 */
import type { JsonValue } from '../contract/json';
import type { Mismatch } from '../matchers/mismatch';

export interface FormatContext {
  readonly contractFile?: string;
  readonly consumer?: string;
  readonly provider?: string;
  /** Interaction description. */
  readonly interaction?: string;
}

export interface FormatOptions {
  /** ANSI colours (red for expected, green for actual). Off by default. */
  readonly color?: boolean;
}

const ANSI = { red: '\u001b[31m', green: '\u001b[32m', bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;
const MAX_VALUE_LINES = 20;

/** Where a mismatch is: the body path (`$.items[0].qty`) or `metadata <key>`. */
function location(m: Mismatch): string {
  return m.part === 'metadata' ? `metadata ${m.path}` : m.path;
}

/**
 * One line per mismatch.
 *
 * @example
 * formatMismatch(m) // '$.items[0].qty: Expected an integer but got "2" [type]'
 */
export function formatMismatch(m: Mismatch): string {
  return `${location(m)}: ${m.message} [${m.code}]`;
}

function renderValue(value: JsonValue | undefined): string[] {
  if (value === undefined) return ['(absent)'];
  const lines = JSON.stringify(value, null, 2).split('\n');
  if (lines.length <= MAX_VALUE_LINES) return lines;
  return [...lines.slice(0, MAX_VALUE_LINES), `... (${lines.length - MAX_VALUE_LINES} more lines)`];
}

function diffLines(sign: '-' | '+', label: string, value: JsonValue | undefined, indent: string, paint: (s: string) => string): string[] {
  const lines = renderValue(value);
  if (lines.length === 1) return [paint(`${indent}${sign} ${label} ${lines[0] as string}`)];
  return [paint(`${indent}${sign} ${label.trimEnd()}`), ...lines.map((line) => paint(`${indent}${sign}   ${line}`))];
}

/**
 * A report for one interaction: a header naming the contract file, consumer → provider and
 * interaction, then one block per mismatch with its path, message and an expected/actual diff.
 *
 * @example
 * formatMismatches(mismatches, { contractFile: 'contracts/billing-orders.json', consumer: 'billing', provider: 'orders', interaction: 'an order created event' });
 */
export function formatMismatches(mismatches: readonly Mismatch[], context: FormatContext, options: FormatOptions = {}): string {
  const color = options.color === true;
  const paint =
    (code: string) =>
    (s: string): string =>
      color ? `${code}${s}${ANSI.reset}` : s;
  const red = paint(ANSI.red);
  const green = paint(ANSI.green);
  const bold = paint(ANSI.bold);
  const dim = paint(ANSI.dim);

  const header: string[] = [];
  const parties =
    context.consumer !== undefined && context.provider !== undefined
      ? `${context.consumer} → ${context.provider}`
      : context.consumer !== undefined
        ? `consumer ${context.consumer}`
        : context.provider !== undefined
          ? `provider ${context.provider}`
          : undefined;
  if (context.contractFile !== undefined) header.push(`Contract: ${context.contractFile}${parties === undefined ? '' : ` (${parties})`}`);
  else if (parties !== undefined) header.push(`Contract: ${parties}`);
  if (context.interaction !== undefined) header.push(`Interaction: ${JSON.stringify(context.interaction)}`);
  const count = mismatches.length;
  header.push(count === 0 ? 'No mismatches.' : `${count} mismatch${count === 1 ? '' : 'es'}:`);

  const blocks = mismatches.map((m, i) => {
    const number = `${i + 1})`;
    const indent = ' '.repeat(number.length + 3);
    return [
      `  ${number} ${bold(location(m))} ${dim(`[${m.code}]`)}`,
      `${indent}${m.message}`,
      ...diffLines('-', 'expected:', m.expected, indent, red),
      ...diffLines('+', 'actual:  ', m.actual, indent, green),
    ].join('\n');
  });
  return [header.join('\n'), ...blocks].join('\n\n');
}
