/**
 * Pact Broker's `${pactbroker.*}` placeholders, filled in a webhook's URL (URL-encoded), header
 * values and body (inside every JSON string, or in the text). Unknown placeholders stay as written.
 */
import type { WebhookRequestSpec } from '../storage/repository';

const PLACEHOLDER = /\$\{(pactbroker\.[A-Za-z]+)\}/g;

export function fillPlaceholders(text: string, variables: Readonly<Record<string, string>>, encode: (value: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = variables[name];
    return value === undefined ? whole : encode(value);
  });
}

function fillJson(value: unknown, variables: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return fillPlaceholders(value, variables);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, variables));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillJson(item, variables)]));
  return value;
}

/** The request as it will be sent. */
export interface RenderedWebhookRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

export function renderWebhookRequest(spec: WebhookRequestSpec, variables: Readonly<Record<string, string>>): RenderedWebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers)) headers[name] = fillPlaceholders(value, variables);
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let body: string | undefined;
  if (typeof spec.body === 'string') body = fillPlaceholders(spec.body, variables);
  else if (spec.body !== undefined && spec.body !== null) {
    body = JSON.stringify(fillJson(spec.body, variables));
    if (!hasContentType) headers['Content-Type'] = 'application/json';
  }
  if (spec.username !== null) headers['Authorization'] = `Basic ${Buffer.from(`${spec.username}:${spec.password ?? ''}`).toString('base64')}`;
  return { method: spec.method, url: fillPlaceholders(spec.url, variables, encodeURIComponent), headers, body };
}
