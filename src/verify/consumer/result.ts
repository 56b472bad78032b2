/** Consumer verification results are data; `formatConsumerReport` renders them for people. */
import type { JsonObject, JsonValue } from '../../contract/json';
import type { Channel } from '../../contract/model';
import { describeChannel } from '../../transport/describe';
import type { BrokerRunDetails } from '../broker/verify-on-broker';

/**
 * handled: the consumer reported success (or the side effect appeared); failed: its handler
 * failed; not-handled: nothing within the timeout; error: Herald could not publish the example
 * (broker, example encoding), so the consumer was not tested on it.
 */
export type ConsumerInteractionStatus = 'handled' | 'failed' | 'not-handled' | 'error';

export interface ConsumerInteractionResult {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly contractFile?: string;
  readonly status: ConsumerInteractionStatus;
  readonly error?: { readonly code: string; readonly message: string; readonly retriable?: boolean };
  /** The example as published (run-scoped channel), for reproducing a failure. */
  readonly published?: {
    readonly channel: Channel;
    readonly key?: string;
    readonly headers: JsonObject;
    readonly properties: JsonObject;
    readonly payload: JsonValue | undefined;
  };
  readonly probeId: string;
  readonly notes: readonly string[];
  readonly durationMs: number;
}

export interface ConsumerVerificationSummary {
  readonly total: number;
  readonly handled: number;
  readonly failed: number;
  readonly notHandled: number;
  readonly errors: number;
  readonly durationMs: number;
  /** True when every example was handled. */
  readonly ok: boolean;
}

export interface ConsumerVerificationReport {
  readonly summary: ConsumerVerificationSummary;
  readonly results: readonly ConsumerInteractionResult[];
  readonly broker: BrokerRunDetails;
}

export function summariseConsumer(results: readonly ConsumerInteractionResult[], durationMs: number): ConsumerVerificationSummary {
  const count = (status: ConsumerInteractionStatus): number => results.filter((r) => r.status === status).length;
  const handled = count('handled');
  return { total: results.length, handled, failed: count('failed'), notHandled: count('not-handled'), errors: count('error'), durationMs, ok: results.length > 0 && handled === results.length };
}

const MARK: Readonly<Record<ConsumerInteractionStatus, string>> = { handled: '✓', failed: '✗', 'not-handled': '✗', error: '!' };

/**
 * The report as text: one line per interaction, then the problems with their errors.
 *
 * @example
 * if (!report.summary.ok) throw new Error(formatConsumerReport(report));
 */
export function formatConsumerReport(report: ConsumerVerificationReport): string {
  const lines = report.results.map(
    (r) => `${MARK[r.status]} ${r.consumer} ← ${r.provider}: "${r.description}" ${r.status}${r.published === undefined ? '' : ` (${describeChannel(r.published.channel)})`}`,
  );
  for (const r of report.results) {
    if (r.status === 'handled') continue;
    lines.push('', `"${r.description}" (${r.consumer} ← ${r.provider}${r.contractFile === undefined ? '' : `, ${r.contractFile}`}): ${r.status}`);
    if (r.error !== undefined) lines.push(`  ${r.error.code}: ${r.error.message}`);
    if (r.published !== undefined)
      lines.push(`  Published: ${JSON.stringify({ key: r.published.key, headers: r.published.headers, properties: r.published.properties, payload: r.published.payload })}`);
    for (const note of r.notes) lines.push(`  Note: ${note}`);
  }
  const s = report.summary;
  lines.push('', `${s.handled} handled, ${s.failed} failed, ${s.notHandled} not handled, ${s.errors} not published (${Math.round(s.durationMs)} ms)`);
  return `${lines.join('\n')}\n`;
}
