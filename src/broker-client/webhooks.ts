/**
 * Webhooks on a contract broker (Herald Broker or Pact Broker): create one with POST to
 * `pb:webhooks`, or create-or-replace one by uuid with PUT to `pb:webhook` (as the Pact CLI's
 * create-webhook / create-or-update-webhook).
 */
import type { BrokerClient, JsonObject } from './hal-client';

export interface WebhookDefinition {
  readonly description?: string;
  readonly consumer?: string;
  readonly provider?: string;
  readonly events: readonly string[];
  readonly enabled?: boolean;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: unknown;
    readonly username?: string;
    readonly password?: string;
  };
}

export interface SavedWebhook {
  readonly uuid: string | undefined;
  readonly url: string | undefined;
}

export async function saveWebhook(client: BrokerClient, webhook: WebhookDefinition, uuid?: string): Promise<SavedWebhook> {
  const body: JsonObject = {
    ...(webhook.description === undefined ? {} : { description: webhook.description }),
    ...(webhook.consumer === undefined ? {} : { consumer: { name: webhook.consumer } }),
    ...(webhook.provider === undefined ? {} : { provider: { name: webhook.provider } }),
    ...(webhook.enabled === undefined ? {} : { enabled: webhook.enabled }),
    events: webhook.events.map((name) => ({ name })),
    request: webhook.request,
  };
  const what = uuid === undefined ? 'create a webhook' : `create or update the webhook ${uuid}`;
  const saved = uuid === undefined ? await client.post(await client.link('pb:webhooks', {}, what), body, what) : await client.put(await client.link('pb:webhook', { uuid }, what), body, what);
  const links = saved['_links'];
  const self = typeof links === 'object' && links !== null && 'self' in links ? (links as { self?: { href?: unknown } }).self?.href : undefined;
  const href = typeof self === 'string' ? self : undefined;
  const id = typeof saved['uuid'] === 'string' ? saved['uuid'] : href?.split('/').pop();
  return { uuid: id, url: href };
}
