/**
 * A recording stub of the Pact Broker API on 127.0.0.1, for the client's tests: the index and the
 * resources Herald's client follows, shaped as the Pact Broker serves them (pact_broker's
 * lib/pact_broker/api/decorators: index, publish contracts, pacts for verification, pact with
 * pb:publish-verification-results and interaction _id, matrix, version with pb:record-deployment).
 * Routes can be overridden per test; every request is recorded with its parsed JSON body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export interface StubAnswer {
  readonly status?: number;
  readonly body?: unknown;
  /** Raw text instead of JSON. */
  readonly text?: string;
  /** Wait before answering (ms). */
  readonly delayMs?: number;
}

export type StubRoute = (request: RecordedRequest, base: string) => StubAnswer | undefined;

export interface StartedStubBroker extends AsyncDisposable {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers matching requests with `route` first (the first route that answers wins). */
  override(route: StubRoute): void;
  /** The pact documents served by the for-verification answer (key: consumer name). */
  readonly pacts: Map<string, { document: Record<string, unknown>; pending: boolean; wip?: boolean }>;
  /** The next matrix answers (a queue; the last one repeats). */
  matrix: unknown[];
  stop(): Promise<void>;
}

const json = (body: unknown, status = 200): StubAnswer => ({ status, body });

function defaultRoutes(stub: StartedStubBroker): StubRoute {
  return (request, base) => {
    const { method, path } = request;
    const route = `${method} ${path.split('?')[0] ?? ''}`;
    if (route === 'GET /') {
      return json({
        _links: {
          self: { href: base, title: 'Index' },
          'pb:publish-contracts': { href: `${base}/contracts/publish`, title: 'Publish contracts', templated: false },
          'pb:provider-pacts-for-verification': { href: `${base}/pacts/provider/{provider}/for-verification`, title: 'Pact versions to be verified for the specified provider', templated: true },
          'pb:pacticipant-version': { href: `${base}/pacticipants/{pacticipant}/versions/{version}`, title: 'Get, create or delete a pacticipant version', templated: true },
          'pb:pacticipant-branch-version': {
            href: `${base}/pacticipants/{pacticipant}/branches/{branch}/versions/{version}`,
            title: 'Get or add/create a pacticipant version for a branch',
            templated: true,
          },
          'pb:environments': { href: `${base}/environments`, title: 'Environments', templated: false },
          curies: [{ name: 'pb', href: `${base}/doc/{rel}?context=index`, templated: true }],
        },
      });
    }
    if (route === 'POST /contracts/publish') {
      const body = request.body as { pacticipantName: string; pacticipantVersionNumber: string; tags?: string[]; contracts: { providerName: string }[] };
      const pacticipantUrl = `${base}/pacticipants/${encodeURIComponent(body.pacticipantName)}`;
      const versionUrl = `${pacticipantUrl}/versions/${encodeURIComponent(body.pacticipantVersionNumber)}`;
      const notices = [
        { type: 'success', text: `Created ${body.pacticipantName} version ${body.pacticipantVersionNumber} with branch main` },
        ...body.contracts.map((c) => ({ type: 'success', text: `Pact published for ${body.pacticipantName} version ${body.pacticipantVersionNumber} and provider ${c.providerName}.` })),
        { type: 'warning', text: 'No enabled webhooks found for the detected events' },
      ];
      return json({
        notices,
        logs: notices.map((n) => ({ level: n.type === 'warning' ? 'warn' : 'info', message: n.text, deprecationWarning: 'Replaced by notices' })),
        // Pact Broker's shape (PublishContractsResultsDecorator): the Pact CLI reads `logs`, the embedded pacticipant's and
        // version's `_links` and `pb:pacticipant-version-tags`; without one it warns "Failed to process response notices - missing field …".
        _embedded: {
          pacticipant: { name: body.pacticipantName, _links: { self: { href: pacticipantUrl } } },
          version: { number: body.pacticipantVersionNumber, _links: { self: { href: versionUrl, title: 'Version', name: body.pacticipantVersionNumber } } },
        },
        _links: {
          'pb:pacticipant': { href: pacticipantUrl, title: 'Pacticipant', name: body.pacticipantName },
          'pb:pacticipant-version': { href: versionUrl, title: 'Pacticipant version', name: body.pacticipantVersionNumber },
          'pb:pacticipant-version-tags': (body.tags ?? []).map((tag) => ({ href: `${versionUrl}/tags/${encodeURIComponent(tag)}`, title: 'Tag', name: tag })),
          'pb:contracts': body.contracts.map((c) => ({
            href: `${base}/pacts/provider/${encodeURIComponent(c.providerName)}/consumer/${encodeURIComponent(body.pacticipantName)}/version/${encodeURIComponent(body.pacticipantVersionNumber)}`,
            title: 'Pact',
            name: `Pact between ${body.pacticipantName} (${body.pacticipantVersionNumber}) and ${c.providerName}`,
          })),
        },
      });
    }
    const forVerification = /^POST \/pacts\/provider\/([^/]+)\/for-verification$/.exec(route);
    if (forVerification !== null) {
      const provider = decodeURIComponent(forVerification[1] ?? '');
      return json({
        _embedded: {
          pacts: [...stub.pacts].map(([consumer, pact]) => ({
            shortDescription: 'latest from main branch',
            verificationProperties: {
              pending: pact.pending,
              ...(pact.wip === true ? { wip: true } : {}),
              notices: [
                {
                  when: 'before_verification',
                  text: `The pact at ... is being verified because it matches the following configured selection criterion: latest pact for a consumer version from the main branch`,
                },
              ],
            },
            _links: {
              self: {
                href: `${base}/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(consumer)}/pact-version/abc123`,
                name: `Pact between ${consumer} (1.0.0) and ${provider}`,
              },
            },
          })),
        },
        _links: { self: { href: `${base}/pacts/provider/${encodeURIComponent(provider)}/for-verification`, title: 'Pacts to be verified' } },
      });
    }
    const pactGet = /^GET \/pacts\/provider\/([^/]+)\/consumer\/([^/]+)\/pact-version\/abc123$/.exec(route);
    if (pactGet !== null) {
      const consumer = decodeURIComponent(pactGet[2] ?? '');
      const pact = stub.pacts.get(consumer);
      if (pact === undefined) return json({ error: 'not found' }, 404);
      return json({ ...pact.document, _links: { 'pb:publish-verification-results': { title: 'Publish verification results', href: `${base}${path}/verification-results` } } });
    }
    if (/^POST \/pacts\/provider\/[^/]+\/consumer\/[^/]+\/pact-version\/abc123\/verification-results$/.test(route)) return json({ success: true }, 201);
    if (/^PUT \/pacticipants\/[^/]+\/branches\/[^/]+\/versions\/[^/]+$/.test(route)) return json({ name: 'main' });
    if (route === 'GET /matrix') return json(stub.matrix.length > 1 ? stub.matrix.shift() : stub.matrix[0]);
    if (route === 'GET /environments') {
      return json({
        _embedded: {
          environments: [
            { uuid: 'u-prod', name: 'production', displayName: 'Production', production: true },
            { uuid: 'u-test', name: 'test', displayName: 'Test', production: false },
          ],
        },
      });
    }
    if (route === 'POST /environments') {
      const body = request.body as { name: string; production: boolean };
      return json({ uuid: 'u-new', name: body.name, displayName: body.name, production: body.production }, 201);
    }
    const version = /^GET \/pacticipants\/([^/]+)\/versions\/([^/]+)$/.exec(route);
    if (version !== null) {
      const v = `${base}/pacticipants/${version[1] ?? ''}/versions/${version[2] ?? ''}`;
      return json({
        number: decodeURIComponent(version[2] ?? ''),
        _links: {
          self: { href: v },
          'pb:record-deployment': [
            { title: 'Record deployment to Production', name: 'production', href: `${v}/deployed-versions/environment/u-prod` },
            { title: 'Record deployment to Test', name: 'test', href: `${v}/deployed-versions/environment/u-test` },
          ],
          'pb:record-release': [
            { title: 'Record release to Production', name: 'production', href: `${v}/released-versions/environment/u-prod` },
            { title: 'Record release to Test', name: 'test', href: `${v}/released-versions/environment/u-test` },
          ],
        },
      });
    }
    if (/^POST \/pacticipants\/[^/]+\/versions\/[^/]+\/(deployed|released)-versions\/environment\/[^/]+$/.test(route)) return json({ currentlyDeployed: true }, 201);
    return undefined;
  };
}

