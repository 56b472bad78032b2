/**
 * The matrix and can-i-deploy. A row is one consumer version's pact with one provider version and
 * that provider version's latest verification of the pact content (or none yet).
 *
 * Two kinds of question, as Pact Broker answers them:
 * - "deploy": one or more selected versions against a target: the versions in an environment
 *   (`environment`), or the latest versions of everything else (`latest`, optionally with `tag` /
 *   `mainBranch`). Each selected version's consumers and providers in the target make the rows.
 * - "between": the rows between the versions of two or more selectors.
 * deployable is false when a row failed or a named version is unknown, null (unknown) while a
 * required verification is missing, true when every required row succeeded. Each reason names
 * the pair and what is missing or failed, in plain words.
 */
import type { PacticipantRecord, PublicationRecord, Repository, VerificationRecord, VersionRecord } from '../storage/repository';
import { problem } from './problem';

export interface MatrixSelector {
  readonly pacticipant: string;
  readonly version?: string;
  readonly branch?: string;
  readonly mainBranch?: boolean;
  readonly latest?: boolean;
  readonly tag?: string;
}

export interface MatrixQuery {
  readonly selectors: readonly MatrixSelector[];
  readonly latestby: 'cvp' | 'cvpv' | undefined;
  readonly environment: string | undefined;
  readonly latest: boolean;
  readonly tag: string | undefined;
  readonly mainBranch: boolean;
  readonly ignore: readonly { readonly pacticipant: string; readonly version?: string }[];
}

export interface MatrixRow {
  readonly publication: PublicationRecord;
  readonly providerVersion: VersionRecord | undefined;
  readonly verification: VerificationRecord | undefined;
  /** Rows with an ignored pacticipant are shown but do not decide. */
  readonly ignored: boolean;
}

export interface MatrixResult {
  readonly rows: readonly MatrixRow[];
  readonly deployable: boolean | null;
  readonly reason: string;
  readonly success: number;
  readonly failed: number;
  readonly unknown: number;
  readonly notices: readonly { readonly type: 'info' | 'warning' | 'error' | 'success'; readonly text: string }[];
}

type Params = ReadonlyMap<string, readonly string[]>;

/** Reads Pact Broker's matrix query string: q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B… (each pacticipant starts a selector). */
export function readMatrixQuery(params: Params, order: readonly (readonly [string, string])[]): MatrixQuery {
  const selectors: Record<string, string | boolean>[] = [];
  const ignore: { pacticipant: string; version?: string }[] = [];
  for (const [key, value] of order) {
    const q = /^q\[\d*\]\[(\w+)\]$/.exec(key);
    const ig = /^ignore\[\d*\]\[(\w+)\]$/.exec(key);
    if (q !== null) {
      const field = q[1] ?? '';
      if (field === 'pacticipant') selectors.push({ pacticipant: value });
      else {
        const current = selectors[selectors.length - 1];
        if (current === undefined) throw problem(400, `q[][${field}]`, `q[][${field}] comes before any q[][pacticipant]. Start each selector with q[][pacticipant]=NAME.`);
        if (field === 'version' || field === 'branch' || field === 'tag') current[field] = value;
        else if (field === 'latest' || field === 'mainBranch') current[field] = value === 'true';
        else throw problem(400, `q[][${field}]`, `Unknown matrix selector field q[][${field}]. Use pacticipant, version, branch, mainBranch, latest or tag.`);
      }
    } else if (ig !== null) {
      const field = ig[1] ?? '';
      if (field === 'pacticipant') ignore.push({ pacticipant: value });
      else if (field === 'version') {
        const current = ignore[ignore.length - 1];
        if (current === undefined) throw problem(400, 'ignore[][version]', 'ignore[][version] comes before any ignore[][pacticipant].');
        current.version = value;
      }
    }
  }
  if (selectors.length === 0) throw problem(400, 'q', 'Give at least one selector: q[][pacticipant]=NAME&q[][version]=VERSION.');
  const latestby = params.get('latestby')?.[0];
  if (latestby !== undefined && latestby !== 'cvp' && latestby !== 'cvpv' && latestby !== '') throw problem(400, 'latestby', 'latestby must be cvp or cvpv.');
  const environment = params.get('environment')?.[0];
  return {
    selectors: selectors as unknown as MatrixSelector[],
    latestby: latestby === 'cvp' || latestby === 'cvpv' ? latestby : undefined,
    environment: environment === undefined || environment === '' ? undefined : environment,
    latest: params.get('latest')?.[0] === 'true',
    tag: params.get('tag')?.[0],
    mainBranch: params.get('mainBranch')?.[0] === 'true',
    ignore,
  };
}

