/**
 * Turning broker events into triggered webhooks, inside the transaction that wrote the event: the
 * rows commit (and are delivered) with it or not at all. The `pactbroker.*` variables are computed
 * here, so a retry sends what the first attempt sent.
 */
import { randomUUID } from 'node:crypto';
import type { PacticipantRecord, Repository, VerificationRecord, VersionRecord } from '../storage/repository';
import type { WebhookContext, WebhookEvent, WebhookEventName } from './events';

const enc = encodeURIComponent;

function pactUrl(context: WebhookContext, provider: string, consumer: string, sha: string): string {
  return `${context.baseUrl}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/pact-version/${enc(sha)}`;
}
function verificationUrl(context: WebhookContext, provider: string, consumer: string, verification: VerificationRecord): string {
  return `${pactUrl(context, provider, consumer, verification.sha)}/verification-results/${verification.id}`;
}
const lastBranch = (version: VersionRecord | undefined): string => version?.branches[version.branches.length - 1] ?? '';

interface PactFacts {
  readonly consumer: PacticipantRecord;
  readonly provider: PacticipantRecord;
  readonly consumerVersion: VersionRecord;
  readonly sha: string;
}

/** The variables of Pact Broker's PactAndVerificationParameters, for a pact and (when there is one) a verification. */
async function variables(tx: Repository, context: WebhookContext, event: WebhookEventName, pact: PactFacts, given: VerificationRecord | undefined): Promise<Record<string, string>> {
  const verifications = await tx.listVerifications({ consumerId: pact.consumer.id, providerId: pact.provider.id, sha: pact.sha });
  // As Pact Broker: a contract event carries the pact's latest verification when it has one.
  const verification = given ?? verifications[verifications.length - 1];
  const mainBranch = pact.provider.mainBranch;
  const onMain = mainBranch === null ? [] : verifications.filter((v) => v.providerVersion.branches.includes(mainBranch));
  const mainStatus = onMain.length === 0 ? 'pending' : onMain[onMain.length - 1]?.success === true ? 'success' : 'failure';
  return {
    'pactbroker.eventName': event,
    'pactbroker.consumerName': pact.consumer.name,
    'pactbroker.providerName': pact.provider.name,
    'pactbroker.consumerVersionNumber': pact.consumerVersion.number,
    'pactbroker.consumerVersionBranch': lastBranch(pact.consumerVersion),
    'pactbroker.consumerVersionTags': pact.consumerVersion.tags.join(', '),
    'pactbroker.providerVersionNumber': verification?.providerVersion.number ?? '',
    'pactbroker.providerVersionBranch': verification === undefined ? '' : (verification.providerBranch ?? lastBranch(verification.providerVersion)),
    'pactbroker.providerVersionTags': verification?.providerVersion.tags.join(', ') ?? '',
    'pactbroker.pactUrl': pactUrl(context, pact.provider.name, pact.consumer.name, pact.sha),
    'pactbroker.verificationResultUrl': verification === undefined ? '' : verificationUrl(context, pact.provider.name, pact.consumer.name, verification),
    'pactbroker.githubVerificationStatus': verification === undefined ? 'pending' : verification.success ? 'success' : 'failure',
    'pactbroker.bitbucketVerificationStatus': verification === undefined ? 'INPROGRESS' : verification.success ? 'SUCCESSFUL' : 'FAILED',
    'pactbroker.providerMainBranchGithubVerificationStatus': mainStatus,
    'pactbroker.consumerLabels': '',
    'pactbroker.providerLabels': '',
    'pactbroker.currentlyDeployedProviderVersionNumber': '',
  };
}

/**
 * The events of one pact in a publication: contract_published always; contract_content_changed
 * when its content differs from the pair's previous pact (or it is the first);
 * contract_requiring_verification_published once per provider version that should verify it and
 * has not (the head of the provider's main branch, and each deployed or released version).
 */