/** A matrix answer as the Pact Broker renders it (lib/pact_broker/api/decorators/matrix_decorator.rb). */
export function matrixAnswer(deployable: boolean | null, reason: string, rows: readonly { consumer: string; cv: string; provider: string; pv?: string; success?: boolean }[] = []): unknown {
  return {
    summary: {
      deployable,
      reason,
      success: rows.filter((r) => r.success === true).length,
      failed: rows.filter((r) => r.success === false).length,
      unknown: rows.filter((r) => r.success === undefined).length,
    },
    notices: [{ type: deployable === true ? 'success' : deployable === false ? 'error' : 'warning', text: reason }],
    matrix: rows.map((r) => ({
      consumer: { name: r.consumer, version: { number: r.cv } },
      provider: { name: r.provider, version: r.pv === undefined ? null : { number: r.pv } },
      verificationResult: r.success === undefined ? null : { success: r.success, verifiedAt: '2026-12-06T19:00:00+00:00' },
    })),
  };
}

export async function startStubBroker(): Promise<StartedStubBroker> {
  const overrides: StubRoute[] = [];
  const holder: { server?: Server } = {};
  const stub: StartedStubBroker = {
    url: '',
    requests: [],
    pacts: new Map(),
    matrix: [matrixAnswer(true, 'All required verification results are published and successful')],
    override: (route) => overrides.unshift(route),
    stop: () =>
      new Promise<void>((resolve) => {
        const server = holder.server;
        if (server === undefined) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    [Symbol.asyncDispose]: () => stub.stop(),
  };
  const defaults = defaultRoutes(stub);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const request: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      stub.requests.push(request);
      const answer = [...overrides, defaults].reduce<StubAnswer | undefined>((found, route) => found ?? route(request, stub.url), undefined) ?? {
        status: 404,
        body: { error: `No route for ${request.method} ${request.path}` },
      };
      const send = (): void => {
        res.writeHead(answer.status ?? 200, { 'content-type': answer.text === undefined ? 'application/hal+json;charset=utf-8' : 'text/html' });
        res.end(answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs).unref();
    });
  });
  holder.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (stub as { url: string }).url = `http://127.0.0.1:${port}`;
  return stub;
}
