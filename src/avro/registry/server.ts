/**
 * Herald's embedded schema registry: a real HTTP server (node:http) speaking the Confluent Schema
 * Registry REST API for Avro, with compatibility checks (which the mock in Confluent's own JS
 * client does not do). Tests and the demo use it by default; point Herald at a real registry by
 * URL instead (docs/avro.md).
 *
 * @example
 * await using registry = await startSchemaRegistry();
 * const id = await registry.client.register('orders.v1-value', orderPlacedSchema);
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { HeraldError } from '../../errors/herald-error';
import type { CompatibilityMode, CompatibilityResult } from '../compatibility';
import { SchemaRegistryClient, type SchemaRegistryAuth } from './client';
import { REGISTRY_ERRORS, RegistryFailure, RegistryStore } from './store';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface SchemaRegistryOptions {
  /** TCP port (default 0: any free port). */
  readonly port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The global compatibility mode (default BACKWARD, as Confluent's). */
  readonly compatibility?: CompatibilityMode;
  /** Require HTTP basic auth with these credentials (to test clients configured for a secured registry). */
  readonly auth?: SchemaRegistryAuth;
}

/** A running embedded registry. `await using` stops it. */
export interface StartedSchemaRegistry extends AsyncDisposable {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  readonly port: number;
  /** A client for this registry (its own, with its own cache). */
  readonly client: SchemaRegistryClient;
  /** Basic credentials, when the registry requires them. */
  readonly auth?: SchemaRegistryAuth;
  /** Stops listening and closes open connections. Idempotent. */
  stop(): Promise<void>;
}

type Handler = (request: { readonly query: URLSearchParams; readonly body: () => Promise<Record<string, unknown>>; readonly params: readonly string[] }) => Promise<unknown> | unknown;

interface Route {
  readonly method: string;
  readonly pattern: readonly string[]; // '*' matches one segment
  readonly handler: Handler;
}

const flag = (query: URLSearchParams, name: string): boolean => query.get(name)?.toLowerCase() === 'true';

function incompatibleMessage(subject: string, result: CompatibilityResult): string {
  const details = result.issues.map((i) => `{errorType:'${i.code}', description:'${i.message.replace(/'/g, '"')}', additionalInfo:'${i.path}'}`);
  const versions = [...new Set(result.issues.map((i) => i.version))];
  return `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${[...details, ...versions.map((v) => `{oldSchemaVersion: ${v}}`), `{compatibility: '${result.mode}'}`].join(', ')}]`;
}

function verboseMessages(result: CompatibilityResult): string[] {
  if (result.compatible) return [];
  return [
    ...result.issues.map((i) => `{errorType:'${i.code}', description:'${i.message.replace(/'/g, '"')}', additionalInfo:'${i.path}', oldSchemaVersion: ${i.version}, direction: '${i.direction}'}`),
    `{compatibility: '${result.mode}'}`,
  ];
}

function routes(store: RegistryStore): Route[] {
  const schemaResponse = (v: { subject: string; version: number; id: number; schema: string }): Record<string, unknown> => ({ subject: v.subject, version: v.version, id: v.id, schema: v.schema });
  const route = (method: string, path: string, handler: Handler): Route => ({ method, pattern: path.split('/').filter((p) => p !== ''), handler });
  return [
    route('GET', '/', () => ({})),
    route('GET', '/schemas/types', () => ['AVRO']),
    route('GET', '/subjects', ({ query }) => store.subjectNames(flag(query, 'deleted'))),
    route('GET', '/subjects/*/versions', ({ params, query }) => store.versions(params[0] as string, flag(query, 'deleted'))),
    route('POST', '/subjects/*/versions', async ({ params, body }) => {
      const subject = params[0] as string;
      const b = await body();
      const { id, result } = store.register(subject, b['schema'], b['schemaType'], b['references']);
      if (result !== undefined) throw new RegistryFailure(409, REGISTRY_ERRORS.incompatibleSchema, incompatibleMessage(subject, result));
      return { id };
    }),
    route('GET', '/subjects/*/versions/*', ({ params, query }) => schemaResponse(store.version(params[0] as string, params[1] as string, flag(query, 'deleted')))),
    route('GET', '/subjects/*/versions/*/schema', ({ params }) => JSON.parse(store.version(params[0] as string, params[1] as string).schema) as unknown),
    route('GET', '/subjects/*/versions/*/referencedby', ({ params }) => {
      store.version(params[0] as string, params[1] as string);
      return [];
    }),
    route('POST', '/subjects/*', async ({ params, body, query }) => {
      const b = await body();
      return schemaResponse(store.lookup(params[0] as string, b['schema'], b['schemaType'], flag(query, 'deleted')));
    }),
    route('DELETE', '/subjects/*', ({ params, query }) => store.deleteSubject(params[0] as string, flag(query, 'permanent'))),
    route('DELETE', '/subjects/*/versions/*', ({ params, query }) => store.deleteVersion(params[0] as string, params[1] as string, flag(query, 'permanent'))),
    route('GET', '/schemas/ids/*', ({ params }) => ({ schema: store.schemaById(idParam(params[0])).text })),
    route('GET', '/schemas/ids/*/schema', ({ params }) => JSON.parse(store.schemaById(idParam(params[0])).text) as unknown),
    route('GET', '/schemas/ids/*/versions', ({ params }) => store.subjectVersionsOf(idParam(params[0]))),
    route('GET', '/schemas/ids/*/subjects', ({ params }) => [...new Set(store.subjectVersionsOf(idParam(params[0])).map((v) => v.subject))]),
    route('GET', '/config', () => ({ compatibilityLevel: store.globalCompatibility })),
    route('PUT', '/config', async ({ body }) => ({ compatibility: store.setCompatibility(undefined, (await body())['compatibility']) })),
    route('GET', '/config/*', ({ params, query }) => {
      const subject = params[0] as string;
      const own = store.subjectCompatibility(subject);
      if (own !== undefined) return { compatibilityLevel: own };
      if (flag(query, 'defaultToGlobal')) return { compatibilityLevel: store.globalCompatibility };
      throw new RegistryFailure(404, REGISTRY_ERRORS.subjectLevelCompatibilityNotConfigured, `Subject '${subject}' does not have subject-level compatibility configured`);
    }),
    route('PUT', '/config/*', async ({ params, body }) => ({ compatibility: store.setCompatibility(params[0] as string, (await body())['compatibility']) })),
    route('DELETE', '/config/*', ({ params }) => ({ compatibilityLevel: store.deleteCompatibility(params[0] as string) })),
    route('POST', '/compatibility/subjects/*/versions/*', async ({ params, body, query }) => {
      const b = await body();
      const result = store.check(params[0] as string, b['schema'], b['schemaType'], params[1] as string);
      return flag(query, 'verbose') ? { is_compatible: result.compatible, messages: verboseMessages(result) } : { is_compatible: result.compatible };
    }),
    route('POST', '/compatibility/subjects/*/versions', async ({ params, body, query }) => {
      const b = await body();
      const result = store.check(params[0] as string, b['schema'], b['schemaType']);
      return flag(query, 'verbose') ? { is_compatible: result.compatible, messages: verboseMessages(result) } : { is_compatible: result.compatible };
    }),
    route('GET', '/mode', () => ({ mode: 'READWRITE' })),
  ];
}

