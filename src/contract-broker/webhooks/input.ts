/**
 * Reading a webhook as Pact Broker's API takes it (POST /webhooks, PUT /webhooks/{uuid}): the
 * Pact CLI's `create-webhook` sends `headers` as an object; "Name: value" strings are taken too.
 */
import { checkName, objectBody, optionalBoolean } from '../domain/input';
import { isJsonObject, type JsonObject } from '../domain/pact-content';
import { problem } from '../domain/problem';
import type { WebhookRecord, WebhookRequestSpec } from '../storage/repository';
import { isWebhookEventName, WEBHOOK_EVENTS, type WebhookEventName } from './events';
import { webhookUrlRefusal, type WebhookHostRule } from './hosts';
import { REDACTED } from './redact';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface WebhookInput {
  readonly description: string | null;
  readonly consumerName: string | null;
  readonly providerName: string | null;
  readonly enabled: boolean;
  readonly events: readonly WebhookEventName[];
  readonly request: WebhookRequestSpec;
}

function pacticipant(body: JsonObject, field: 'consumer' | 'provider'): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (!isJsonObject(value)) throw problem(400, field, `${field} must be an object { "name": "<${field} name>" } (or left out to match every ${field}).`);
  if (value['label'] !== undefined && value['label'] !== null && value['label'] !== '')
    throw problem(400, `${field}.label`, `${field}.label is not supported by the Herald Broker: name the ${field} with ${field}.name, or leave ${field} out to match every ${field}.`);
  const name = value['name'];
  if (name === undefined || name === null || name === '') return null;
  return checkName(name, `${field}.name`);
}

function headers(value: unknown, previous: Readonly<Record<string, string>>): Record<string, string> {
  if (value === undefined || value === null) return {};
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((line, index) => {
        const match = typeof line === 'string' ? /^([^:]+):\s*(.*)$/.exec(line) : null;
        if (match === null) throw problem(400, `request.headers[${index}]`, `request.headers[${index}] must be a "Name: value" string.`);
        return [match[1]?.trim() ?? '', match[2] ?? ''];
      })
    : isJsonObject(value)
      ? Object.entries(value)
      : (() => {
          throw problem(400, 'request.headers', 'request.headers must be an object { "Name": "value" }.');
        })();
  const result: Record<string, string> = {};
  for (const [name, headerValue] of entries) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw problem(400, 'request.headers', `${JSON.stringify(name)} is not a valid header name.`);
    if (typeof headerValue !== 'string' || /[\r\n]/.test(headerValue)) throw problem(400, `request.headers.${name}`, `request.headers.${name} must be a one-line string.`);
    // A masked value sent back from GET keeps the stored secret.
    result[name] = headerValue === REDACTED && previous[name] !== undefined ? previous[name] : headerValue;
  }
  return result;
}

function optionalText(body: JsonObject, field: string, path: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw problem(400, path, `${path} must be a string.`);
  return value;
}

/** Validates a webhook body; `previous` is the stored webhook a PUT replaces (its secrets survive masked values). */
export function readWebhookInput(raw: unknown, hosts: readonly WebhookHostRule[], previous?: WebhookRecord): WebhookInput {
  const body = objectBody(raw);
  const description = optionalText(body, 'description', 'description');
  const enabled = optionalBoolean(body, 'enabled') ?? true;
  const eventList = body['events'];
  if (!Array.isArray(eventList) || eventList.length === 0) throw problem(400, 'events', `events must be a non-empty array of { "name": <event> }, events being ${WEBHOOK_EVENTS.join(', ')}.`);
  const events = eventList.map((event, index): WebhookEventName => {
    const name = isJsonObject(event) ? event['name'] : undefined;
    if (!isWebhookEventName(name)) throw problem(400, `events[${index}].name`, `events[${index}].name must be one of ${WEBHOOK_EVENTS.join(', ')} (got ${JSON.stringify(name ?? null)}).`);
    return name;
  });
  const request = body['request'];
  if (!isJsonObject(request)) throw problem(400, 'request', 'request must be an object { "method", "url", "headers", "body" }.');
  const method = typeof request['method'] === 'string' ? request['method'].toUpperCase() : undefined;
  if (method === undefined || !METHODS.includes(method)) throw problem(400, 'request.method', `request.method must be one of ${METHODS.join(', ')}.`);
  const url = request['url'];
  if (typeof url !== 'string' || url === '') throw problem(400, 'request.url', 'request.url is required: the http(s) URL to call.');
  const refusal = webhookUrlRefusal(url, hosts);
  if (refusal !== undefined) throw problem(400, 'request.url', `Refusing the webhook URL ${url}: ${refusal}`);
  const username = optionalText(request, 'username', 'request.username');
  const sentPassword = optionalText(request, 'password', 'request.password');
  const password = sentPassword === REDACTED ? (previous?.request.password ?? null) : sentPassword;
  return {
    description,
    consumerName: pacticipant(body, 'consumer'),
    providerName: pacticipant(body, 'provider'),
    enabled,
    events: [...new Set(events)],
    request: { method, url, headers: headers(request['headers'], previous?.request.headers ?? {}), body: request['body'] ?? null, username: username === '' ? null : username, password },
  };
}
