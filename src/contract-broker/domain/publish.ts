/**
 * POST /contracts/publish: a consumer version (with branch and tags) and its pacts, in one
 * transaction. Content is stored once per sha; re-publishing identical content for a version is a
 * no-op that keeps its verification results.
 */
import type { PacticipantRecord, Repository, VersionRecord } from '../storage/repository';
import { objectBody, optionalName, optionalNames, requiredName } from './input';
import { isJsonObject, parsePact, type Json, type JsonObject } from './pact-content';
import { problem } from './problem';
import { DEFAULT_WEBHOOK_CONTEXT, type WebhookContext } from '../webhooks/events';
import { pactPublicationEvents, triggerWebhooks } from '../webhooks/trigger';

/** Branch names that become a pacticipant's main branch when it has none (as Pact Broker's auto-detection). */
export const MAIN_BRANCH_CANDIDATES: readonly string[] = ['main', 'master', 'develop'];

export interface Notice {
  readonly type: 'info' | 'success' | 'warning' | 'error' | 'debug';
  readonly text: string;
}

export interface PublishedContract {
  readonly consumer: string;
  readonly provider: string;
  readonly sha: string;
  /** False when this content was already stored (for this or another version). */
  readonly newContent: boolean;
}

export interface PublishResult {
  readonly version: VersionRecord;
  readonly contracts: readonly PublishedContract[];
  readonly notices: readonly Notice[];
}

interface ContractInput {
  readonly consumerName: string;
  readonly providerName: string;
  readonly content: unknown;
  readonly onConflict: 'overwrite' | 'merge';
  readonly field: string;
}

export interface PublishRequest {
  readonly pacticipantName: string;
  readonly pacticipantVersionNumber: string;
  readonly branch: string | undefined;
  readonly tags: readonly string[];
  readonly contracts: readonly ContractInput[];
}

/** Validates the body of POST /contracts/publish. */
export function readPublishRequest(raw: unknown): PublishRequest {
  const body = objectBody(raw);
  const pacticipantName = requiredName(body, 'pacticipantName', 'pacticipantName (the consumer name)');
  const pacticipantVersionNumber = requiredName(body, 'pacticipantVersionNumber', 'pacticipantVersionNumber (the consumer version, e.g. the git sha)');
  const branch = optionalName(body, 'branch');
  const tags = optionalNames(body, 'tags');
  const list = body['contracts'];
  if (!Array.isArray(list) || list.length === 0)
    throw problem(400, 'contracts', 'contracts must be a non-empty array of { consumerName, providerName, specification: "pact", contentType: "application/json", content: <base64 pact> }.');
  const contracts = list.map((item, index): ContractInput => {
    const field = `contracts[${index}]`;
    if (!isJsonObject(item)) throw problem(400, field, `${field} must be an object.`);
    const consumerName = requiredName(item, 'consumerName', `${field}.consumerName`);
    const providerName = requiredName(item, 'providerName', `${field}.providerName`);
    if (consumerName !== pacticipantName)
      throw problem(400, `${field}.consumerName`, `${field}.consumerName is "${consumerName}" but pacticipantName is "${pacticipantName}": a publication carries one consumer's pacts.`);
    const specification = item['specification'];
    if (specification !== undefined && specification !== 'pact') throw problem(400, `${field}.specification`, `${field}.specification must be "pact" (got ${JSON.stringify(specification)}).`);
    const contentType = item['contentType'];
    if (contentType !== undefined && contentType !== 'application/json') throw problem(400, `${field}.contentType`, `${field}.contentType must be "application/json".`);
    const content = item['content'];
    if (typeof content !== 'string' || content === '') throw problem(400, `${field}.content`, `${field}.content must be the pact file encoded in base64.`);
    const onConflict = item['onConflict'];
    if (onConflict !== undefined && onConflict !== 'overwrite' && onConflict !== 'merge') throw problem(400, `${field}.onConflict`, `${field}.onConflict must be "overwrite" or "merge".`);
    let document: unknown;
    try {
      document = JSON.parse(Buffer.from(content, 'base64').toString('utf8'));
    } catch {
      throw problem(400, `${field}.content`, `${field}.content is not base64-encoded JSON. Encode the pact file's bytes with base64.`);
    }
    return { consumerName, providerName, content: document, onConflict: onConflict === 'merge' ? 'merge' : 'overwrite', field: `${field}.content` };
  });
  return { pacticipantName, pacticipantVersionNumber, branch, tags, contracts };
}

