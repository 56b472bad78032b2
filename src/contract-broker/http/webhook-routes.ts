/**
 * Pact Broker's webhook resources: /webhooks (pb:webhooks), /webhooks/{uuid} (pb:webhook; PUT
 * creates or replaces, as the Pact CLI's create-or-update-webhook), the triggered webhooks of a
 * pact pair (/pacts/provider/{p}/consumer/{c}/webhooks/status) with their logs
 * (/triggered-webhooks/{uuid}/logs), and Herald's /webhooks/{uuid}/executions.
 */
import type { JsonObject } from '../domain/pact-content';
import { notFound } from '../domain/problem';
import type { Repository, TriggeredWebhookRecord, WebhookRecord } from '../storage/repository';
import type { WebhookHostRule } from '../webhooks/hosts';
import { checkWebhookUuid, listWebhookExecutions, saveWebhook } from '../webhooks/manage';
import { deliverWebhook } from '../webhooks/deliver';
import { redactSpec } from '../webhooks/redact';
import { latestMatchingVariables } from '../webhooks/trigger';
import type { Hal } from './hal';
import type { Router, RouteResponse } from './router';

/** What the routes need from the broker's webhook delivery. */
export interface BrokerWebhooks {
  readonly hosts: readonly WebhookHostRule[];
  readonly maxAttempts: number;
  /** Called after a write that may have triggered webhooks committed. */
  wake(): void;
  /** Per delivery attempt (a test execution waits this long at most). */
  readonly timeoutMs: number;
}

function webhookName(webhook: WebhookRecord): string {
  let host = webhook.request.url;
  try {
    host = new URL(webhook.request.url).host;
  } catch {
    // Shown as written.
  }
  return `${webhook.request.method} ${host}`;
}

function renderWebhook(hal: Hal, webhook: WebhookRecord): JsonObject {
  const self = hal.link(['webhooks', webhook.uuid], { title: webhook.description ?? webhookName(webhook), name: webhookName(webhook) });
  return {
    uuid: webhook.uuid,
    description: webhook.description,
    ...(webhook.consumerName === null ? {} : { consumer: { name: webhook.consumerName } }),
    ...(webhook.providerName === null ? {} : { provider: { name: webhook.providerName } }),
    enabled: webhook.enabled,
    events: webhook.events.map((name) => ({ name })),
    request: redactSpec(webhook.request) as unknown as JsonObject,
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
    _links: {
      self,
      'pb:execute': hal.link(['webhooks', webhook.uuid, 'execute'], { title: 'Test the webhook now with the latest matching pact (POST; not recorded)' }),
      'pb:executions': hal.link(['webhooks', webhook.uuid, 'executions'], { title: 'Events that triggered this webhook, with each delivery attempt and its log' }),
      'pb:webhooks': hal.link(['webhooks'], { title: 'All webhooks' }),
      ...(webhook.consumerName === null ? {} : { 'pb:consumer': hal.link(hal.pacticipantPath(webhook.consumerName), { title: 'Consumer', name: webhook.consumerName }) }),
      ...(webhook.providerName === null ? {} : { 'pb:provider': hal.link(hal.pacticipantPath(webhook.providerName), { title: 'Provider', name: webhook.providerName }) }),
    },
  };
}

function renderTriggered(hal: Hal, triggered: TriggeredWebhookRecord, webhook: WebhookRecord | undefined): JsonObject {
  const name = webhook === undefined ? triggered.webhookUuid : webhookName(webhook);
  return {
    uuid: triggered.uuid,
    name,
    status: triggered.status,
    attemptsMade: triggered.attemptsMade,
    attemptsRemaining: triggered.status === 'success' || triggered.status === 'failure' ? 0 : triggered.maxAttempts - triggered.attemptsMade,
    triggerType: 'resource_creation',
    eventName: triggered.eventName,
    consumerName: triggered.consumerName,
    providerName: triggered.providerName,
    webhookUuid: triggered.webhookUuid,
    triggeredAt: triggered.createdAt,
    updatedAt: triggered.updatedAt,
    nextAttemptAt: triggered.status === 'success' || triggered.status === 'failure' ? null : triggered.nextAttemptAt,
    _links: {
      'pb:logs': hal.link(['triggered-webhooks', triggered.uuid, 'logs'], { title: 'Webhook execution logs', name }),
      'pb:webhook': hal.link(['webhooks', triggered.webhookUuid], { title: 'Webhook', name }),
    },
  };
}