function last<T>(items: readonly T[]): T[] {
  const item = items[items.length - 1];
  return item === undefined ? [] : [item];
}

function describeSelector(selector: MatrixSelector): string {
  if (selector.version !== undefined) return `version ${selector.version} of ${selector.pacticipant}`;
  if (selector.branch !== undefined) return `the latest version of ${selector.pacticipant} from branch ${selector.branch}`;
  if (selector.mainBranch === true) return `the latest version of ${selector.pacticipant} from its main branch`;
  if (selector.tag !== undefined) return `the latest version of ${selector.pacticipant} tagged ${selector.tag}`;
  return `the latest version of ${selector.pacticipant}`;
}

/** The versions a selector names ([] when none exist). */
async function resolve(repository: Repository, pacticipant: PacticipantRecord, selector: MatrixSelector): Promise<VersionRecord[]> {
  if (selector.version !== undefined) {
    const found = await repository.findVersion(pacticipant.name, selector.version);
    return found === undefined ? [] : [found];
  }
  if (selector.mainBranch === true) return pacticipant.mainBranch === null ? [] : last(await repository.listVersions(pacticipant.id, { branch: pacticipant.mainBranch }));
  if (selector.branch !== undefined) {
    const versions = await repository.listVersions(pacticipant.id, { branch: selector.branch });
    return selector.latest === false ? versions : last(versions);
  }
  if (selector.tag !== undefined) {
    const versions = await repository.listVersions(pacticipant.id, { tag: selector.tag });
    return selector.latest === true ? last(versions) : versions;
  }
  const versions = await repository.listVersions(pacticipant.id);
  return selector.latest === true ? last(versions) : versions;
}

/** A row before its verification is looked up (all rows' verifications come from one query). */
interface PendingRow {
  readonly publication: PublicationRecord;
  readonly providerVersion: VersionRecord;
  readonly ignored: boolean;
}

const verificationKey = (consumerId: number, providerId: number, sha: string, providerVersionId: number): string => `${consumerId}:${providerId}:${sha}:${providerVersionId}`;

/** Each row with the latest verification of its publication's content by its provider version: one query for all rows. */
async function withVerifications(repository: Repository, pending: readonly PendingRow[]): Promise<MatrixRow[]> {
  const latest = new Map<string, VerificationRecord>();
  // Oldest first: the last one written under a key is the latest.
  for (const verification of await repository.listVerificationsByProviderVersions(pending.map((row) => row.providerVersion.id))) {
    latest.set(verificationKey(verification.consumerId, verification.providerId, verification.sha, verification.providerVersion.id), verification);
  }
  return pending.map((row) => ({
    ...row,
    verification: latest.get(verificationKey(row.publication.consumerId, row.publication.providerId, row.publication.sha, row.providerVersion.id)),
  }));
}

/** Memoises an async lookup by key (each pacticipant's target versions are read once per matrix). */
function memo<K, V>(load: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>();
  return (key) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = load(key);
      cache.set(key, hit);
    }
    return hit;
  };
}

