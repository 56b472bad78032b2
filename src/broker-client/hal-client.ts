/**
 * A small HAL+JSON client for the Pact Broker API (Herald Broker or a Pact Broker): follows links
 * from the index (`GET /`) instead of hard-coding paths, sends Bearer or basic credentials,
 * times out, retries idempotent calls on network errors and 5xx, and turns failures into coded
 * errors that say what failed, against which URL, and the fix.
 */
import { HeraldError } from '../errors/herald-error';
import type { ErrorCode } from '../errors/codes';

export type JsonObject = { readonly [key: string]: unknown };

/** Credentials: a Bearer token, or basic auth (a Pact Broker's default). */
export type BrokerAuth = { readonly token: string } | { readonly username: string; readonly password: string };

export interface BrokerClientOptions {
  /** Broker root URL, e.g. http://localhost:9292 (HERALD_BROKER_URL). */
  readonly url: string;
  readonly auth?: BrokerAuth;
  /** Per-request timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Retries of idempotent requests after a network error or 5xx (default 3). */
  readonly retries?: number;
  /** Delay before the first retry in ms, doubled each time (default 500). */
  readonly retryDelayMs?: number;
}

/** A HAL link (`_links[rel]`). */
export interface HalLink {
  readonly href: string;
  readonly name?: string;
  readonly title?: string;
  readonly templated?: boolean;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `_links[rel]` of a resource as a list (HAL allows one link or an array). */
export function linksOf(resource: unknown, rel: string): HalLink[] {
  const links = isObject(resource) ? resource['_links'] : undefined;
  const value = isObject(links) ? links[rel] : undefined;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((l): l is HalLink => isObject(l) && typeof l['href'] === 'string');
}

/** Expands a templated href: `{name}` becomes the URL-encoded value. */
export function expandHref(href: string, params: Readonly<Record<string, string>>): string {
  return href.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? encodeURIComponent(params[name] ?? '') : whole));
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The broker's own words from an error body (Pact Broker: `errors`, problem+json: `title`/`detail`). */
function brokerMessage(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body.trim().slice(0, 300);
  }
  if (!isObject(json)) return '';
  const parts: string[] = [];
  const errors = json['errors'];
  if (isObject(errors)) {
    for (const [field, messages] of Object.entries(errors)) parts.push(`${field}: ${Array.isArray(messages) ? messages.map(String).join(', ') : String(messages)}`);
  } else if (Array.isArray(errors)) parts.push(...errors.map((e) => (isObject(e) ? String(e['message'] ?? e['title'] ?? JSON.stringify(e)) : String(e))));
  for (const key of ['detail', 'title', 'message', 'error']) if (typeof json[key] === 'string' && parts.length === 0) parts.push(json[key]);
  return parts.join('; ').slice(0, 500);
}

/** A typed HAL client; `what` in each call names the operation for error messages ("publish contracts"). */
export class BrokerClient {
  readonly url: string;
  private readonly auth: BrokerAuth | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private indexPromise: Promise<JsonObject> | undefined;