export function webhookRoutes(router: Router, repository: Repository, webhooks: BrokerWebhooks): void {
  const ok = (body: unknown): RouteResponse => ({ status: 200, body });
  async function found(uuid: string | undefined): Promise<WebhookRecord> {
    const webhook = await repository.findWebhook(checkWebhookUuid(uuid ?? ''));
    if (webhook === undefined) throw notFound(`Webhook ${uuid ?? ''}`, 'List the webhooks at /webhooks.');
    return webhook;
  }
  router
    .on('GET', '/webhooks', async ({ hal }) => {
      const all = await repository.listWebhooks();
      return ok({
        _embedded: { webhooks: all.map((w) => renderWebhook(hal, w)) },
        _links: {
          self: hal.link(['webhooks'], { title: 'Webhooks' }),
          'pb:create': hal.link(['webhooks'], { title: 'POST to create a webhook' }),
          'pb:webhooks': all.map((w) => hal.link(['webhooks', w.uuid], { title: w.description ?? webhookName(w), name: webhookName(w) })),
        },
      });
    })
    .on('POST', '/webhooks', async ({ hal, body }) => ({ status: 201, body: renderWebhook(hal, (await saveWebhook(repository, webhooks.hosts, body)).webhook) }))
    .on('GET', '/webhooks/:uuid', async ({ hal, params }) => ok(renderWebhook(hal, await found(params['uuid']))))
    .on('PUT', '/webhooks/:uuid', async ({ hal, params, body }) => {
      const { webhook, created } = await saveWebhook(repository, webhooks.hosts, body, params['uuid'] ?? '');
      return { status: created ? 201 : 200, body: renderWebhook(hal, webhook) };
    })
    .on('DELETE', '/webhooks/:uuid', async ({ params }) => {
      if (!(await repository.deleteWebhook(checkWebhookUuid(params['uuid'] ?? '')))) throw notFound(`Webhook ${params['uuid'] ?? ''}`, 'List the webhooks at /webhooks.');
      return { status: 204 };
    })
    .on('POST', '/webhooks/:uuid/execute', async ({ hal, params }) => {
      // Pact's test-webhook: one attempt now, with the latest matching pact; not recorded, not retried.
      const webhook = await found(params['uuid']);
      const variables = await latestMatchingVariables(repository, { baseUrl: hal.base, maxAttempts: 1 }, webhook);
      if (variables === undefined) throw notFound(`A pact matching the webhook ${webhook.uuid}`, 'Publish a pact its consumer and provider match, then test it again.');
      const now = new Date().toISOString();
      const result = await deliverWebhook(
        webhook,
        {
          uuid: 'test',
          webhookUuid: webhook.uuid,
          eventName: 'contract_published',
          consumerName: variables['pactbroker.consumerName'] ?? '',
          providerName: variables['pactbroker.providerName'] ?? '',
          variables,
          status: 'not_run',
          attemptsMade: 0,
          maxAttempts: 1,
          nextAttemptAt: null,
          createdAt: now,
          updatedAt: now,
        },
        1,
        { hosts: webhooks.hosts, timeoutMs: webhooks.timeoutMs, signal: new AbortController().signal },
      );
      return ok({ success: result.success, logs: result.logs, _links: { 'pb:webhook': hal.link(['webhooks', webhook.uuid], { title: 'Webhook' }) } });
    })
    .on('GET', '/webhooks/:uuid/executions', async ({ hal, params }) => {
      const webhook = await found(params['uuid']);
      const list = await listWebhookExecutions(repository, webhook.uuid);
      return ok({
        webhookUuid: webhook.uuid,
        _embedded: {
          triggeredWebhooks: list.map(({ triggered, executions }) => ({
            ...renderTriggered(hal, triggered, webhook),
            _embedded: { executions: executions.map((e) => ({ attempt: e.attempt, success: e.success, executedAt: e.createdAt, logs: e.logs })) },
          })),
        },
        _links: { self: hal.link(['webhooks', webhook.uuid, 'executions'], { title: 'Webhook executions' }), 'pb:webhook': hal.link(['webhooks', webhook.uuid], { title: 'Webhook' }) },
      });
    })
    .on('GET', '/pacts/provider/:provider/consumer/:consumer/webhooks/status', async ({ hal, params }) => {
      const [provider, consumer] = [params['provider'] ?? '', params['consumer'] ?? ''];
      const triggered = await repository.listTriggeredWebhooks({ consumerName: consumer, providerName: provider });
      const byUuid = new Map((await repository.listWebhooks()).map((w) => [w.uuid, w]));
      const count = (status: TriggeredWebhookRecord['status']): number => triggered.filter((t) => t.status === status).length;
      return ok({
        summary: { successful: count('success'), failed: count('failure'), retrying: count('retrying'), notRun: count('not_run') },
        _embedded: { triggeredWebhooks: triggered.map((t) => renderTriggered(hal, t, byUuid.get(t.webhookUuid))) },
        _links: {
          self: hal.link(['pacts', 'provider', provider, 'consumer', consumer, 'webhooks', 'status'], { title: 'Webhooks status' }),
          'pb:consumer': hal.link(hal.pacticipantPath(consumer), { title: 'Consumer', name: consumer }),
          'pb:provider': hal.link(hal.pacticipantPath(provider), { title: 'Provider', name: provider }),
        },
      });
    })
    .on('GET', '/triggered-webhooks/:uuid/logs', async ({ params }) => {
      const triggered = await repository.findTriggeredWebhook(params['uuid'] ?? '');
      if (triggered === undefined) throw notFound(`Triggered webhook ${params['uuid'] ?? ''}`, 'Follow a pb:logs link from /webhooks/{uuid}/executions.');
      const executions = await repository.listWebhookExecutions(triggered.uuid);
      return { status: 200, text: executions.length === 0 ? `Not attempted yet (status ${triggered.status}).\n` : executions.map((e) => e.logs).join('\n') };
    });
}