export async function pactPublicationEvents(tx: Repository, context: WebhookContext, pact: PactFacts & { readonly changed: boolean }): Promise<WebhookEvent[]> {
  const base = { consumerName: pact.consumer.name, providerName: pact.provider.name };
  const events: WebhookEvent[] = [{ name: 'contract_published', ...base, variables: await variables(tx, context, 'contract_published', pact, undefined) }];
  if (pact.changed) events.push({ name: 'contract_content_changed', ...base, variables: await variables(tx, context, 'contract_content_changed', pact, undefined) });

  const required = new Map<number, { version: VersionRecord; branch: string; deployed: boolean }>();
  if (pact.provider.mainBranch !== null) {
    const head = (await tx.listVersions(pact.provider.id, { branch: pact.provider.mainBranch })).pop();
    if (head !== undefined) required.set(head.id, { version: head, branch: pact.provider.mainBranch, deployed: false });
  }
  for (const deployment of await tx.listDeployments({ pacticipantId: pact.provider.id, currentOnly: true })) {
    const known = required.get(deployment.version.id);
    required.set(deployment.version.id, { version: deployment.version, branch: known?.branch ?? lastBranch(deployment.version), deployed: true });
  }
  if (required.size > 0) {
    const verifiedBy = new Set((await tx.listVerifications({ consumerId: pact.consumer.id, providerId: pact.provider.id, sha: pact.sha })).map((v) => v.providerVersion.id));
    const name = 'contract_requiring_verification_published';
    for (const { version, branch, deployed } of required.values()) {
      if (verifiedBy.has(version.id)) continue;
      const common = await variables(tx, context, name, pact, undefined);
      events.push({
        name,
        ...base,
        variables: {
          ...common,
          'pactbroker.providerVersionNumber': version.number,
          'pactbroker.providerVersionBranch': branch,
          'pactbroker.providerVersionTags': version.tags.join(', '),
          'pactbroker.currentlyDeployedProviderVersionNumber': deployed ? version.number : '',
          'pactbroker.verificationResultUrl': '',
          'pactbroker.githubVerificationStatus': 'pending',
          'pactbroker.bitbucketVerificationStatus': 'INPROGRESS',
        },
      });
    }
  }
  return events;
}

/** provider_verification_published, and _succeeded or _failed, for a verification just recorded. */
export async function verificationEvents(tx: Repository, context: WebhookContext, verification: VerificationRecord): Promise<WebhookEvent[]> {
  const pacticipants = await tx.listPacticipants();
  const consumer = pacticipants.find((p) => p.id === verification.consumerId);
  const provider = pacticipants.find((p) => p.id === verification.providerId);
  if (consumer === undefined || provider === undefined) return [];
  // The pact's consumer version: the latest that published this content (as Pact Broker).
  const publication = (await tx.listPublications({ consumerId: consumer.id, providerId: provider.id })).filter((p) => p.sha === verification.sha).pop();
  if (publication === undefined) return [];
  const pact = { consumer, provider, consumerVersion: publication.consumerVersion, sha: verification.sha };
  const names: WebhookEventName[] = ['provider_verification_published', verification.success ? 'provider_verification_succeeded' : 'provider_verification_failed'];
  const events: WebhookEvent[] = [];
  for (const name of names) events.push({ name, consumerName: consumer.name, providerName: provider.name, variables: await variables(tx, context, name, pact, verification) });
  return events;
}

/** Records one triggered webhook per enabled webhook that subscribes to each event and whose scope matches; returns how many. */
export async function triggerWebhooks(tx: Repository, context: WebhookContext, events: readonly WebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const webhooks = (await tx.listWebhooks()).filter((w) => w.enabled);
  let count = 0;
  for (const event of events) {
    for (const webhook of webhooks) {
      if (!webhook.events.includes(event.name)) continue;
      if (webhook.consumerName !== null && webhook.consumerName !== event.consumerName) continue;
      if (webhook.providerName !== null && webhook.providerName !== event.providerName) continue;
      await tx.addTriggeredWebhook({
        uuid: randomUUID(),
        webhookUuid: webhook.uuid,
        eventName: event.name,
        consumerName: event.consumerName,
        providerName: event.providerName,
        variables: event.variables,
        maxAttempts: context.maxAttempts,
      });
      count += 1;
    }
  }
  return count;
}

/**
 * The variables a test execution (POST /webhooks/{uuid}/execute) fills: those of the latest pact
 * the webhook's scope matches, as a contract_published event; undefined when it matches none yet.
 */
export async function latestMatchingVariables(
  tx: Repository,
  context: WebhookContext,
  scope: { readonly consumerName: string | null; readonly providerName: string | null },
): Promise<Record<string, string> | undefined> {
  const consumer = scope.consumerName === null ? undefined : await tx.findPacticipant(scope.consumerName);
  if (scope.consumerName !== null && consumer === undefined) return undefined;
  const publication = (await tx.listPublications(consumer === undefined ? {} : { consumerId: consumer.id }))
    .filter((p) => scope.providerName === null || p.providerName === scope.providerName)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .pop();
  if (publication === undefined) return undefined;
  const pacticipants = await tx.listPacticipants();
  const found = pacticipants.find((p) => p.id === publication.consumerId);
  const provider = pacticipants.find((p) => p.id === publication.providerId);
  if (found === undefined || provider === undefined) return undefined;
  return variables(tx, context, 'contract_published', { consumer: found, provider, consumerVersion: publication.consumerVersion, sha: publication.sha }, undefined);
}
