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

export async function listIntegrations(repository: Repository): Promise<Integration[]> {
  const latestByPair = new Map<string, PublicationRecord>();
  // Oldest consumer version first, so the last one written per pair is the latest.
  for (const publication of await repository.listPublications({})) latestByPair.set(JSON.stringify([publication.consumerName, publication.providerName]), publication);
  const integrations: Integration[] = [];
  for (const latest of latestByPair.values()) {
    const content = await repository.findContent(latest.consumerId, latest.providerId, latest.sha);
    const verifications = await repository.listVerifications({ consumerId: latest.consumerId, providerId: latest.providerId, sha: latest.sha });
    integrations.push({
      consumer: latest.consumerName,
      provider: latest.providerName,
      latest,
      channels: content === undefined ? [] : channelLabels(content),
      verification: verifications[verifications.length - 1],
    });
  }
  return integrations.sort((a, b) => a.consumer.localeCompare(b.consumer) || a.provider.localeCompare(b.provider));
}
