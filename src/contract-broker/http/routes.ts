/**
 * The Pact Broker API subset, as thin routes: read the request, call the domain, render HAL.
 * Every write goes through a domain function that runs in one transaction.
 */
import { createEnvironment, readEnvironmentRequest, recordDeployment, recordRelease } from '../domain/environments';
import { pactsForVerification, readForVerificationRequest } from '../domain/for-verification';
import { checkName, objectBody, optionalName } from '../domain/input';
import { matrix, readMatrixQuery, type MatrixResult } from '../domain/matrix';
import { servePact, type JsonObject } from '../domain/pact-content';
import { notFound, problem } from '../domain/problem';
import { publishContracts, readPublishRequest } from '../domain/publish';
import { publishVerification, readVerificationRequest } from '../domain/verification';
import type { PublicationRecord, Repository, VersionRecord } from '../storage/repository';
import { addUiRoutes, uiHome } from '../ui/routes';
import { prefersHtml } from '../ui/accept';
import type { Hal } from './hal';
import { Router, type RouteRequest, type RouteResponse } from './router';
import { webhookRoutes, type BrokerWebhooks } from './webhook-routes';

/** Without a dispatcher: webhooks are refused (no allowed host) and triggered rows wait for one. */
const NO_WEBHOOKS: BrokerWebhooks = { hosts: [], maxAttempts: 7, timeoutMs: 10_000, wake: () => undefined };

const ok = (body: unknown): RouteResponse => ({ status: 200, body });
const created = (body: unknown): RouteResponse => ({ status: 201, body });

function param(request: RouteRequest, name: string): string {
  return checkName(request.params[name], name);
}

function index(hal: Hal): JsonObject {
  return {
    _links: {
      self: { href: hal.base, title: 'Index' },
      'pb:publish-contracts': { href: `${hal.base}/contracts/publish`, title: 'Publish contracts', templated: false },
      'pb:provider-pacts-for-verification': hal.template('/pacts/provider/{provider}/for-verification', 'Pact versions to be verified for the specified provider'),
      'pb:pacticipants': { href: `${hal.base}/pacticipants`, title: 'Pacticipants' },
      'pb:pacticipant': hal.template('/pacticipants/{pacticipant}', 'Fetch pacticipant by name'),
      'pb:pacticipant-version': hal.template('/pacticipants/{pacticipant}/versions/{version}', 'Get, create or delete a pacticipant version'),
      'pb:latest-version': hal.template('/pacticipants/{pacticipant}/latest-version', 'Latest pacticipant version'),
      'pb:latest-tagged-version': hal.template('/pacticipants/{pacticipant}/latest-version/{tag}', 'Latest pacticipant version with the specified tag'),
      'pb:pacticipant-branch-version': hal.template('/pacticipants/{pacticipant}/branches/{branch}/versions/{version}', 'Get or add/create a pacticipant version for a branch'),
      'pb:environments': { href: `${hal.base}/environments`, title: 'Environments' },
      'pb:webhooks': { href: `${hal.base}/webhooks`, title: 'Webhooks' },
      'pb:webhook': hal.template('/webhooks/{uuid}', 'Webhook'),
      'pb:environment': hal.template('/environments/{uuid}', 'Environment'),
      'pb:integrations': { href: `${hal.base}/integrations`, title: 'Integrations' },
      'pb:matrix': { href: `${hal.base}/matrix`, title: 'The matrix: verification results between versions' },
      'pb:can-i-deploy-pacticipant-version-to-environment': hal.template(
        '/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}',
        'Determine if an application version can be safely deployed to an environment',
      ),
      'pb:can-i-deploy-branch-to-environment': hal.template(
        '/can-i-deploy?pacticipant={pacticipant}&branch={branch}&environment={environment}',
        'Determine if the latest version from a branch can be safely deployed to an environment',
      ),
      curies: [{ name: 'pb', href: `${hal.base}/doc/{rel}`, templated: true }],
    },
  };
}

