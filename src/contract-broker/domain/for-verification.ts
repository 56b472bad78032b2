/**
 * POST /pacts/provider/{provider}/for-verification: which pacts a provider build verifies, by
 * consumer version selectors, with Pact's pending and work-in-progress rules:
 * - a pact (its content) is pending for a provider branch until a version on that branch has
 *   verified it successfully; a pending pact's failure does not fail the provider build;
 * - with includeWipPactsSince, the latest pact of every consumer branch created since that date
 *   that is still pending for the provider branch is added as work in progress (pending too).
 */
import type { PacticipantRecord, PublicationRecord, Repository } from '../storage/repository';
import { checkName, objectBody, optionalBoolean, optionalName, optionalNames } from './input';
import { isJsonObject } from './pact-content';
import { problem } from './problem';

export interface ConsumerVersionSelector {
  readonly mainBranch?: boolean;
  readonly branch?: string;
  readonly matchingBranch?: boolean;
  readonly tag?: string;
  readonly latest?: boolean;
  readonly deployedOrReleased?: boolean;
  readonly deployed?: boolean;
  readonly released?: boolean;
  readonly environment?: string;
  readonly consumer?: string;
  readonly fallbackBranch?: string;
  readonly fallbackTag?: string;
}

export interface ForVerificationRequest {
  readonly selectors: readonly ConsumerVersionSelector[];
  readonly includePendingStatus: boolean;
  readonly includeWipPactsSince: Date | undefined;
  readonly providerVersionBranch: string | undefined;
  readonly providerVersionTags: readonly string[];
}

const SELECTOR_KEYS = new Set(['mainBranch', 'branch', 'matchingBranch', 'tag', 'latest', 'deployedOrReleased', 'deployed', 'released', 'environment', 'consumer', 'fallbackTag', 'fallbackBranch']);

export function readForVerificationRequest(raw: unknown): ForVerificationRequest {
  const body = objectBody(raw);
  const list = body['consumerVersionSelectors'] ?? [];
  if (!Array.isArray(list)) throw problem(400, 'consumerVersionSelectors', 'consumerVersionSelectors must be an array of selectors such as { "mainBranch": true } or { "deployedOrReleased": true }.');
  const selectors = list.map((item, index): ConsumerVersionSelector => {
    const field = `consumerVersionSelectors[${index}]`;
    if (!isJsonObject(item)) throw problem(400, field, `${field} must be an object.`);
    const unknown = Object.keys(item).filter((key) => !SELECTOR_KEYS.has(key));
    if (unknown.length > 0)
      throw problem(
        400,
        field,
        `${field} has unknown properties ${unknown.join(', ')}. Use mainBranch, branch, matchingBranch, tag, latest, deployedOrReleased, deployed, released, environment or consumer.`,
      );
    const selector: Record<string, string | boolean> = {};
    for (const key of ['mainBranch', 'matchingBranch', 'latest', 'deployedOrReleased', 'deployed', 'released']) {
      const value = optionalBoolean(item, key);
      if (value !== undefined) selector[key] = value;
    }
    for (const key of ['branch', 'tag', 'environment', 'consumer', 'fallbackTag', 'fallbackBranch']) {
      const value = optionalName(item, key);
      if (value !== undefined) selector[key] = value;
    }
    if (Object.keys(selector).every((key) => key === 'consumer' || key === 'latest' || key.startsWith('fallback')) && selector['latest'] !== true) {
      throw problem(400, field, `${field} selects nothing: give mainBranch, branch, matchingBranch, tag, latest, deployedOrReleased, deployed, released or environment.`);
    }
    return selector as ConsumerVersionSelector;
  });
  const since = body['includeWipPactsSince'];
  let includeWipPactsSince: Date | undefined;
  if (since !== undefined && since !== null && since !== '') {
    includeWipPactsSince = typeof since === 'string' ? new Date(since) : undefined;
    if (includeWipPactsSince === undefined || Number.isNaN(includeWipPactsSince.getTime())) throw problem(400, 'includeWipPactsSince', 'includeWipPactsSince must be a date such as "2024-01-01".');
  }
  const branch = body['providerVersionBranch'];
  return {
    selectors,
    includePendingStatus: optionalBoolean(body, 'includePendingStatus') ?? false,
    includeWipPactsSince,
    // Clients send "" when no branch is set.
    providerVersionBranch: branch === undefined || branch === null || branch === '' ? undefined : checkName(branch, 'providerVersionBranch'),
    providerVersionTags: optionalNames(body, 'providerVersionTags'),
  };
}

