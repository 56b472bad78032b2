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

/** The latest verification of `publication`'s content by `providerVersion`. */
async function latestVerification(repository: Repository, publication: PublicationRecord, providerVersion: VersionRecord): Promise<VerificationRecord | undefined> {
  const verifications = await repository.listVerifications({ consumerId: publication.consumerId, providerId: publication.providerId, sha: publication.sha });
  return last(verifications.filter((verification) => verification.providerVersion.id === providerVersion.id))[0];
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

  /** The versions of `other` in the target: deployed/released in the environment, or its latest (by tag / main branch). */
  const targetVersions = async (other: PacticipantRecord): Promise<VersionRecord[]> => {
    if (environment !== undefined) {
      const deployments = await repository.listDeployments({ environmentUuid: environment.uuid, pacticipantId: other.id, currentOnly: true });
      const unique = new Map(deployments.map((deployment) => [deployment.version.id, deployment.version] as const));
      return [...unique.values()];
    }
    if (query.environment !== undefined) return [];
    if (query.mainBranch) return other.mainBranch === null ? [] : last(await repository.listVersions(other.id, { branch: other.mainBranch }));
    if (query.tag !== undefined) return last(await repository.listVersions(other.id, { tag: query.tag }));
    return last(await repository.listVersions(other.id));
  };
  const targetName = environment !== undefined ? `in ${environment.name}` : query.mainBranch ? 'on its main branch' : query.tag !== undefined ? `tagged ${query.tag}` : 'at its latest version';

  if (targeted) {
    for (const { pacticipant, versions } of selected) {
      for (const version of versions) {
        // As consumer: each provider it has a pact with must be in the target and have verified the pact.
        for (const publication of await repository.listPublications({ consumerVersionId: version.id })) {
          const provider = await repository.findPacticipant(publication.providerName);
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
          for (const providerVersion of targets) {
            rows.push({
              publication,
              providerVersion,
              verification: await latestVerification(repository, publication, providerVersion),
              ignored: ignored || isIgnored(provider.name, providerVersion.number),
            });
          }
        }
        // As provider: each consumer version in the target that has a pact with it must have been verified by this version.
        const consumers = new Map<number, string>();
        for (const publication of await repository.listPublications({ providerId: pacticipant.id })) consumers.set(publication.consumerId, publication.consumerName);
        for (const [, consumerName] of consumers) {
          const consumer = await repository.findPacticipant(consumerName);
          if (consumer === undefined) continue;
          for (const consumerVersion of await targetVersions(consumer)) {
            const [publication] = await repository.listPublications({ consumerVersionId: consumerVersion.id, providerId: pacticipant.id });
            if (publication === undefined) continue;
            rows.push({ publication, providerVersion: version, verification: await latestVerification(repository, publication, version), ignored: isIgnored(consumer.name, consumerVersion.number) });
          }
        }
      }
    }
  } else if (selected.length === 1) {
    // One pacticipant and no target: every row it is part of (the matrix page), latest verification per provider version (cvp keeps only the newest provider version).
    const only = selected[0];
    for (const version of only?.versions ?? []) {
      for (const publication of await repository.listPublications({ consumerVersionId: version.id })) {
        const verifications = await repository.listVerifications({ consumerId: publication.consumerId, providerId: publication.providerId, sha: publication.sha });
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
    for (const consumerSide of selected) {
      for (const providerSide of selected) {
        if (consumerSide === providerSide) continue;
        for (const consumerVersion of consumerSide.versions) {
          const [publication] = await repository.listPublications({ consumerVersionId: consumerVersion.id, providerId: providerSide.pacticipant.id });
          if (publication === undefined) continue;
          for (const providerVersion of providerSide.versions) {
            rows.push({
              publication,
              providerVersion,
              verification: await latestVerification(repository, publication, providerVersion),
              ignored: isIgnored(consumerSide.pacticipant.name, consumerVersion.number) || isIgnored(providerSide.pacticipant.name, providerVersion.number),
            });
          }
        }
      }
    }
  }

  const deciding = rows.filter((row) => !row.ignored);
  const failed = deciding.filter((row) => row.verification !== undefined && !row.verification.success);
  const unknown = deciding.filter((row) => row.verification === undefined);
  const success = deciding.filter((row) => row.verification?.success === true);
  const pair = (row: MatrixRow): string =>
    `${row.publication.consumerName} ${row.publication.consumerVersion.number} and ${row.publication.providerName} ${row.providerVersion?.number ?? '(no version)'}`;
  for (const row of failed) problems.push(`The verification of the pact between ${pair(row)} failed: fix the provider or the consumer's expectations and verify again.`);
  const unknownReasons = unknown.map(
    (row) => `There is no verification yet of the pact between ${pair(row)}: run the provider's verification with --publish-results (or wait for it: --retry-while-unknown).`,
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