function renderMatrix(hal: Hal, result: MatrixResult): JsonObject {
  const version = (v: VersionRecord): JsonObject => hal.versionSummary(v);
  const row = (r: MatrixResult['rows'][number]): JsonObject => ({
    consumer: { name: r.publication.consumerName, _links: { self: hal.link(hal.pacticipantPath(r.publication.consumerName)) }, version: version(r.publication.consumerVersion) },
    provider: {
      name: r.publication.providerName,
      _links: { self: hal.link(hal.pacticipantPath(r.publication.providerName)) },
      version: r.providerVersion === undefined ? null : version(r.providerVersion),
    },
    pact: { createdAt: r.publication.createdAt, _links: { self: hal.link(hal.pactOfVersionPath(r.publication)) } },
    verificationResult:
      r.verification === undefined
        ? null
        : {
            success: r.verification.success,
            verifiedAt: r.verification.createdAt,
            _links: { self: hal.link([...hal.pactVersionPath(r.publication.providerName, r.publication.consumerName, r.verification.sha), 'verification-results', String(r.verification.id)]) },
          },
    ignored: r.ignored,
  });
  return {
    summary: { deployable: result.deployable, reason: result.reason, success: result.success, failed: result.failed, unknown: result.unknown },
    notices: result.notices.map((notice) => ({ type: notice.type, text: notice.text })),
    matrix: result.rows.map(row),
  };
}

function queryPairs(query: URLSearchParams): { map: Map<string, string[]>; order: [string, string][] } {
  const map = new Map<string, string[]>();
  const order: [string, string][] = [];
  for (const [key, value] of query) {
    map.set(key, [...(map.get(key) ?? []), value]);
    order.push([key, value]);
  }
  return { map, order };
}