export interface PactForVerification {
  readonly publication: PublicationRecord;
  readonly shortDescription: string;
  /** Why it was selected, one line per criterion. */
  readonly reasons: readonly string[];
  readonly pending: boolean;
  readonly wip: boolean;
}

/** The latest publication per consumer among `publications` (which are oldest first). */
function latestPerConsumer(publications: readonly PublicationRecord[]): PublicationRecord[] {
  const latest = new Map<number, PublicationRecord>();
  for (const publication of publications) latest.set(publication.consumerId, publication);
  return [...latest.values()];
}

function describe(selector: ConsumerVersionSelector, providerBranch: string | undefined): string {
  const of = selector.consumer === undefined ? '' : ` of ${selector.consumer}`;
  if (selector.mainBranch === true) return `latest version${of} from the main branch`;
  if (selector.matchingBranch === true) return `latest version${of} from the branch matching the provider's (${providerBranch ?? 'none'})`;
  if (selector.branch !== undefined) return `${selector.latest === false ? 'all versions' : 'latest version'}${of} from branch '${selector.branch}'`;
  if (selector.tag !== undefined) return `${selector.latest === true ? 'latest version' : 'all versions'}${of} tagged '${selector.tag}'`;
  if (selector.deployedOrReleased === true) return `version${of} currently deployed or released${selector.environment === undefined ? '' : ` in ${selector.environment}`}`;
  if (selector.deployed === true) return `version${of} currently deployed${selector.environment === undefined ? '' : ` to ${selector.environment}`}`;
  if (selector.released === true) return `version${of} currently released${selector.environment === undefined ? '' : ` in ${selector.environment}`}`;
  if (selector.environment !== undefined) return `version${of} currently in ${selector.environment}`;
  return `latest version${of}`;
}

async function select(
  repository: Repository,
  selector: ConsumerVersionSelector,
  all: readonly PublicationRecord[],
  pacticipants: ReadonlyMap<number, PacticipantRecord>,
  providerBranch: string | undefined,
): Promise<PublicationRecord[]> {
  const candidates = selector.consumer === undefined ? all : all.filter((publication) => publication.consumerName === selector.consumer);
  const onBranch = (branch: string): PublicationRecord[] => candidates.filter((publication) => publication.consumerVersion.branches.includes(branch));
  if (selector.mainBranch === true) {
    return latestPerConsumer(
      candidates.filter((publication) => {
        const main = pacticipants.get(publication.consumerId)?.mainBranch;
        return main !== null && main !== undefined && publication.consumerVersion.branches.includes(main);
      }),
    );
  }
  if (selector.matchingBranch === true) return providerBranch === undefined ? [] : latestPerConsumer(onBranch(providerBranch));
  if (selector.branch !== undefined) {
    const matches = onBranch(selector.branch);
    if (matches.length === 0 && selector.fallbackBranch !== undefined) return latestPerConsumer(onBranch(selector.fallbackBranch));
    return selector.latest === false ? matches : latestPerConsumer(matches);
  }
  if (selector.tag !== undefined) {
    const matches = candidates.filter((publication) => publication.consumerVersion.tags.includes(selector.tag ?? ''));
    return selector.latest === true ? latestPerConsumer(matches) : matches;
  }
  if (selector.deployedOrReleased === true || selector.deployed === true || selector.released === true || selector.environment !== undefined) {
    let environmentUuid: string | undefined;
    if (selector.environment !== undefined) {
      const environment = await repository.findEnvironment({ name: selector.environment });
      if (environment === undefined) return [];
      environmentUuid = environment.uuid;
    }
    const deployments = await repository.listDeployments({ currentOnly: true, ...(environmentUuid === undefined ? {} : { environmentUuid }) });
    const kinds = selector.deployed === true ? ['deployment'] : selector.released === true ? ['release'] : ['deployment', 'release'];
    const versionIds = new Set(deployments.filter((deployment) => kinds.includes(deployment.kind)).map((deployment) => deployment.version.id));
    return candidates.filter((publication) => versionIds.has(publication.consumerVersion.id));
  }
  return latestPerConsumer(candidates);
}

