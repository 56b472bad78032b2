/**
 * The JUnit XML reporter, for CI test tabs: one <testsuite> per consumer → provider pair, one
 * <testcase> per interaction. Failed, no-factory and state-failed interactions get a <failure>
 * (type = error code, or "mismatch"); pending ones get <skipped message="pending">.
 *
 *   <testsuites name="herald verify" tests failures errors="0" skipped time>
 *     <testsuite name="consumer → provider" tests failures errors="0" skipped time file?>
 *       <testcase classname="consumer → provider" name="description" time file?>
 *         <failure message="…" type="HERALD_NO_FACTORY | mismatch">formatted mismatches</failure>
 *         <skipped message="pending">…</skipped>
 *         <system-out>notes</system-out>
 */
import { formatMismatch } from '../matching/format';
import type { InteractionResult, VerificationReport } from '../verify/result';
import { formatResult, isFailing } from './console';

/** Characters XML 1.0 forbids, even escaped: C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates. */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Shows a forbidden character as `\u0007` text: the report stays well-formed and still says what was there. */
function visible(text: string): string {
  return text.replace(INVALID_XML, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** Escapes character data. `\r` is escaped so parsers do not normalise it away. */
export function xmlText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value (double-quoted); tabs and line breaks survive attribute normalisation. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function attrs(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlAttr(String(value))}"`)
    .join('');
}

function failureMessage(r: InteractionResult): string {
  if (r.error !== undefined) return r.error.message;
  const first = r.mismatches[0];
  const count = r.mismatches.length;
  return first === undefined ? r.status : `${count} mismatch${count === 1 ? '' : 'es'}: ${formatMismatch(first)}${count > 1 ? ' …' : ''}`;
}

function testcase(r: InteractionResult, suite: string): string {
  const open = `    <testcase${attrs({ classname: suite, name: r.description, time: seconds(r.durationMs), file: r.contractFile })}`;
  const body: string[] = [];
  if (isFailing(r)) {
    body.push(`      <failure${attrs({ message: failureMessage(r), type: r.error?.code ?? 'mismatch' })}>${xmlText(formatResult(r))}</failure>`);
  } else if (r.status === 'pending') {
    body.push(`      <skipped message="pending">${xmlText(`${failureMessage(r)}\n\n${formatResult(r)}`)}</skipped>`);
  } else if (r.notes.length > 0) {
    body.push(`      <system-out>${xmlText(r.notes.map((n) => `note: ${n}`).join('\n'))}</system-out>`);
  }
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}

/**
 * The JUnit XML report as text.
 *
 * @example writeFileSync('reports/herald.xml', renderJunitReport(report));
 */
export function renderJunitReport(report: VerificationReport): string {
  const suites = new Map<string, InteractionResult[]>();
  for (const r of report.results) {
    const name = `${r.consumer} → ${r.provider}`;
    suites.set(name, [...(suites.get(name) ?? []), r]);
  }
  const count = (results: readonly InteractionResult[]): { tests: number; failures: number; errors: number; skipped: number } => ({
    tests: results.length,
    failures: results.filter(isFailing).length,
    errors: 0,
    skipped: results.filter((r) => r.status === 'pending').length,
  });
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs({ name: 'herald verify', ...count(report.results), time: seconds(report.summary.durationMs) })}>`];
  for (const [name, results] of suites) {
    const time = results.reduce((sum, r) => sum + r.durationMs, 0);
    const files = [...new Set(results.map((r) => r.contractFile).filter((f): f is string => f !== undefined))];
    lines.push(`  <testsuite${attrs({ name, ...count(results), time: seconds(time), file: files.length === 1 ? files[0] : undefined })}>`);
    for (const r of results) lines.push(testcase(r, name));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
