/**
 * The provider side of the broker: fetch the pacts to verify (`pb:provider-pacts-for-verification`
 * with consumer version selectors, pending and WIP), and publish one verification result per pact
 * (`pb:publish-verification-results`, with testResults per interaction `_id`).
 */
import type { AnyInteraction, Contract } from '../contract/model';
import { parseReadContract } from '../contract/reader';
import { readJsonText } from '../contract/safe-json';
import { HeraldError } from '../errors/herald-error';
import type { InteractionResult } from '../verify/result';
import { linksOf, type BrokerClient, type JsonObject } from './hal-client';

/** A consumer version selector as the Pact Broker reads it (docs: "Consumer version selectors"). */
export interface ConsumerVersionSelector {
  readonly mainBranch?: boolean;
  readonly branch?: string;
  readonly matchingBranch?: boolean;
  readonly deployedOrReleased?: boolean;
  readonly deployed?: boolean;
  readonly released?: boolean;
  readonly environment?: string;
  readonly latest?: boolean;
  readonly tag?: string;
  readonly consumer?: string;
  readonly fallbackBranch?: string;
}

export interface ForVerificationOptions {
  readonly provider: string;
  readonly consumerVersionSelectors: readonly ConsumerVersionSelector[];
  /** The branch of the provider version being verified (pending is worked out per branch). */
  readonly providerVersionBranch?: string;
  readonly providerVersionTags?: readonly string[];
  readonly includePendingStatus?: boolean;
  /** ISO date: also verify work-in-progress pacts published since then. */
  readonly includeWipPactsSince?: string;
}