function idParam(raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new RegistryFailure(404, REGISTRY_ERRORS.schemaNotFound, `Schema ${String(raw)} not found`);
  return Number(raw);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': REGISTRY_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A body this much over the limit is not drained any longer: the connection is cut. */
const MAX_DRAIN_BYTES = 8 * MAX_BODY_BYTES;

/**
 * Reads a JSON object body. Over MAX_BODY_BYTES the rest is drained unread and the request fails
 * with 413 once it has ended, so the client reads the answer instead of a connection reset.
 */
function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('close', () => reject(new RegistryFailure(400, 400, 'The request body was cut short')));
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(new RegistryFailure(413, 413, `Request body larger than ${MAX_BODY_BYTES} bytes`));
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return reject(new RegistryFailure(422, 422, 'Unprocessable entity: the body must be a JSON object'));
        resolve(parsed as Record<string, unknown>);
      } catch (error) {
        reject(new RegistryFailure(400, 400, `Unexpected body: not JSON (${(error as Error).message})`));
      }
    });
  });
}

function authorized(req: IncomingMessage, auth: SchemaRegistryAuth | undefined): boolean {
  if (auth === undefined) return true;
  const header = req.headers.authorization ?? '';
  const expected = Buffer.from(`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function dispatch(table: readonly Route[], method: string, segments: readonly string[]): { route?: Route; params: string[]; methods: string[] } {
  const methods: string[] = [];
  for (const r of table) {
    if (r.pattern.length !== segments.length) continue;
    const params: string[] = [];
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      if (r.pattern[i] === '*') params.push(segments[i] as string);
      else if (r.pattern[i] !== segments[i]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (r.method === method) return { route: r, params, methods };
    methods.push(r.method);
  }
  return { params: [], methods };
}

/**
 * Starts an embedded Confluent-compatible schema registry (Avro only) on a free port.
 *
 * @example
 * await using registry = await startSchemaRegistry({ compatibility: 'FULL' });
 * console.log(registry.url); // http://127.0.0.1:40123
 */
export async function startSchemaRegistry(options: SchemaRegistryOptions = {}): Promise<StartedSchemaRegistry> {
  const store = new RegistryStore(options.compatibility ?? 'BACKWARD');
  const table = routes(store);
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (!authorized(req, options.auth)) {
          res.setHeader('www-authenticate', 'Basic realm="schema-registry"');
          return send(res, 401, { error_code: 401, message: 'Unauthorized' });
        }
        const url = new URL(req.url ?? '/', 'http://registry');
        let segments: string[];
        try {
          segments = url.pathname
            .split('/')
            .filter((s) => s !== '')
            .map((s) => decodeURIComponent(s));
        } catch {
          return send(res, 400, { error_code: 400, message: 'Malformed URL encoding' });
        }
        const { route, params, methods } = dispatch(table, req.method ?? 'GET', segments);
        if (route === undefined) {
          if (methods.length > 0) {
            res.setHeader('allow', methods.join(', '));
            return send(res, 405, { error_code: 405, message: 'HTTP 405 Method Not Allowed' });
          }
          return send(res, 404, { error_code: 404, message: 'HTTP 404 Not Found' });
        }
        const result = await route.handler({ query: url.searchParams, body: () => readBody(req), params });
        send(res, 200, result);
      } catch (error) {
        if (error instanceof RegistryFailure) return send(res, error.status, { error_code: error.errorCode, message: error.message });
        send(res, 500, { error_code: 50001, message: `Error in the backend data store: ${(error as Error).message}` });
      }
    })();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new HeraldError(
          'HERALD_REGISTRY_START_FAILED',
          `Failed to start the embedded schema registry on ${host}:${options.port ?? 0}: ${error.message}. Use another port, or port 0 for any free one.`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return {
    url,
    port,
    client: new SchemaRegistryClient({ url, ...(options.auth === undefined ? {} : { auth: options.auth }) }),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
