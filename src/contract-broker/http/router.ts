import type { Hal } from './hal';

/** A tiny router: METHOD + path pattern with :params, matched segment by segment (segments URL-decoded). */

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (undefined when empty). */
  readonly body: unknown;
  /** Links relative to the URL the client used. */
  readonly hal: Hal;
  /** The request's Accept header (content negotiation for `/`). */
  readonly accept?: string | undefined;
}

export interface RouteResponse {
  readonly status: number;
  readonly body?: unknown;
  /** A web page: sent as text/html instead of the JSON body. */
  readonly html?: string;
  /** A text/plain answer instead of JSON (execution logs). */
  readonly text?: string;
}

export type Handler = (request: RouteRequest) => Promise<RouteResponse>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split('/').filter((s) => s !== ''), handler });
    return this;
  }

  /** The handler and params for a request; 'method' when the path exists with other methods only. */
  match(method: string, segments: readonly string[]): { handler: Handler; params: Record<string, string> } | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((part, index) => {
        const actual = segments[index] ?? '';
        if (part.startsWith(':')) {
          params[part.slice(1)] = actual;
          return actual !== '';
        }
        return part === actual;
      });
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}