/** A pact to verify, parsed as Herald reads contract files. */
export interface PactForVerification {
  readonly contract: Contract;
  /** The pact's URL on the broker (reports and errors name it). */
  readonly url: string;
  readonly shortDescription: string;
  readonly pending: boolean;
  readonly wip: boolean;
  readonly notices: readonly string[];
  /** Where to POST the verification result (absent if the broker offers none). */
  readonly publishResultsUrl: string | undefined;
  /** The broker's interaction `_id`s, by interaction (the same objects as in `contract.interactions` and `contract.synchronous`). */
  readonly interactionIds: ReadonlyMap<AnyInteraction, string>;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request body, as pact-js and the Pact CLI send it (providerVersionBranch "" when unset). */
export function forVerificationBody(options: ForVerificationOptions): JsonObject {
  return {
    consumerVersionSelectors: options.consumerVersionSelectors,
    providerVersionBranch: options.providerVersionBranch ?? '',
    providerVersionTags: options.providerVersionTags ?? [],
    includePendingStatus: options.includePendingStatus ?? false,
    ...(options.includeWipPactsSince === undefined ? {} : { includeWipPactsSince: options.includeWipPactsSince }),
  };
}

const stateKey = (description: string, states: unknown): string => `${description}\u0000${JSON.stringify(Array.isArray(states) ? states.map((s) => (isObject(s) ? s['name'] : s)) : [])}`;

/** Reads a pact document the broker served; pending pacts have every interaction pending (reported, not failing). */
export function readBrokerPact(document: JsonObject, url: string, pending: boolean): { contract: Contract; interactionIds: Map<AnyInteraction, string>; publishResultsUrl: string | undefined } {
  // parseContract reads the same JSON Herald writes; the broker's _links and _id are extra fields.
  const text = JSON.stringify(document);
  const parsed = parseReadContract(readJsonText(text, url), url);
  const contract: Contract = pending
    ? {
        ...parsed,
        interactions: parsed.interactions.map((i) => ({ ...i, pending: true })),
        ...(parsed.synchronous === undefined ? {} : { synchronous: parsed.synchronous.map((i) => ({ ...i, pending: true })) }),
      }
    : parsed;
  const raw = Array.isArray(document['interactions']) ? document['interactions'] : Array.isArray(document['messages']) ? document['messages'] : [];
  const ids = new Map<string, string>();
  for (const entry of raw) {
    if (isObject(entry) && typeof entry['_id'] === 'string' && typeof entry['description'] === 'string') ids.set(stateKey(entry['description'], entry['providerStates']), entry['_id']);
  }
  const interactionIds = new Map<AnyInteraction, string>();
  for (const interaction of allInteractions(contract)) {
    const id = ids.get(stateKey(interaction.description, interaction.providerStates));
    if (id !== undefined) interactionIds.set(interaction, id);
  }
  return { contract: { ...contract, source: url }, interactionIds, publishResultsUrl: linksOf(document, 'pb:publish-verification-results')[0]?.href };
}

/** Every interaction of a contract: the asynchronous messages, then the request/reply ones. */
function allInteractions(contract: Contract): readonly AnyInteraction[] {
  return [...contract.interactions, ...(contract.synchronous ?? [])];
}

/** A pact for verification as the broker served it: plain JSON, so it can cross a process boundary. */
export interface PactEntry {
  readonly url: string;
  readonly document: JsonObject;
  readonly shortDescription: string;
  readonly pending: boolean;
  readonly wip: boolean;
  readonly notices: readonly string[];
}

/** Fetches the pacts for verification and each pact's content, unparsed. */
export async function fetchPactEntries(client: BrokerClient, options: ForVerificationOptions): Promise<PactEntry[]> {
  const what = `fetch the pacts for verification of ${options.provider}`;
  const url = await client.link('pb:provider-pacts-for-verification', { provider: options.provider }, what);
  const response = await client.post(url, forVerificationBody(options), what, true);
  const embedded = response['_embedded'];
  const pacts = isObject(embedded) && Array.isArray(embedded['pacts']) ? embedded['pacts'] : undefined;
  if (pacts === undefined) {
    throw new HeraldError('HERALD_PACT_BROKER_RESPONSE_INVALID', `Failed to ${what} at ${url}: the answer has no _embedded.pacts list. Check that --broker-url is a Pact Broker API root.`);
  }
  const result: PactEntry[] = [];
  for (const entry of pacts) {
    const self = linksOf(entry, 'self')[0];
    if (!isObject(entry) || self === undefined) throw new HeraldError('HERALD_PACT_BROKER_RESPONSE_INVALID', `Failed to ${what} at ${url}: a pact in _embedded.pacts has no _links.self.href.`);
    const properties = isObject(entry['verificationProperties']) ? entry['verificationProperties'] : {};
    // Without includePendingStatus a pending pact fails the run like any other (as in pact-js).
    const pending = options.includePendingStatus === true && properties['pending'] === true;
    const notices = Array.isArray(properties['notices']) ? properties['notices'].flatMap((n: unknown) => (isObject(n) && typeof n['text'] === 'string' ? [n['text']] : [])) : [];
    const document = await client.get(self.href, `fetch the pact ${self.name ?? self.href}`);
    result.push({
      url: self.href,
      document,
      shortDescription: typeof entry['shortDescription'] === 'string' ? entry['shortDescription'] : (self.name ?? self.href),
      pending,
      wip: properties['wip'] === true,
      notices,
    });
  }
  return result;
}

/** A fetched pact, parsed as Herald reads contract files. */
export function pactForVerification(entry: PactEntry): PactForVerification {
  return { ...readBrokerPact(entry.document, entry.url, entry.pending), url: entry.url, shortDescription: entry.shortDescription, pending: entry.pending, wip: entry.wip, notices: entry.notices };
}

/** Fetches the pacts for verification and each pact's content. */
export async function fetchPactsForVerification(client: BrokerClient, options: ForVerificationOptions): Promise<PactForVerification[]> {
  return (await fetchPactEntries(client, options)).map(pactForVerification);
}

/** The verification result body for one pact (`testResults` per interaction `_id`). */
export function verificationResultBody(pact: PactForVerification, results: readonly InteractionResult[], providerVersion: string, heraldVersion: string): JsonObject {
  const testResults = allInteractions(pact.contract).flatMap((interaction) => {
    const id = pact.interactionIds.get(interaction);
    const result = results.find((r) => r.consumer === pact.contract.consumer && r.provider === pact.contract.provider && r.description === interaction.description && r.contractFile === pact.url);
    if (id === undefined || result === undefined) return [];
    const success = result.status === 'passed';
    return [
      {
        interactionId: id,
        success,
        ...(success
          ? {}
          : {
              mismatches: [
                ...result.mismatches.map((m) => ({ attribute: m.part, identifier: m.path, description: m.message })),
                ...(result.error === undefined ? [] : [{ attribute: 'error', description: `${result.error.code}: ${result.error.message}` }]),
              ],
            }),
      },
    ];
  });
  const verified = results.filter((r) => r.contractFile === pact.url);
  return {
    success: verified.length > 0 && verified.every((r) => r.status === 'passed'),
    providerApplicationVersion: providerVersion,
    verifiedBy: { implementation: 'Herald', version: heraldVersion },
    testResults,
  };
}

/** Publishes one pact's result (and, first, the provider version's branch as pact-js does). */
export async function publishVerificationResult(client: BrokerClient, pact: PactForVerification, body: JsonObject): Promise<void> {
  if (pact.publishResultsUrl === undefined) {
    throw new HeraldError('HERALD_PACT_BROKER_RESPONSE_INVALID', `Failed to publish the verification result of ${pact.url}: the pact has no pb:publish-verification-results link.`);
  }
  await client.post(pact.publishResultsUrl, body, `publish the verification result of ${pact.contract.consumer} → ${pact.contract.provider}`);
}

/** Records the provider version on its branch (`PUT pb:pacticipant-branch-version`) before results are published. */
export async function recordBranch(client: BrokerClient, pacticipant: string, branch: string, version: string): Promise<void> {
  const url = await client.optionalLink('pb:pacticipant-branch-version', { pacticipant, branch, version });
  if (url !== undefined) await client.put(url, {}, `record ${pacticipant} ${version} on branch ${branch}`);
}
