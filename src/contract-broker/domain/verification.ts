/**
 * Verification results: POST to a pact's pb:publish-verification-results. A result belongs to the
 * pact content (sha), so every consumer version that published that content shares it.
 */
import type { Repository, VerificationRecord } from '../storage/repository';
import { checkName, objectBody, optionalName } from './input';
import { isJsonObject } from './pact-content';
import { notFound, problem } from './problem';
import { DEFAULT_WEBHOOK_CONTEXT, type WebhookContext } from '../webhooks/events';
import { triggerWebhooks, verificationEvents } from '../webhooks/trigger';

export interface VerificationRequest {
  readonly success: boolean;
  readonly providerApplicationVersion: string;
  readonly providerVersionBranch: string | undefined;
  readonly testResults: readonly unknown[];
}

export function readVerificationRequest(raw: unknown): VerificationRequest {
  const body = objectBody(raw);
  const success = body['success'];
  if (typeof success !== 'boolean') throw problem(400, 'success', 'success is required and must be true or false.');
  const version = body['providerApplicationVersion'];
  if (version === undefined || version === null || version === '') throw problem(400, 'providerApplicationVersion', 'providerApplicationVersion (the provider version verified) is required.');
  const testResults = body['testResults'] ?? [];
  if (!Array.isArray(testResults)) throw problem(400, 'testResults', 'testResults must be an array of { interactionId, success, mismatches }.');
  testResults.forEach((result, index) => {
    if (!isJsonObject(result)) throw problem(400, `testResults[${index}]`, `testResults[${index}] must be an object { interactionId, success, mismatches }.`);
    if (result['success'] !== undefined && typeof result['success'] !== 'boolean') throw problem(400, `testResults[${index}].success`, `testResults[${index}].success must be true or false.`);
  });
  return { success, providerApplicationVersion: checkName(version, 'providerApplicationVersion'), providerVersionBranch: optionalName(body, 'providerVersionBranch'), testResults };
}

export async function publishVerification(
  repository: Repository,
  pact: { readonly provider: string; readonly consumer: string; readonly sha: string },
  request: VerificationRequest,
  webhooks: WebhookContext = DEFAULT_WEBHOOK_CONTEXT,
): Promise<VerificationRecord> {
  return repository.transaction(async (tx) => {
    const provider = await tx.findPacticipant(pact.provider);
    const consumer = await tx.findPacticipant(pact.consumer);
    const content = provider === undefined || consumer === undefined ? undefined : await tx.findContent(consumer.id, provider.id, pact.sha);
    if (provider === undefined || consumer === undefined || content === undefined) {
      throw notFound(
        `The pact between ${pact.consumer} and ${pact.provider} with sha ${pact.sha}`,
        'Publish verification results to the pb:publish-verification-results link of a pact fetched from this broker.',
      );
    }
    const version = await tx.ensureVersion(provider.id, request.providerApplicationVersion);
    if (request.providerVersionBranch !== undefined) await tx.addBranch(version.id, request.providerVersionBranch);
    const verification = await tx.addVerification({
      consumerId: consumer.id,
      providerId: provider.id,
      sha: pact.sha,
      providerVersionId: version.id,
      success: request.success,
      providerBranch: request.providerVersionBranch ?? version.branches[version.branches.length - 1] ?? null,
      testResults: JSON.stringify(request.testResults),
    });
    if ((await tx.listWebhooks()).some((w) => w.enabled)) await triggerWebhooks(tx, webhooks, await verificationEvents(tx, webhooks, verification));
    return verification;
  });
}