export async function matrix(repository: Repository, query: MatrixQuery): Promise<MatrixResult> {
  const problems: string[] = [];
  const notices: { type: 'info' | 'warning' | 'error' | 'success'; text: string }[] = [];
  const selected: { pacticipant: PacticipantRecord; versions: VersionRecord[]; selector: MatrixSelector }[] = [];
  for (const selector of query.selectors) {
    const pacticipant = await repository.findPacticipant(selector.pacticipant);
    if (pacticipant === undefined) {
      problems.push(`${selector.pacticipant} is not known to this broker: publish its pacts or record a version first (check the spelling).`);
      continue;
    }
    const versions = await resolve(repository, pacticipant, selector);
    if (versions.length === 0) problems.push(`${describeSelector(selector)} is not known to this broker: publish or record that version first (check the version number).`);
    selected.push({ pacticipant, versions, selector });
  }
  const isIgnored = (name: string, version: string | undefined): boolean => query.ignore.some((entry) => entry.pacticipant === name && (entry.version === undefined || entry.version === version));

  const rows: MatrixRow[] = [];
  const environment = query.environment === undefined ? undefined : await repository.findEnvironment({ name: query.environment });
  if (query.environment !== undefined && environment === undefined)
    problems.push(`Environment ${query.environment} is not known to this broker: create it first (pact-broker create-environment --name ${query.environment}).`);
  const targeted = query.environment !== undefined || query.latest || query.tag !== undefined || query.mainBranch;

  // Everything deployed or released in the environment: one query, whatever the number of rows.
  const inEnvironment = new Map<number, Map<number, VersionRecord>>();
  if (environment !== undefined) {
    for (const deployment of await repository.listDeployments({ environmentUuid: environment.uuid, currentOnly: true })) {
      const versions = inEnvironment.get(deployment.version.pacticipantId) ?? new Map<number, VersionRecord>();
      versions.set(deployment.version.id, deployment.version);
      inEnvironment.set(deployment.version.pacticipantId, versions);
    }
  }
  /** The versions of `other` in the target: deployed/released in the environment, or its latest (by tag / main branch). */
  const targetVersions = memo(async (other: PacticipantRecord): Promise<VersionRecord[]> => {
    if (environment !== undefined) return [...(inEnvironment.get(other.id)?.values() ?? [])];
    if (query.environment !== undefined) return [];
    if (query.mainBranch) return other.mainBranch === null ? [] : last(await repository.listVersions(other.id, { branch: other.mainBranch }));
    if (query.tag !== undefined) return last(await repository.listVersions(other.id, { tag: query.tag }));
    return last(await repository.listVersions(other.id));
  });
  const targetName = environment !== undefined ? `in ${environment.name}` : query.mainBranch ? 'on its main branch' : query.tag !== undefined ? `tagged ${query.tag}` : 'at its latest version';

  if (targeted) {
    const pending: PendingRow[] = [];
    // As consumer: each provider it has a pact with must be in the target and have verified the pact.
    const asConsumer = await Promise.all(
      selected.flatMap(({ pacticipant, versions }) => versions.map(async (version) => ({ pacticipant, version, publications: await repository.listPublications({ consumerVersionId: version.id }) }))),
    );
    // As provider: the publications of every consumer that has a pact with it (one query per selected pacticipant).
    const asProvider = await Promise.all(selected.map(async (side) => ({ ...side, publications: await repository.listPublications({ providerId: side.pacticipant.id }) })));
    const others = new Map(
      (await repository.findPacticipantsByIds([...asConsumer.flatMap((c) => c.publications.map((p) => p.providerId)), ...asProvider.flatMap((p) => p.publications.map((pub) => pub.consumerId))])).map(
        (record) => [record.id, record] as const,
      ),
    );
    for (const { pacticipant, version, publications } of asConsumer) {
      for (const publication of publications) {
        const provider = others.get(publication.providerId);
        if (provider === undefined) continue;
        const ignored = isIgnored(provider.name, undefined);
        const targets = await targetVersions(provider);
        if (targets.length === 0 && !ignored) {
          problems.push(
            environment !== undefined
              ? `${pacticipant.name} ${version.number} needs ${provider.name}, which has no version in ${environment.name} yet: deploy a version of ${provider.name} that verified this pact first (a new integration starts with its provider), or pass --ignore ${provider.name}.`
              : `${pacticipant.name} ${version.number} needs ${provider.name}, which has no version ${targetName}: publish a verification from ${provider.name} first.`,
          );
        }
        for (const providerVersion of targets) pending.push({ publication, providerVersion, ignored: ignored || isIgnored(provider.name, providerVersion.number) });
      }
    }
    // Each consumer version in the target that has a pact with the provider must have been verified by the selected version.
    for (const { versions, publications } of asProvider) {
      const byConsumerVersion = new Map(publications.map((publication) => [publication.consumerVersion.id, publication] as const));
      const consumerIds = [...new Set(publications.map((publication) => publication.consumerId))];
      for (const version of versions) {
        for (const consumerId of consumerIds) {
          const consumer = others.get(consumerId);
          if (consumer === undefined) continue;
          for (const consumerVersion of await targetVersions(consumer)) {
            const publication = byConsumerVersion.get(consumerVersion.id);
            if (publication !== undefined) pending.push({ publication, providerVersion: version, ignored: isIgnored(consumer.name, consumerVersion.number) });
          }
        }
      }
    }
    rows.push(...(await withVerifications(repository, pending)));
  } else if (selected.length === 1) {
    // One pacticipant and no target: every row it is part of (the matrix page), latest verification per provider version (cvp keeps only the newest provider version).
    const only = selected[0];
    if (only !== undefined) {
      const versionIds = new Set(only.versions.map((v) => v.id));
      const mine = (await repository.listPublications({ consumerId: only.pacticipant.id })).filter((publication) => versionIds.has(publication.consumerVersion.id));
      // Verifications per provider (one query each), grouped by pact content.
      const byContent = new Map<string, VerificationRecord[]>();
      for (const providerId of new Set(mine.map((publication) => publication.providerId))) {
        for (const verification of await repository.listVerifications({ consumerId: only.pacticipant.id, providerId })) {
          const key = `${verification.providerId}:${verification.sha}`;
          byContent.set(key, [...(byContent.get(key) ?? []), verification]);
        }
      }
      for (const publication of mine) {
        const verifications = byContent.get(`${publication.providerId}:${publication.sha}`) ?? [];
        const byProviderVersion = new Map(verifications.map((verification) => [verification.providerVersion.id, verification] as const));
        const chosen = query.latestby === 'cvp' ? last([...byProviderVersion.values()]) : [...byProviderVersion.values()];
        if (chosen.length === 0) rows.push({ publication, providerVersion: undefined, verification: undefined, ignored: false });
        for (const verification of chosen) rows.push({ publication, providerVersion: verification.providerVersion, verification, ignored: false });
      }
    }
    // And as provider: each of its versions' latest verification of each consumer version's pact.
    if (only !== undefined) {
      const versionIds = new Set(only.versions.map((v) => v.id));
      const publications = await repository.listPublications({ providerId: only.pacticipant.id });
      const latest = new Map<string, MatrixRow>();
      for (const verification of await repository.listVerifications({ providerId: only.pacticipant.id })) {
        if (!versionIds.has(verification.providerVersion.id)) continue;
        for (const publication of publications.filter((p) => p.consumerId === verification.consumerId && p.sha === verification.sha)) {
          latest.set(`${publication.id}:${verification.providerVersion.id}`, { publication, providerVersion: verification.providerVersion, verification, ignored: false });
        }
      }
      rows.push(...latest.values());
    }
  } else {
    // Between the selected versions: each consumer version's pact with each selected provider version.
    const pending: PendingRow[] = [];
    for (const consumerSide of selected) {
      const versionIds = new Set(consumerSide.versions.map((v) => v.id));
      const publications = (await repository.listPublications({ consumerId: consumerSide.pacticipant.id })).filter((publication) => versionIds.has(publication.consumerVersion.id));
      for (const providerSide of selected) {
        if (consumerSide === providerSide) continue;
        for (const publication of publications.filter((p) => p.providerId === providerSide.pacticipant.id)) {
          for (const providerVersion of providerSide.versions) {
            pending.push({
              publication,
              providerVersion,
              ignored: isIgnored(consumerSide.pacticipant.name, publication.consumerVersion.number) || isIgnored(providerSide.pacticipant.name, providerVersion.number),
            });
          }
        }
      }
    }
    rows.push(...(await withVerifications(repository, pending)));
  }

  const deciding = rows.filter((row) => !row.ignored);
  const failed = deciding.filter((row) => row.verification !== undefined && !row.verification.success);
  const unknown = deciding.filter((row) => row.verification === undefined);
  const success = deciding.filter((row) => row.verification?.success === true);
  const pair = (row: MatrixRow): string =>
    `${row.publication.consumerName} ${row.publication.consumerVersion.number} and ${row.publication.providerName} ${row.providerVersion?.number ?? '(no version)'}`;
  for (const row of failed) problems.push(`The verification of the pact between ${pair(row)} failed: fix the provider or the consumer's expectations and verify again.`);
  const unknownReasons = unknown.map(
    (row) =>
      `There is no verification yet of the pact between ${pair(row)}: run the provider's verification and publish its results (herald verify --publish-results; pact-js: publishVerificationResult: true), or wait for it (--retry-while-unknown).`,
  );
  for (const row of rows.filter((r) => r.ignored)) notices.push({ type: 'info', text: `Ignoring the pact between ${pair(row)} (--ignore).` });

  let deployable: boolean | null;
  let reason: string;
  if (problems.length > 0) {
    deployable = false;
    reason = [...problems, ...unknownReasons].join('\n');
  } else if (unknown.length > 0) {
    deployable = null;
    reason = unknownReasons.join('\n');
  } else {
    deployable = true;
    reason = deciding.length === 0 ? 'There are no missing dependencies: no pact requires a verification for this deployment.' : 'All required verification results are published and successful.';
  }
  for (const line of reason.split('\n')) notices.push({ type: deployable === true ? 'success' : deployable === null ? 'warning' : 'error', text: line });
  return { rows, deployable, reason, success: success.length, failed: failed.length, unknown: unknown.length, notices };
}
