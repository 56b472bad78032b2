/**
 * The HTTP front: body limits, Bearer auth, routing, JSON errors and request logs.
 * Logs carry method, path, status and duration, never headers (tokens stay out of them).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BrokerProblem, problem } from '../domain/problem';
import { errorPage } from '../ui/error-page';
import { Hal } from './hal';
import type { Router } from './router';

export interface HttpOptions {
  readonly writeToken: string | undefined;
  readonly readToken: string | undefined;
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
  /** The broker's own URL, used when a request has no Host header. */
  readonly fallbackBase: () => string;
}

/** Constant-time comparison of a presented token with the configured one (hashes make the lengths equal). */
export function tokenMatches(presented: string | undefined, expected: string | undefined): boolean {
  if (presented === undefined || expected === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

/** The web page runs no script and loads nothing: a stylesheet and SVG inline in the document. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(response: ServerResponse, status: number, body: unknown, page?: string): void {
  const text = page ?? (body === undefined ? '' : JSON.stringify(body));
  response.writeHead(status, {
    ...(page === undefined
      ? { 'Content-Type': 'application/hal+json;charset=utf-8' }
      : { 'Content-Type': 'text/html;charset=utf-8', 'Content-Security-Policy': PAGE_POLICY, 'X-Content-Type-Options': 'nosniff' }),
    // `/` answers HAL JSON or the web page by Accept, so caches must key on it.
    Vary: 'Accept',
    'Content-Length': Buffer.byteLength(text),
    ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="herald-broker"' } : {}),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) throw problem(413, 'body', `The request body is ${declared} bytes; this broker accepts at most ${limit} bytes. Split the publication or raise the limit (maxBodyBytes).`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw problem(413, 'body', `The request body exceeds ${limit} bytes, the most this broker accepts. Split the publication or raise the limit (maxBodyBytes).`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw problem(400, 'body', `The request body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
}

export function requestHandler(router: Router, options: HttpOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const authRequired = options.writeToken !== undefined || options.readToken !== undefined;
  return (request, response) => {
    const started = Date.now();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://broker.invalid');
    const finish = (status: number, body: unknown, page?: string): void => {
      send(response, status, body, page);
      options.log(`${method} ${url.pathname} ${status} ${Date.now() - started}ms`);
    };
    void (async () => {
      try {
        const isRead = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
        if (authRequired) {
          const token = bearer(request);
          const writer = tokenMatches(token, options.writeToken);
          const allowed = isRead ? options.readToken === undefined || writer || tokenMatches(token, options.readToken) : writer;
          if (!allowed) {
            // Drain the body so the client gets the 401, not a reset connection.
            request.resume();
            throw problem(
              401,
              'authorization',
              isRead
                ? 'Reading this broker needs a token: send "Authorization: Bearer <HERALD_BROKER_READ_TOKEN or HERALD_BROKER_WRITE_TOKEN>" (Pact CLI: --broker-token).'
                : 'Writing to this broker needs the write token: send "Authorization: Bearer <HERALD_BROKER_WRITE_TOKEN>" (Pact CLI: --broker-token, pact-js: pactBrokerToken).',
            );
          }
        }
        const segments = url.pathname
          .split('/')
          .filter((segment) => segment !== '')
          .map((segment) => {
            try {
              return decodeURIComponent(segment);
            } catch {
              throw problem(400, 'path', `The path segment ${segment} is not valid percent-encoding.`);
            }
          });
        const matched = router.match(method, segments);
        if (matched === undefined) throw problem(404, 'path', `No resource at ${url.pathname}. Start from the index (GET /) and follow its links.`);
        if (matched === 'method') throw problem(405, 'method', `${method} is not supported on ${url.pathname}.`);
        const body = isRead ? undefined : await readBody(request, options.maxBodyBytes);
        const host = request.headers.host;
        const base = host !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : options.fallbackBase();
        const result = await matched.handler({ params: matched.params, query: url.searchParams, body, hal: new Hal(base), accept: request.headers.accept });
        if (result.text !== undefined) {
          response.writeHead(result.status, { 'Content-Type': 'text/plain;charset=utf-8', 'Content-Length': Buffer.byteLength(result.text) });
          response.end(result.text);
          options.log(`${method} ${url.pathname} ${result.status} ${Date.now() - started}ms`);
          return;
        }
        finish(result.status, result.body, result.html);
      } catch (error) {
        if (error instanceof BrokerProblem) {
          if (error.status === 413) response.setHeader('Connection', 'close');
          const isPage = url.pathname === '/ui' || url.pathname.startsWith('/ui/');
          finish(error.status, { errors: error.errors }, isPage ? errorPage(error.status, error.errors) : undefined);
          return;
        }
        options.log(`${method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        finish(500, { errors: { server: ['The broker failed to handle this request; its log has the cause.'] } });
      }
    })();
  };
}
