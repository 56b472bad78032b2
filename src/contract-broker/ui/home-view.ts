/** /ui: the integrations graph, the integrations table, the pacticipants and the webhook log. */
import type { Repository } from '../storage/repository';
import { integrationGraph } from './graph';
import { html, type Html } from './html';
import { listIntegrations } from './integrations';
import { page, status, tags } from './layout';
import { uiPaths } from './paths';
import { webhooksSection, type WebhookExecutionLog } from './webhooks';

export async function homePage(repository: Repository, webhooks: WebhookExecutionLog | undefined): Promise<Html> {
  const integrations = await listIntegrations(repository);
  const pacticipants = await repository.listPacticipants();
  const deployments = await repository.listDeployments({ currentOnly: true });
  // One pass over what is loaded already: a query per pacticipant would dominate the page on a big broker.
  const rows = pacticipants.map((p) => {
    const deployed = deployments.filter((d) => d.version.pacticipantId === p.id).map((d) => `${d.environment.name}: ${d.version.number}${d.kind === 'release' ? ' (released)' : ''}`);
    const consumes = integrations.filter((i) => i.consumer === p.name).map((i) => html`<a href="${uiPaths.integration(i.consumer, i.provider)}">${i.provider}</a> `);
    const provides = integrations.filter((i) => i.provider === p.name).map((i) => html`<a href="${uiPaths.integration(i.consumer, i.provider)}">${i.consumer}</a> `);
    return html`<tr id="pacticipant-${p.name}">
      <td>${p.name}</td>
      <td>${p.mainBranch ?? '—'}</td>
      <td>${tags(deployed, 'not deployed')}</td>
      <td>${consumes}</td>
      <td>${provides}</td>
    </tr>`;
  });
  const body = html`
    <section class="card">${integrationGraph(integrations)}</section>
    ${
      integrations.length === 0
        ? ''
        : html`<table class="integrations">
            <thead>
              <tr>
                <th>consumer</th>
                <th>provider</th>
                <th>channels</th>
                <th>latest consumer version</th>
                <th>latest verification</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${integrations.map(
                (i) =>
                  html`<tr>
                    <td>${i.consumer}</td>
                    <td>${i.provider}</td>
                    <td>${tags(i.channels)}</td>
                    <td>${i.latest.consumerVersion.number} ${tags(i.latest.consumerVersion.branches, '')}</td>
                    <td>${status(i.verification?.success)}${i.verification === undefined ? '' : html` by ${i.provider} ${i.verification.providerVersion.number}`}</td>
                    <td><a href="${uiPaths.integration(i.consumer, i.provider)}">matrix</a> · <a href="${uiPaths.contract(i.consumer, i.provider, i.latest.sha)}">latest contract</a></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h2>Pacticipants</h2>
    ${
      pacticipants.length === 0
        ? html`<p class="muted">None yet.</p>`
        : html`<table class="pacticipants">
            <thead>
              <tr>
                <th>name</th>
                <th>main branch</th>
                <th>deployed</th>
                <th>consumes from</th>
                <th>provides to</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }
    ${await webhooksSection(webhooks)}
  `;
  return page('Integrations', body);
}