/** Whether `providerBranch` (or, without one, any provider version) has verified this pact content successfully. */
async function isPending(repository: Repository, publication: PublicationRecord, providerBranch: string | undefined, providerTags: readonly string[]): Promise<boolean> {
  const verifications = await repository.listVerifications({ consumerId: publication.consumerId, providerId: publication.providerId, sha: publication.sha });
  const successful = verifications.filter((verification) => verification.success);
  if (providerBranch !== undefined) return !successful.some((v) => v.providerBranch === providerBranch || v.providerVersion.branches.includes(providerBranch));
  if (providerTags.length > 0) return !successful.some((v) => v.providerVersion.tags.some((tag) => providerTags.includes(tag)));
  return successful.length === 0;
}

export async function pactsForVerification(repository: Repository, providerName: string, request: ForVerificationRequest): Promise<PactForVerification[]> {
  const provider = await repository.findPacticipant(providerName);
  if (provider === undefined) return [];
  const all = await repository.listPublications({ providerId: provider.id });
  const pacticipants = new Map((await repository.listPacticipants()).map((p) => [p.id, p] as const));
  const selectors: readonly ConsumerVersionSelector[] = request.selectors.length === 0 ? [{ latest: true }] : request.selectors;

  // Deduplicated by pact content: one entry per consumer and sha, listing every reason.
  const chosen = new Map<string, { publication: PublicationRecord; reasons: string[] }>();
  for (const selector of selectors) {
    for (const publication of await select(repository, selector, all, pacticipants, request.providerVersionBranch)) {
      const key = `${publication.consumerId}:${publication.sha}`;
      const entry = chosen.get(key) ?? { publication, reasons: [] };
      // The newest consumer version carrying this content is the one shown.
      if (publication.consumerVersion.id > entry.publication.consumerVersion.id) entry.publication = publication;
      entry.reasons.push(`${describe(selector, request.providerVersionBranch)} (${publication.consumerVersion.number})`);
      chosen.set(key, entry);
    }
  }
  const result: PactForVerification[] = [];
  for (const { publication, reasons } of chosen.values()) {
    const pending = request.includePendingStatus && (await isPending(repository, publication, request.providerVersionBranch, request.providerVersionTags));
    result.push({ publication, shortDescription: reasons.join(', '), reasons, pending, wip: false });
  }

  if (request.includePendingStatus && request.includeWipPactsSince !== undefined && request.providerVersionBranch !== undefined) {
    const since = request.includeWipPactsSince.getTime();
    const latestPerBranch = new Map<string, PublicationRecord>();
    for (const publication of all) {
      for (const branch of publication.consumerVersion.branches) latestPerBranch.set(`${publication.consumerId}:${branch}`, publication);
    }
    for (const [key, publication] of latestPerBranch) {
      const contentKey = `${publication.consumerId}:${publication.sha}`;
      if (chosen.has(contentKey) || new Date(publication.createdAt).getTime() < since) continue;
      if (!(await isPending(repository, publication, request.providerVersionBranch, request.providerVersionTags))) continue;
      chosen.set(contentKey, { publication, reasons: [] });
      const branch = key.slice(key.indexOf(':') + 1);
      const reason = `work in progress: latest version of ${publication.consumerName} from branch '${branch}' (${publication.consumerVersion.number})`;
      result.push({ publication, shortDescription: reason, reasons: [reason], pending: true, wip: true });
    }
  }
  return result;
}
