/**
 * The "Webhooks" section. The page reads webhook executions only through this small interface
 * (repositoryWebhookLog over the broker's storage); without one the section says none are configured.
 */
import type { Repository } from '../storage/repository';
import { fillPlaceholders } from '../webhooks/template';
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
  /** False when the broker has no webhook at all (the section then says so); absent: assume some. */
  hasWebhooks?(): Promise<boolean>;
}

/**
 * The log of the broker's webhooks (webhooks/): each triggered webhook of the pair (or of all pairs)
 * with its attempts, newest first; the URL is the filled template with its user info removed, and
 * the error line comes from the last attempt's log, which delivery already scrubbed of secrets.
 */
export function repositoryWebhookLog(repository: Repository): WebhookExecutionLog {
  return {
    hasWebhooks: async () => (await repository.listWebhooks()).length > 0,
    async listWebhookExecutions(filter) {
      const triggered = await repository.listTriggeredWebhooks({
        ...(filter.consumer === undefined ? {} : { consumerName: filter.consumer }),
        ...(filter.provider === undefined ? {} : { providerName: filter.provider }),
      });
      // Nothing triggered: the section asks hasWebhooks, so the webhooks are read once either way.
      if (triggered.length === 0) return [];
      const byUuid = new Map((await repository.listWebhooks()).map((w) => [w.uuid, w]));
      const newest = triggered.reverse().slice(0, filter.limit);
      return Promise.all(
        newest.map(async (t): Promise<WebhookExecutionView> => {
          const webhook = byUuid.get(t.webhookUuid);
          const attempts = await repository.listWebhookExecutions(t.uuid);
          const last = attempts.at(-1);
          // deliver.ts's log lines: "Response: 503 Service Unavailable after …", "Not sent: …", "Failed after … ms: …".
          const code = last === undefined ? undefined : /^Response: (\d{3})/m.exec(last.logs)?.[1];
          const failureLine = last === undefined || last.success ? undefined : /^((?:Not sent|Failed after)\b.*)$/m.exec(last.logs)?.[1];
          return {
            webhook: webhook?.description ?? t.webhookUuid,
            event: t.eventName,
            url: webhook === undefined ? '(deleted webhook)' : withoutUserInfo(fillPlaceholders(webhook.request.url, t.variables, encodeURIComponent)),
            outcome: t.status === 'success' ? 'succeeded' : t.status === 'failure' ? 'failed' : 'pending',
            attempts: t.attemptsMade,
            consumer: t.consumerName,
            provider: t.providerName,
            at: last?.createdAt ?? t.createdAt,
            ...(code === undefined ? {} : { responseStatus: Number(code) }),
            ...(failureLine === undefined ? {} : { error: failureLine }),
          };
        }),
      );
    },
  };
}

function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

const OUTCOME_CLASS = { succeeded: 'status-ok', failed: 'status-fail', pending: 'status-unknown' } as const;

export async function webhooksSection(log: WebhookExecutionLog | undefined, filter: { readonly consumer?: string; readonly provider?: string } = {}): Promise<Html> {
  const heading = html`<h2 id="webhooks">Webhooks</h2>`;
  if (log === undefined)
    return html`${heading}
      <p class="muted">No webhooks configured on this broker.</p>`;
  const executions = await log.listWebhookExecutions({ ...filter, limit: 50 });
  if (executions.length === 0 && (await log.hasWebhooks?.()) === false)
    return html`${heading}
      <p class="muted">No webhooks configured on this broker.</p>`;
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
