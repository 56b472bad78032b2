/** Creating, replacing and reading webhooks and their executions: the domain behind /webhooks and the web page. */
import { randomUUID } from 'node:crypto';
import { problem } from '../domain/problem';
import type { Repository, TriggeredWebhookRecord, WebhookExecutionRecord, WebhookRecord } from '../storage/repository';
import type { WebhookHostRule } from './hosts';
import { readWebhookInput } from './input';

const UUID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkWebhookUuid(uuid: string): string {
  if (!UUID.test(uuid)) throw problem(400, 'uuid', `The webhook uuid ${JSON.stringify(uuid)} must be 1 to 64 letters, digits, "-" or "_".`);
  return uuid;
}

/** POST /webhooks (no uuid: a new one) or PUT /webhooks/{uuid} (creates it or replaces it). */
export async function saveWebhook(repository: Repository, hosts: readonly WebhookHostRule[], body: unknown, uuid?: string): Promise<{ webhook: WebhookRecord; created: boolean }> {
  const id = uuid === undefined ? randomUUID() : checkWebhookUuid(uuid);
  return repository.transaction(async (tx) => {
    const previous = uuid === undefined ? undefined : await tx.findWebhook(id);
    const input = readWebhookInput(body, hosts, previous);
    const webhook = await tx.putWebhook({ uuid: id, ...input });
    return { webhook, created: previous === undefined };
  });
}

/** A triggered webhook with its attempts, oldest first. */
export interface WebhookExecutions {
  readonly triggered: TriggeredWebhookRecord;
  readonly executions: readonly WebhookExecutionRecord[];
}

/**
 * What one webhook did: each event that triggered it with every delivery attempt and its log
 * (secrets already masked). Newest event first, for the web page and GET /webhooks/{uuid}/executions.
 */
export async function listWebhookExecutions(repository: Repository, webhookUuid: string): Promise<WebhookExecutions[]> {
  const triggered = await repository.listTriggeredWebhooks({ webhookUuid });
  const result: WebhookExecutions[] = [];
  for (const item of triggered.reverse()) result.push({ triggered: item, executions: await repository.listWebhookExecutions(item.uuid) });
  return result;
}
