/**
 * /ui/integrations/{consumer}/{provider}: the matrix of one pair (consumer versions × provider
 * versions, branches, environments, verification results linked to their details), the contract
 * versions, and the pair's webhook executions.
 */
import { matrix } from '../domain/matrix';
import { notFound } from '../domain/problem';
import type { DeploymentRecord, Repository, VersionRecord } from '../storage/repository';
import { html, type Html } from './html';
import { page, status, tags } from './layout';
import { uiPaths } from './paths';
import { webhooksSection, type WebhookExecutionLog } from './webhooks';

function environmentsOf(version: VersionRecord | undefined, deployments: readonly DeploymentRecord[]): string[] {
  if (version === undefined) return [];
  return deployments.filter((d) => d.version.id === version.id).map((d) => (d.kind === 'release' ? `${d.environment.name} (released)` : d.environment.name));
}

function versionCell(version: VersionRecord | undefined, deployments: readonly DeploymentRecord[]): Html {
  if (version === undefined)
    return html`<td class="muted">—</td>
      <td></td>
      <td></td>`;
  return html`<td>${version.number}</td>
    <td>${tags(version.branches)}</td>
    <td>${tags(environmentsOf(version, deployments), '')}</td>`;
}

export async function integrationPage(repository: Repository, consumerName: string, providerName: string, webhooks: WebhookExecutionLog | undefined): Promise<Html> {
  const consumer = await repository.findPacticipant(consumerName);
  const provider = await repository.findPacticipant(providerName);
  const publications = consumer === undefined || provider === undefined ? [] : await repository.listPublications({ consumerId: consumer.id, providerId: provider.id });
  if (consumer === undefined || provider === undefined || publications.length === 0) {
    throw notFound(`An integration between ${consumerName} and ${providerName}`, 'Pick one from the graph on /ui.');
  }
  const result = await matrix(repository, { selectors: [{ pacticipant: consumer.name }], latestby: undefined, environment: undefined, latest: false, tag: undefined, mainBranch: false, ignore: [] });
  const rows = result.rows.filter((row) => row.publication.consumerId === consumer.id && row.publication.providerId === provider.id).reverse();
  const deployments = await repository.listDeployments({ currentOnly: true });

  const matrixTable = html`<table class="matrix">
    <thead>
      <tr>
        <th colspan="3">${consumer.name} (consumer)</th>
        <th>contract</th>
        <th colspan="3">${provider.name} (provider)</th>
        <th colspan="2">verification</th>
      </tr>
      <tr>
        <th>version</th>
        <th>branches</th>
        <th>environments</th>
        <th>pact</th>
        <th>version</th>
        <th>branches</th>
        <th>environments</th>
        <th>result</th>
        <th>details</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr class="${row.verification === undefined ? 'unknown' : row.verification.success ? 'ok' : 'fail'}">
            ${versionCell(row.publication.consumerVersion, deployments)}
            <td>
              <a href="${uiPaths.contract(consumer.name, provider.name, row.publication.sha)}"><code>${row.publication.sha.slice(0, 10)}</code></a>
            </td>
            ${versionCell(row.providerVersion, deployments)}
            <td>${status(row.verification?.success)}</td>
            <td>
              ${row.verification === undefined ? '' : html`<a href="${uiPaths.verification(row.verification.id)}">${row.verification.success ? 'details' : 'mismatches'}</a> <span class="muted">${row.verification.createdAt}</span>`}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;

  const bySha = new Map<string, string[]>();
  for (const p of publications) bySha.set(p.sha, [...(bySha.get(p.sha) ?? []), p.consumerVersion.number]);
  const contracts = html`<table class="contracts">
    <thead>
      <tr>
        <th>contract</th>
        <th>published by ${consumer.name} versions</th>
      </tr>
    </thead>
    <tbody>
      ${[...bySha].reverse().map(
        ([sha, versions]) =>
          html`<tr>
            <td>
              <a href="${uiPaths.contract(consumer.name, provider.name, sha)}"><code>${sha.slice(0, 10)}</code></a>
            </td>
            <td>${tags(versions)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;

  const body = html`<p>${consumer.name} consumes messages that ${provider.name} produces. Newest first.</p>
    <h2>Matrix</h2>
    ${matrixTable}
    <h2>Contract versions</h2>
    ${contracts} ${await webhooksSection(webhooks, { consumer: consumer.name, provider: provider.name })}`;
  return page(`${consumer.name} → ${provider.name}`, body, [{ label: `${consumer.name} → ${provider.name}` }]);
}