export function brokerRoutes(repository: Repository, webhooks: BrokerWebhooks = NO_WEBHOOKS): Router {
  const router = new Router();
  const webhookContext = (hal: Hal): { baseUrl: string; maxAttempts: number } => ({ baseUrl: hal.base, maxAttempts: webhooks.maxAttempts });

  async function pactResponse(hal: Hal, publication: PublicationRecord): Promise<RouteResponse> {
    const consumer = await repository.findPacticipant(publication.consumerName);
    const content = consumer === undefined ? undefined : await repository.findContent(consumer.id, publication.providerId, publication.sha);
    if (content === undefined) throw notFound(`The pact content ${publication.sha}`, 'Publish the pact again.');
    return ok(servePact(content, hal.pactLinks(publication)));
  }
  async function version(pacticipant: string, number: string): Promise<VersionRecord> {
    const found = await repository.findVersion(pacticipant, number);
    if (found === undefined) throw notFound(`Version ${number} of ${pacticipant}`, 'Publish a pact for it or create it (PUT /pacticipants/{pacticipant}/versions/{version}).');
    return found;
  }
  async function describeVersion(hal: Hal, record: VersionRecord): Promise<RouteResponse> {
    const deployments = (await repository.listDeployments({ pacticipantId: record.pacticipantId, currentOnly: true })).filter((d) => d.version.id === record.id);
    return ok(hal.version(record, await repository.listEnvironments(), deployments));
  }

  router
    // Browsers get the web page, API clients (and curl's */*) the HAL index.
    .on('GET', '/', async ({ hal, accept }) => (prefersHtml(accept) ? uiHome(repository) : ok(index(hal))))
    .on('POST', '/contracts/publish', async ({ hal, body }) => {
      const result = await publishContracts(repository, readPublishRequest(body), webhookContext(hal));
      webhooks.wake();
      const { version: v } = result;
      return ok({
        notices: result.notices,
        logs: result.notices.map((notice) => ({ level: notice.type === 'warning' ? 'warn' : 'info', message: notice.text, deprecationWarning: 'Replaced by notices' })),
        _embedded: {
          pacticipant: { name: v.pacticipantName, _links: { self: hal.link(hal.pacticipantPath(v.pacticipantName)) } },
          version: { number: v.number, _links: { self: hal.link(hal.versionPath(v.pacticipantName, v.number), { title: 'Version', name: v.number }) } },
        },
        _links: {
          'pb:pacticipant': hal.link(hal.pacticipantPath(v.pacticipantName), { title: 'Pacticipant', name: v.pacticipantName }),
          'pb:pacticipant-version': hal.link(hal.versionPath(v.pacticipantName, v.number), { title: 'Pacticipant version', name: v.number }),
          'pb:pacticipant-version-tags': v.tags.map((tag) => hal.link([...hal.versionPath(v.pacticipantName, v.number), 'tags', tag], { title: 'Tag', name: tag })),
          'pb:branch-version': v.branches.map((branch) => hal.link(['pacticipants', v.pacticipantName, 'branches', branch, 'versions', v.number], { title: 'Branch version', name: branch })),
          'pb:contracts': result.contracts.map((contract) =>
            hal.link(['pacts', 'provider', contract.provider, 'consumer', contract.consumer, 'version', v.number], {
              title: 'Pact',
              name: `Pact between ${contract.consumer} (${v.number}) and ${contract.provider}`,
            }),
          ),
        },
      });
    })
    .on('GET', '/pacts/provider/:provider/for-verification', async ({ hal, params }) =>
      ok({ _links: { self: hal.link(['pacts', 'provider', params['provider'] ?? '', 'for-verification'], { title: 'Pacts to be verified' }) } }),
    )
    .on('POST', '/pacts/provider/:provider/for-verification', async ({ hal, params, body }) => {
      const provider = param({ hal, params, body, query: new URLSearchParams() }, 'provider');
      const request = readForVerificationRequest(body);
      const pacts = await pactsForVerification(repository, provider, request);
      return ok({
        _embedded: {
          pacts: pacts.map((pact) => {
            const self = hal.link(hal.pactVersionPath(pact.publication.providerName, pact.publication.consumerName, pact.publication.sha), {
              name: `Pact between ${pact.publication.consumerName} (${pact.publication.consumerVersion.number}) and ${pact.publication.providerName}`,
            });
            const notices = [
              { when: 'before_verification', text: `The pact at ${self.href} is being verified because it matches the following configured selection criterion: ${pact.shortDescription}` },
              ...(request.includePendingStatus
                ? pact.pending
                  ? [
                      {
                        when: 'before_verification',
                        text: `This pact is in pending state for this version of ${provider} because a successful verification result for ${request.providerVersionBranch === undefined ? 'it' : `a version with branch '${request.providerVersionBranch}'`} has not yet been published. If this verification fails, it will not cause the overall build to fail.`,
                      },
                    ]
                  : [{ when: 'before_verification', text: `This pact is not pending: it has been verified successfully before, so a failure will fail the build.` }]
                : []),
            ];
            return {
              shortDescription: pact.shortDescription,
              verificationProperties: { pending: pact.pending, ...(pact.wip ? { wip: true } : {}), notices },
              _links: { self },
            };
          }),
        },
        _links: { self: hal.link(['pacts', 'provider', provider, 'for-verification'], { title: 'Pacts to be verified' }) },
      });
    })
    .on('GET', '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha', async (request) => {
      const [provider, consumer, sha] = [param(request, 'provider'), param(request, 'consumer'), param(request, 'sha')];
      const pacticipant = await repository.findPacticipant(consumer);
      const publications = pacticipant === undefined ? [] : await repository.listPublications({ consumerId: pacticipant.id });
      const publication = publications.filter((p) => p.providerName === provider && p.sha === sha).pop();
      if (publication === undefined) throw notFound(`The pact between ${consumer} and ${provider} with sha ${sha}`, 'Use a pact link from this broker (pb:provider-pacts-for-verification).');
      return pactResponse(request.hal, publication);
    })
    .on('GET', '/pacts/provider/:provider/consumer/:consumer/version/:version', async (request) => {
      const [provider, consumer] = [param(request, 'provider'), param(request, 'consumer')];
      const v = await version(consumer, param(request, 'version'));
      const publication = (await repository.listPublications({ consumerVersionId: v.id })).find((p) => p.providerName === provider);
      if (publication === undefined) throw notFound(`A pact between ${consumer} ${v.number} and ${provider}`, `Publish it first; ${consumer} ${v.number} has no pact with ${provider}.`);
      return pactResponse(request.hal, publication);
    })
    .on('GET', '/pacts/provider/:provider/consumer/:consumer/latest', async (request) => {
      const [provider, consumer] = [param(request, 'provider'), param(request, 'consumer')];
      const pacticipant = await repository.findPacticipant(consumer);
      const publication = (pacticipant === undefined ? [] : await repository.listPublications({ consumerId: pacticipant.id })).filter((p) => p.providerName === provider).pop();
      if (publication === undefined) throw notFound(`A pact between ${consumer} and ${provider}`, 'Publish one first.');
      return pactResponse(request.hal, publication);
    })
    .on('POST', '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results', async (request) => {
      const pact = { provider: param(request, 'provider'), consumer: param(request, 'consumer'), sha: param(request, 'sha') };
      const verification = await publishVerification(repository, pact, readVerificationRequest(request.body), webhookContext(request.hal));
      webhooks.wake();
      return created(request.hal.verification(verification, pact.consumer, pact.provider));
    })
    .on('GET', '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id', async (request) => {
      const verification = await repository.findVerification(Number(request.params['id']));
      if (verification === undefined || verification.sha !== request.params['sha']) throw notFound(`Verification result ${request.params['id'] ?? ''}`, 'Use a link from the matrix.');
      return ok(request.hal.verification(verification, param(request, 'consumer'), param(request, 'provider')));
    })
    .on('GET', '/matrix', async ({ hal, query }) => {
      const { map, order } = queryPairs(query);
      return ok(renderMatrix(hal, await matrix(repository, readMatrixQuery(map, order))));
    })
    .on('GET', '/can-i-deploy', async ({ hal, query }) => {
      const pacticipant = query.get('pacticipant');
      const environment = query.get('environment');
      if (pacticipant === null || pacticipant === '') throw problem(400, 'pacticipant', 'pacticipant is required.');
      if (environment === null || environment === '') throw problem(400, 'environment', 'environment is required.');
      const selector = {
        pacticipant,
        ...(query.get('version') === null ? {} : { version: query.get('version') ?? '' }),
        ...(query.get('branch') === null ? {} : { branch: query.get('branch') ?? '', latest: true }),
      };
      const result = await matrix(repository, { selectors: [selector], latestby: 'cvpv', environment, latest: false, tag: undefined, mainBranch: false, ignore: [] });
      return ok(renderMatrix(hal, result));
    })
    .on('GET', '/pacticipants', async ({ hal }) =>
      ok({ _embedded: { pacticipants: (await repository.listPacticipants()).map((p) => hal.pacticipant(p)) }, _links: { self: hal.link(['pacticipants']) } }),
    )
    .on('GET', '/pacticipants/:pacticipant', async (request) => {
      const name = param(request, 'pacticipant');
      const found = await repository.findPacticipant(name);
      if (found === undefined) throw notFound(`Pacticipant ${name}`, 'Publish a pact or create a version for it first.');
      return ok(request.hal.pacticipant(found));
    })
    .on('PATCH', '/pacticipants/:pacticipant', async (request) => {
      const name = param(request, 'pacticipant');
      const mainBranch = optionalName(objectBody(request.body), 'mainBranch');
      const record = await repository.transaction(async (tx) => {
        const p = await tx.ensurePacticipant(name);
        if (mainBranch !== undefined) await tx.setMainBranch(p.id, mainBranch);
        return (await tx.findPacticipant(name)) ?? p;
      });
      return ok(request.hal.pacticipant(record));
    })
    .on('GET', '/pacticipants/:pacticipant/versions/:version', async (request) => describeVersion(request.hal, await version(param(request, 'pacticipant'), param(request, 'version'))))
    .on('PUT', '/pacticipants/:pacticipant/versions/:version', async (request) => {
      const [name, number] = [param(request, 'pacticipant'), param(request, 'version')];
      const record = await repository.transaction(async (tx) => tx.ensureVersion((await tx.ensurePacticipant(name)).id, number));
      return describeVersion(request.hal, record);
    })
    .on('GET', '/pacticipants/:pacticipant/latest-version', async (request) => {
      const name = param(request, 'pacticipant');
      const p = await repository.findPacticipant(name);
      const latest = p === undefined ? undefined : (await repository.listVersions(p.id)).pop();
      if (latest === undefined) throw notFound(`A version of ${name}`, 'Publish a pact or create a version first.');
      return describeVersion(request.hal, latest);
    })
    .on('GET', '/pacticipants/:pacticipant/latest-version/:tag', async (request) => {
      const [name, tag] = [param(request, 'pacticipant'), param(request, 'tag')];
      const p = await repository.findPacticipant(name);
      const latest = p === undefined ? undefined : (await repository.listVersions(p.id, { tag })).pop();
      if (latest === undefined) throw notFound(`A version of ${name} tagged ${tag}`, 'Tag a version first.');
      return describeVersion(request.hal, latest);
    })
    .on('PUT', '/pacticipants/:pacticipant/branches/:branch/versions/:version', async (request) => {
      const [name, branch, number] = [param(request, 'pacticipant'), param(request, 'branch'), param(request, 'version')];
      const record = await repository.transaction(async (tx) => {
        const p = await tx.ensurePacticipant(name);
        const v = await tx.ensureVersion(p.id, number);
        await tx.addBranch(v.id, branch);
        return (await tx.findVersion(name, number)) ?? v;
      });
      return ok({
        name: branch,
        _embedded: { version: request.hal.versionSummary(record) },
        _links: { self: request.hal.link(['pacticipants', name, 'branches', branch, 'versions', number], { title: 'Branch version', name: branch }) },
      });
    })
    .on('PUT', '/pacticipants/:pacticipant/versions/:version/tags/:tag', async (request) => {
      const [name, number, tag] = [param(request, 'pacticipant'), param(request, 'version'), param(request, 'tag')];
      await repository.transaction(async (tx) => {
        const v = await tx.ensureVersion((await tx.ensurePacticipant(name)).id, number);
        await tx.addTag(v.id, tag);
      });
      return created({ name: tag, _links: { self: request.hal.link([...request.hal.versionPath(name, number), 'tags', tag], { title: 'Tag', name: tag }) } });
    })
    .on('POST', '/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:environment', async (request) => {
      const deployment = await recordDeployment(repository, param(request, 'pacticipant'), param(request, 'version'), param(request, 'environment'), request.body);
      return created(request.hal.deployment(deployment));
    })
    .on('POST', '/pacticipants/:pacticipant/versions/:version/released-versions/environment/:environment', async (request) => {
      const release = await recordRelease(repository, param(request, 'pacticipant'), param(request, 'version'), param(request, 'environment'));
      return created(request.hal.deployment(release));
    })
    .on('GET', '/environments', async ({ hal }) =>
      ok({ _embedded: { environments: (await repository.listEnvironments()).map((e) => hal.environment(e)) }, _links: { self: hal.link(['environments'], { title: 'Environments' }) } }),
    )
    .on('POST', '/environments', async ({ hal, body }) => created(hal.environment(await createEnvironment(repository, readEnvironmentRequest(body)))))
    .on('GET', '/integrations', async ({ hal }) => {
      // One entry per consumer/provider pair that has a pact, as the Pact Broker lists them.
      const pairs = new Map<string, { consumer: string; provider: string }>();
      for (const p of await repository.listPublications({})) pairs.set(`${p.consumerName}\u0000${p.providerName}`, { consumer: p.consumerName, provider: p.providerName });
      return ok({
        _embedded: {
          integrations: [...pairs.values()].map(({ consumer, provider }) => ({
            consumer: { name: consumer, _links: { self: hal.link(hal.pacticipantPath(consumer)) } },
            provider: { name: provider, _links: { self: hal.link(hal.pacticipantPath(provider)) } },
          })),
        },
        _links: { self: hal.link(['integrations'], { title: 'Integrations' }) },
      });
    })
    .on('GET', '/environments/:uuid/deployed-versions/currently-deployed', async (request) => {
      const uuid = param(request, 'uuid');
      if ((await repository.findEnvironment({ uuid })) === undefined) throw notFound(`Environment ${uuid}`, 'List them at /environments.');
      const name = request.query.get('pacticipant') ?? undefined;
      const pacticipant = name === undefined ? undefined : await repository.findPacticipant(checkName(name, 'pacticipant'));
      const deployments =
        name !== undefined && pacticipant === undefined
          ? []
          : await repository.listDeployments({ environmentUuid: uuid, currentOnly: true, ...(pacticipant === undefined ? {} : { pacticipantId: pacticipant.id }) });
      return ok({
        _embedded: { deployedVersions: deployments.filter((d) => d.kind === 'deployment').map((d) => request.hal.deployment(d)) },
        _links: { self: request.hal.link(['environments', uuid, 'deployed-versions', 'currently-deployed'], { title: 'Currently deployed versions' }) },
      });
    })
    .on('GET', '/environments/:uuid', async (request) => {
      const environment = await repository.findEnvironment({ uuid: param(request, 'uuid') });
      if (environment === undefined) throw notFound(`Environment ${request.params['uuid'] ?? ''}`, 'List them at /environments.');
      return ok(request.hal.environment(environment));
    });
  webhookRoutes(router, repository, webhooks);
  return addUiRoutes(router, repository);
}