  constructor(options: BrokerClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.auth = options.auth;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  /** The index resource (`GET /`), fetched once. */
  index(): Promise<JsonObject> {
    this.indexPromise ??= this.get(`${this.url}/`, 'read the broker index').catch((error: unknown) => {
      this.indexPromise = undefined;
      throw error;
    });
    return this.indexPromise;
  }

  /** The href of an index relation, expanded with `params`; HERALD_PACT_BROKER_RESPONSE_INVALID when the broker has no such link. */
  async link(rel: string, params: Readonly<Record<string, string>> = {}, what = `use ${rel}`): Promise<string> {
    const link = linksOf(await this.index(), rel)[0];
    if (link === undefined) {
      throw new HeraldError(
        'HERALD_PACT_BROKER_RESPONSE_INVALID',
        `Failed to ${what} at ${this.url}: the broker index has no "${rel}" link. Check that ${this.url} is the broker's root URL; a Pact Broker older than 2.86 lacks some links — upgrade it.`,
      );
    }
    return expandHref(link.href, params);
  }

  /** The href of an index relation if the broker has it. */
  async optionalLink(rel: string, params: Readonly<Record<string, string>> = {}): Promise<string | undefined> {
    const link = linksOf(await this.index(), rel)[0];
    return link === undefined ? undefined : expandHref(link.href, params);
  }

  get(url: string, what: string): Promise<JsonObject> {
    return this.request('GET', url, undefined, what, true);
  }

  /** POST; `idempotent` allows retries (for-verification is a query). */
  post(url: string, body: unknown, what: string, idempotent = false): Promise<JsonObject> {
    return this.request('POST', url, body, what, idempotent);
  }

  put(url: string, body: unknown, what: string): Promise<JsonObject> {
    return this.request('PUT', url, body, what, true);
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/hal+json, application/json' };
    if (hasBody) headers['content-type'] = 'application/json';
    if (this.auth !== undefined) {
      headers['authorization'] = 'token' in this.auth ? `Bearer ${this.auth.token}` : `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    }
    return headers;
  }

  private async request(method: string, url: string, body: unknown, what: string, idempotent: boolean): Promise<JsonObject> {
    const attempts = idempotent ? this.retries + 1 : 1;
    let last: HeraldError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 2)));
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: this.headers(body !== undefined),
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        // Duck-typed: fetch's errors come from Node's realm, not the caller's (jest).
        const name = isObject(error) ? error['name'] : undefined;
        const timedOut = name === 'TimeoutError' || name === 'AbortError';
        const reason = timedOut ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(error);
        last = new HeraldError(
          'HERALD_PACT_BROKER_UNREACHABLE',
          `Failed to ${what} at ${url}: ${reason}${attempts > 1 ? ` (${attempt} attempt${attempt === 1 ? '' : 's'})` : ''}. Check --broker-url / HERALD_BROKER_URL and that the broker is running${timedOut ? '; raise --broker-timeout for a slow broker' : ''}.`,
          { retriable: true, cause: error },
        );
        continue;
      }
      const text = await response.text();
      if (response.ok) return parseBody(text, url, what, response.status);
      const status = `${response.status} ${response.statusText || STATUS_TEXT[response.status] || ''}`.trim();
      const said = brokerMessage(text);
      const quoted = said === '' ? '' : ` The broker said: ${said}.`;
      if (response.status === 401 || response.status === 403) {
        const remedy =
          response.status === 401
            ? 'Set HERALD_BROKER_TOKEN (or --broker-token) to a token the broker accepts, or pass --broker-username / --broker-password.'
            : 'Use a token with write access (the broker accepted the credentials but not for this operation).';
        throw new HeraldError('HERALD_PACT_BROKER_AUTH_FAILED', `Failed to ${what} to ${url}: ${status}.${quoted} ${remedy}`);
      }
      const code: ErrorCode = response.status >= 500 ? 'HERALD_PACT_BROKER_UNREACHABLE' : 'HERALD_PACT_BROKER_REQUEST_FAILED';
      last = new HeraldError(
        code,
        `Failed to ${what} at ${url}: ${status}.${quoted}${response.status >= 500 ? ` The broker failed${attempts > 1 ? ` ${attempt} time${attempt === 1 ? '' : 's'}` : ''}; retry later or read its log.` : ' Check the names, versions and options given.'}`,
        { retriable: response.status >= 500 },
      );
      if (response.status < 500) throw last;
    }
    throw last ?? new HeraldError('HERALD_PACT_BROKER_UNREACHABLE', `Failed to ${what} at ${url}.`);
  }
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND…). */
function describeNetworkError(error: unknown): string {
  const cause = isObject(error) && isObject(error['cause']) ? error['cause'] : error;
  const code = isObject(cause) && typeof cause['code'] === 'string' ? cause['code'] : undefined;
  const message = isObject(cause) && typeof cause['message'] === 'string' ? cause['message'] : String(cause);
  return code === undefined ? message : `${code} (${message})`;
}

function parseBody(text: string, url: string, what: string, status: number): JsonObject {
  if (text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HeraldError(
      'HERALD_PACT_BROKER_RESPONSE_INVALID',
      `Failed to ${what} at ${url}: the broker answered ${status} with a body that is not JSON (${JSON.stringify(text.slice(0, 80))}). Check that the URL is the broker's root, not a web page or proxy.`,
    );
  }
  if (!isObject(json)) throw new HeraldError('HERALD_PACT_BROKER_RESPONSE_INVALID', `Failed to ${what} at ${url}: the broker answered with JSON that is not an object. Check the broker URL.`);
  return json;
}
