/** The integrations (consumer → provider pairs) the broker knows, with their channels and latest verification. */
import type { PublicationRecord, Repository, VerificationRecord } from '../storage/repository';
import { channelLabels } from './channels';

export interface Integration {
  readonly consumer: string;
  readonly provider: string;
  /** The latest consumer version's publication. */
  readonly latest: PublicationRecord;
  /** Topics / exchanges / queues of the latest pact. */
  readonly channels: readonly string[];
  /** The newest verification of the latest pact's content, if any. */
  readonly verification: VerificationRecord | undefined;
}

/** Labels per content sha: the sha is the hash of the content, so an entry never goes stale (in any broker of the process). */
const labelCache = new Map<string, readonly string[]>();
const LABEL_CACHE_SIZE = 2000;

async function labelsOf(repository: Repository, publication: PublicationRecord): Promise<readonly string[]> {
  const key = publication.sha;
  const cached = labelCache.get(key);
  if (cached !== undefined) return cached;
  const content = await repository.findContent(publication.consumerId, publication.providerId, publication.sha);
  if (content === undefined) return [];
  const labels = channelLabels(content);
  if (labelCache.size >= LABEL_CACHE_SIZE) labelCache.delete(labelCache.keys().next().value ?? '');
  labelCache.set(key, labels);
  return labels;
}

export async function listIntegrations(repository: Repository): Promise<Integration[]> {
  const latestByPair = new Map<string, PublicationRecord>();
  // Oldest consumer version first, so the last one written per pair is the latest.
  for (const publication of await repository.listPublications({})) latestByPair.set(JSON.stringify([publication.consumerName, publication.providerName]), publication);
  // One query per provider rather than per pair; oldest first, so the last match is the newest.
  const verificationsByProvider = new Map<number, VerificationRecord[]>();
  for (const providerId of new Set([...latestByPair.values()].map((p) => p.providerId))) verificationsByProvider.set(providerId, await repository.listVerifications({ providerId }));
  const integrations: Integration[] = [];
  for (const latest of latestByPair.values()) {
    const verifications = (verificationsByProvider.get(latest.providerId) ?? []).filter((v) => v.consumerId === latest.consumerId && v.sha === latest.sha);
    integrations.push({ consumer: latest.consumerName, provider: latest.providerName, latest, channels: await labelsOf(repository, latest), verification: verifications[verifications.length - 1] });
  }
  return integrations.sort((a, b) => a.consumer.localeCompare(b.consumer) || a.provider.localeCompare(b.provider));
}
