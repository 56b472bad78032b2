/**
 * One delivery attempt: render the request, check its host against the allow-list, send it
 * (no redirects followed: a redirect could leave the allowed hosts), and write a log with every
 * secret masked. Success is a 2xx answer.
 */
import type { TriggeredWebhookRecord, WebhookRecord } from '../storage/repository';
import { webhookUrlRefusal, type WebhookHostRule } from './hosts';
import { isSecretHeader, REDACTED, scrub, secretsOf } from './redact';
import { renderWebhookRequest } from './template';

export interface DeliveryOptions {
  readonly hosts: readonly WebhookHostRule[];
  readonly timeoutMs: number;
  /** Aborts the attempt when the broker closes. */
  readonly signal: AbortSignal;
}

export interface DeliveryResult {
  readonly success: boolean;
  /** False when another attempt cannot help (the host is not allowed, the webhook is gone or disabled). */
  readonly retriable: boolean;
  readonly logs: string;
}

const MAX_LOGGED_BODY = 4096;

async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > MAX_LOGGED_BODY) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}… (truncated)` : text;
}

/** Duck-typed: undici's errors and DOMExceptions may come from another realm (jest), where instanceof fails. */
function reasonOf(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; cause?: unknown };
  if (name === 'TimeoutError') return `no answer in time (the timeout is ${timeoutMs} ms)`;
  if (name === 'AbortError') return 'aborted: the broker is closing';
  const detail = typeof cause === 'object' && cause !== null && 'message' in cause ? `: ${String(cause.message)}` : '';
  return `${typeof message === 'string' ? message : String(error)}${detail}`;
}

export async function deliverWebhook(webhook: WebhookRecord | undefined, triggered: TriggeredWebhookRecord, attempt: number, options: DeliveryOptions): Promise<DeliveryResult> {
  const heading = `Attempt ${attempt} of ${triggered.maxAttempts} for event ${triggered.eventName} (${triggered.consumerName} → ${triggered.providerName}) at ${new Date().toISOString()}`;
  if (webhook === undefined) return { success: false, retriable: false, logs: `${heading}\nNot sent: the webhook ${triggered.webhookUuid} no longer exists.\n` };
  if (!webhook.enabled) return { success: false, retriable: false, logs: `${heading}\nNot sent: the webhook was disabled after this event.\n` };
  const request = renderWebhookRequest(webhook.request, triggered.variables);
  const secrets = secretsOf(webhook.request, request.headers);
  const lines = [heading, `Request: ${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`  ${name}: ${isSecretHeader(name) ? REDACTED : value}`);
  if (request.body !== undefined) lines.push('Request body:', request.body);
  const finish = (success: boolean, retriable: boolean): DeliveryResult => ({ success, retriable, logs: `${scrub(lines.join('\n'), secrets)}\n` });

  const refusal = webhookUrlRefusal(request.url, options.hosts);
  if (refusal !== undefined) {
    lines.push(`Not sent: ${refusal}`);
    return finish(false, false);
  }
  const started = Date.now();
  // One controller for the attempt, aborted by its own timer or by the broker closing. Not
  // AbortSignal.any([signal, AbortSignal.timeout()]): nothing holds that combined signal strongly, and
  // once the garbage collector takes it, fetch is never aborted and a hanging target holds the
  // delivery slot for good (webhooks.integration.test.ts's hanging target, under GC).
  const aborting = new AbortController();
  const timer = setTimeout(() => aborting.abort(new DOMException(`no answer within ${options.timeoutMs} ms`, 'TimeoutError')), options.timeoutMs);
  const onClose = (): void => aborting.abort(options.signal.reason);
  if (options.signal.aborted) onClose();
  else options.signal.addEventListener('abort', onClose, { once: true });
  try {
    // fetch refuses a URL with user info: send it as basic auth unless the webhook sets Authorization itself.
    const { url, headers } = credentialsAsHeader(request.url, request.headers);
    const response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body === undefined || request.method === 'GET' ? {} : { body: request.body }),
      redirect: 'manual',
      signal: aborting.signal,
    });
    const body = await readCapped(response);
    lines.push(`Response: ${response.status} ${response.statusText} after ${Date.now() - started} ms`);
    response.headers.forEach((value, name) => lines.push(`  ${name}: ${isSecretHeader(name) ? REDACTED : value}`));
    if (body !== '') lines.push('Response body:', body);
    const success = response.status >= 200 && response.status < 300;
    if (!success && response.status >= 300 && response.status < 400) lines.push('A redirect is not followed: point the webhook at the final URL.');
    return finish(success, true);
  } catch (error) {
    lines.push(`Failed after ${Date.now() - started} ms: ${reasonOf(error, options.timeoutMs)}`);
    return finish(false, true);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onClose);
  }
}

function credentialsAsHeader(target: string, headers: Readonly<Record<string, string>>): { url: string; headers: Readonly<Record<string, string>> } {
  const url = new URL(target);
  if (url.username === '' && url.password === '') return { url: target, headers };
  const basic = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = '';
  url.password = '';
  const hasAuthorization = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  return { url: url.toString(), headers: hasAuthorization ? headers : { ...headers, Authorization: basic } };
}
