/**
 * The "Webhooks" section. The page reads webhook executions only through this small interface, so
 * the webhook feature can supply it (a repository with `listWebhookExecutions`) without the page
 * knowing how webhooks are stored or delivered; without it the section says none are configured.
 */
import { html, type Html } from './html';

/** One delivery attempt series of a webhook, as the page shows it. */
export interface WebhookExecutionView {
  /** The webhook's description or uuid. */
  readonly webhook: string;
  /** The event that triggered it, e.g. contract_published. */
  readonly event: string;
  /** The target URL (after template expansion). */
  readonly url: string;
  readonly outcome: 'succeeded' | 'failed' | 'pending';
  readonly attempts: number;
  /** The target's last HTTP status, if it answered. */
  readonly responseStatus?: number;
  /** Why the last attempt failed, when it did. */
  readonly error?: string;
  readonly consumer?: string;
  readonly provider?: string;
  /** ISO time of the latest attempt. */
  readonly at: string;
}

export interface WebhookExecutionLog {
  /** Newest first, at most `limit`; filtered to a consumer and/or provider when given. */
  listWebhookExecutions(filter: { readonly consumer?: string; readonly provider?: string; readonly limit: number }): Promise<readonly WebhookExecutionView[]>;
}

/** The log when `source` offers one (the webhook feature adds the method to its repository). */
export function webhookLogOf(source: object): WebhookExecutionLog | undefined {
  const candidate = source as Partial<WebhookExecutionLog>;
  return typeof candidate.listWebhookExecutions === 'function' ? { listWebhookExecutions: candidate.listWebhookExecutions.bind(source) } : undefined;
}

const OUTCOME_CLASS = { succeeded: 'status-ok', failed: 'status-fail', pending: 'status-unknown' } as const;

export async function webhooksSection(log: WebhookExecutionLog | undefined, filter: { readonly consumer?: string; readonly provider?: string } = {}): Promise<Html> {
  const heading = html`<h2 id="webhooks">Webhooks</h2>`;
  if (log === undefined)
    return html`${heading}
      <p class="muted">No webhooks configured on this broker.</p>`;
  const executions = await log.listWebhookExecutions({ ...filter, limit: 50 });
  if (executions.length === 0)
    return html`${heading}
      <p class="muted">No webhook executions yet.</p>`;
  return html`${heading}
    <table class="webhooks">
      <thead>
        <tr>
          <th>when</th>
          <th>webhook</th>
          <th>event</th>
          <th>target</th>
          <th>outcome</th>
          <th>attempts</th>
          <th>details</th>
        </tr>
      </thead>
      <tbody>
        ${executions.map(
          (e) =>
            html`<tr>
              <td>${e.at}</td>
              <td>${e.webhook}</td>
              <td>${e.event}</td>
              <td><code>${e.url}</code></td>
              <td class="${OUTCOME_CLASS[e.outcome]}">${e.outcome}</td>
              <td>${e.attempts}</td>
              <td>${e.responseStatus === undefined ? '' : `HTTP ${e.responseStatus}`}${e.error === undefined ? '' : html` <span class="status-fail">${e.error}</span>`}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
