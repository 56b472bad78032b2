/**
 * /ui/verifications/{id}: one verification result: who verified which contract, and per
 * interaction whether it passed and its mismatches (Herald's and pact-js's `attribute` /
 * `identifier` / `description`, Pact Ruby's `path` / `expected` / `actual` alike).
 */
import { interactionIds, isJsonObject, type Json, type JsonObject } from '../domain/pact-content';
import { notFound } from '../domain/problem';
import type { Repository } from '../storage/repository';
import { rawInteractions } from './channels';
import { html, type Html } from './html';
import { page, status, tags } from './layout';
import { uiPaths } from './paths';

const text = (value: Json | undefined): string | undefined => (value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value));

/** One mismatch; `withValues` adds the expected / actual cells (Pact Ruby's shape). */
function mismatchRow(mismatch: Json, withValues: boolean): Html {
  if (!isJsonObject(mismatch))
    return html`<tr>
      <td colspan="${withValues ? 4 : 2}"><code>${JSON.stringify(mismatch)}</code></td>
    </tr>`;
  const where = [text(mismatch['attribute'] ?? mismatch['type']), text(mismatch['identifier'] ?? mismatch['path'])].filter((part) => part !== undefined).join(' ');
  const expected = text(mismatch['expected']);
  const actual = text(mismatch['actual']);
  return html`<tr>
    <td><code>${where}</code></td>
    <td>${text(mismatch['description'] ?? mismatch['mismatch']) ?? ''}</td>
    ${
      withValues
        ? html`<td>${expected === undefined ? '' : html`<code>${expected}</code>`}</td>
            <td>${actual === undefined ? '' : html`<code>${actual}</code>`}</td>`
        : ''
    }
  </tr>`;
}

export async function verificationPage(repository: Repository, id: number): Promise<Html> {
  const verification = Number.isSafeInteger(id) ? await repository.findVerification(id) : undefined;
  if (verification === undefined) throw notFound(`Verification result ${String(id)}`, 'Pick one from an integration page.');
  const [publication] = await repository.listPublications({ consumerId: verification.consumerId, providerId: verification.providerId });
  const consumer = publication?.consumerName ?? `consumer #${verification.consumerId}`;
  const provider = verification.providerVersion.pacticipantName;
  const content = await repository.findContent(verification.consumerId, verification.providerId, verification.sha);
  const parsed: unknown = content === undefined ? {} : JSON.parse(content);
  const interactions = rawInteractions(isJsonObject(parsed) ? parsed : {});
  const ids = interactionIds(interactions);
  const descriptions = new Map<string, string>();
  interactions.forEach((interaction, index) => {
    const interactionId = ids[index];
    if (interactionId !== undefined && isJsonObject(interaction) && typeof interaction['description'] === 'string') descriptions.set(interactionId, interaction['description']);
  });
  const results: unknown = JSON.parse(verification.testResults);
  const list: JsonObject[] = Array.isArray(results) ? results.filter(isJsonObject) : [];
  const reported = new Set(list.map((r) => text(r['interactionId'])));
  const unreported = [...descriptions].filter(([interactionId]) => !reported.has(interactionId));

  const resultViews = list.map((result) => {
    const interactionId = text(result['interactionId']);
    const description =
      (interactionId === undefined ? undefined : descriptions.get(interactionId)) ?? text(result['interactionDescription']) ?? text(result['description']) ?? interactionId ?? '(unnamed interaction)';
    const mismatches = Array.isArray(result['mismatches']) ? result['mismatches'] : [];
    const success = typeof result['success'] === 'boolean' ? result['success'] : undefined;
    const withValues = mismatches.some((m) => isJsonObject(m) && (m['expected'] !== undefined || m['actual'] !== undefined));
    const link = interactionId !== undefined && descriptions.has(interactionId) ? uiPaths.contract(consumer, provider, verification.sha, interactionId) : undefined;
    return html`<section class="card result ${success === false ? 'fail' : success === true ? 'ok' : 'unknown'}">
      <h3>${link === undefined ? description : html`<a href="${link}">${description}</a>`} ${status(success)}</h3>
      ${
        mismatches.length === 0
          ? success === false
            ? html`<p class="muted">The verifier reported no mismatch details.</p>`
            : ''
          : html`<table class="mismatches">
              <thead>
                <tr>
                  <th>where</th>
                  <th>mismatch</th>
                  ${
                    withValues
                      ? html`<th>expected</th>
                          <th>actual</th>`
                      : ''
                  }
                </tr>
              </thead>
              <tbody>
                ${mismatches.map((m) => mismatchRow(m, withValues))}
              </tbody>
            </table>`
      }
    </section>`;
  });

  const body = html`<dl class="grid card">
      <dt>result</dt>
      <dd>${status(verification.success)}</dd>
      <dt>provider</dt>
      <dd>${provider} ${verification.providerVersion.number} ${tags(verification.providerBranch === null ? [] : [verification.providerBranch], '')}</dd>
      <dt>consumer</dt>
      <dd>${consumer}</dd>
      <dt>contract</dt>
      <dd>
        <a href="${uiPaths.contract(consumer, provider, verification.sha)}"><code>${verification.sha}</code></a>
      </dd>
      <dt>verified at</dt>
      <dd>${verification.createdAt}</dd>
    </dl>
    <h2>Interactions</h2>
    ${list.length === 0 ? html`<p class="muted">The verifier sent no per-interaction results.</p>` : resultViews}
    ${unreported.length === 0 ? '' : html`<p class="muted">No result for: ${unreported.map(([, description]) => description).join(', ')}</p>`}`;
  return page(`Verification of ${consumer} → ${provider} by ${provider} ${verification.providerVersion.number}`, body, [
    { label: `${consumer} → ${provider}`, href: uiPaths.integration(consumer, provider) },
    { label: `verification ${verification.id}` },
  ]);
}
