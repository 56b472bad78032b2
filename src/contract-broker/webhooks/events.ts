/** The events a webhook can subscribe to: Pact Broker's names, so Pact CLI flags map one to one. */
export const WEBHOOK_EVENTS = [
  'contract_published',
  'contract_content_changed',
  'contract_requiring_verification_published',
  'provider_verification_published',
  'provider_verification_succeeded',
  'provider_verification_failed',
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEventName(value: unknown): value is WebhookEventName {
  return typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** An event as the broker records it: which pair it concerns and the template variables it fills. */
export interface WebhookEvent {
  readonly name: WebhookEventName;
  readonly consumerName: string;
  readonly providerName: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** Pact Broker's schedule: a failed delivery is retried after 10 s, 1, 2, 5, 10 and 20 minutes. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [10_000, 60_000, 120_000, 300_000, 600_000, 1_200_000];

/** What triggering needs beyond the event: the broker's URL as the client saw it (for pactUrl) and how many attempts a delivery gets. */
export interface WebhookContext {
  readonly baseUrl: string;
  readonly maxAttempts: number;
}

export const DEFAULT_WEBHOOK_CONTEXT: WebhookContext = { baseUrl: '', maxAttempts: 1 + DEFAULT_WEBHOOK_RETRY_DELAYS_MS.length };