/** Interactions of `existing` that `incoming` does not replace (same description and provider states), then `incoming`'s. */
function mergePacts(existing: JsonObject, incoming: JsonObject): JsonObject {
  const key = (interaction: Json): string =>
    isJsonObject(interaction) ? JSON.stringify([interaction['description'] ?? null, interaction['providerStates'] ?? interaction['providerState'] ?? null]) : JSON.stringify(interaction);
  const field = Array.isArray(incoming['interactions']) ? 'interactions' : 'messages';
  const incomingList = Array.isArray(incoming[field]) ? incoming[field] : [];
  const existingList = Array.isArray(existing[field]) ? existing[field] : [];
  const replaced = new Set(incomingList.map(key));
  return { ...incoming, [field]: [...existingList.filter((interaction) => !replaced.has(key(interaction))), ...incomingList] };
}

/** Publishes in one transaction; the webhooks the publication triggers are recorded in it and delivered after it commits. */
export async function publishContracts(repository: Repository, request: PublishRequest, webhooks: WebhookContext = DEFAULT_WEBHOOK_CONTEXT): Promise<PublishResult> {
  return repository.transaction(async (tx) => {
    const notices: Notice[] = [];
    const consumer = await tx.ensurePacticipant(request.pacticipantName);
    const existed = (await tx.findVersion(consumer.name, request.pacticipantVersionNumber)) !== undefined;
    let version = await tx.ensureVersion(consumer.id, request.pacticipantVersionNumber);
    if (request.branch !== undefined) {
      await tx.addBranch(version.id, request.branch);
      if (consumer.mainBranch === null && MAIN_BRANCH_CANDIDATES.includes(request.branch)) await tx.setMainBranch(consumer.id, request.branch);
    }
    for (const tag of request.tags) await tx.addTag(version.id, tag);
    const detail = [request.branch === undefined ? '' : ` with branch ${request.branch}`, request.tags.length === 0 ? '' : ` and tags ${request.tags.join(', ')}`].join('');
    notices.push({ type: 'info', text: `${existed ? 'Updated' : 'Created'} ${consumer.name} version ${version.number}${detail}` });

    const contracts: PublishedContract[] = [];
    const published: { provider: PacticipantRecord; sha: string; changed: boolean }[] = [];
    for (const contract of request.contracts) {
      let pact = parsePact(contract.content, contract.field);
      if (pact.consumer !== contract.consumerName || pact.provider !== contract.providerName) {
        throw problem(
          400,
          contract.field,
          `The pact is between ${pact.consumer} and ${pact.provider}, but the contract entry names ${contract.consumerName} and ${contract.providerName}. Make consumerName/providerName match the pact file.`,
        );
      }
      const provider = await tx.ensurePacticipant(pact.provider);
      const [previous] = await tx.listPublications({ providerId: provider.id, consumerVersionId: version.id });
      if (previous !== undefined && previous.sha !== pact.sha && contract.onConflict === 'merge') {
        const stored = await tx.findContent(consumer.id, provider.id, previous.sha);
        const before: unknown = stored === undefined ? {} : JSON.parse(stored);
        if (isJsonObject(before) && isJsonObject(contract.content)) pact = parsePact(mergePacts(before, contract.content), contract.field);
      }
      const before = previous ?? (await tx.listPublications({ providerId: provider.id, consumerId: consumer.id })).filter((p) => p.consumerVersion.id !== version.id).pop();
      published.push({ provider, sha: pact.sha, changed: before?.sha !== pact.sha });
      const newContent = await tx.putContent(consumer.id, provider.id, pact.sha, pact.text);
      await tx.putPublication(version.id, provider.id, pact.sha);
      contracts.push({ consumer: consumer.name, provider: provider.name, sha: pact.sha, newContent });
      const text =
        previous?.sha === pact.sha
          ? `Pact between ${consumer.name} (${version.number}) and ${provider.name} is unchanged: same content (sha ${pact.sha.slice(0, 12)}), verification results kept`
          : previous !== undefined
            ? `Pact between ${consumer.name} (${version.number}) and ${provider.name} replaced (${contract.onConflict}) with new content (sha ${pact.sha.slice(0, 12)})`
            : newContent
              ? `Pact published for ${consumer.name} version ${version.number} and provider ${provider.name} with new content (sha ${pact.sha.slice(0, 12)})`
              : `Pact published for ${consumer.name} version ${version.number} and provider ${provider.name}: same content as an earlier version (sha ${pact.sha.slice(0, 12)}), its verification results apply`;
      notices.push({ type: previous !== undefined && previous.sha !== pact.sha ? 'warning' : 'success', text });
    }
    version = (await tx.findVersion(consumer.name, version.number)) ?? version;
    if ((await tx.listWebhooks()).some((w) => w.enabled)) {
      for (const { provider, sha, changed } of published) {
        await triggerWebhooks(tx, webhooks, await pactPublicationEvents(tx, webhooks, { consumer, provider, consumerVersion: version, sha, changed }));
      }
    }
    return { version, contracts, notices };
  });
}
