/**
 * The webhook part of the broker's domain suite, run on every store (domain.test.ts on PGlite,
 * postgres.integration.test.ts on PostgreSQL): storage, triggering in the event's transaction,
 * the pactbroker.* variables, and the outbox's claim / retry bookkeeping.
 */
import { recordDeployment, createEnvironment } from '../domain/environments';
import { BrokerProblem } from '../domain/problem';
import { publishContracts, readPublishRequest } from '../domain/publish';
import { publishVerification } from '../domain/verification';
import { migrate } from '../storage/migrations';
import type { Repository } from '../storage/repository';
import { sqlRepository } from '../storage/sql-repository';
import { parseWebhookHosts } from '../webhooks/hosts';
import { listWebhookExecutions, saveWebhook } from '../webhooks/manage';
import { redactSpec, REDACTED } from '../webhooks/redact';
import type { SuiteStore } from './domain-suite';
import { base64, messagePact, publishRequest, unique } from './pacts';

const HOSTS = parseWebhookHosts('ci.example.com,*.hooks.example.com');
const CONTEXT = { baseUrl: 'http://broker.test', maxAttempts: 3 };

function webhookBody(extra: Record<string, unknown> = {}, events: string[] = ['contract_published', 'contract_content_changed']): Record<string, unknown> {
  return {
    description: 'trigger the provider build',
    events: events.map((name) => ({ name })),
    request: {
      method: 'POST',
      url: 'https://ci.example.com/build?pact=${pactbroker.pactUrl}',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ci-secret-123' },
      body: { consumer: '${pactbroker.consumerName}', version: '${pactbroker.consumerVersionNumber}' },
    },
    ...extra,
  };
}

export function describeWebhookDomain(storeName: string, store: SuiteStore): void {
  let repository: Repository;
  beforeAll(() => {
    repository = sqlRepository(store.shared());
  });

  const eventsOf = async (webhookUuid: string): Promise<string[]> => (await repository.listTriggeredWebhooks({ webhookUuid })).map((t) => t.eventName);

  describe(`broker webhooks on ${storeName}`, () => {
    it('creates a webhook, replaces it by uuid keeping secrets sent back masked, and deletes it', async () => {
      const consumer = unique('ui');
      const { webhook, created } = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer } }));
      expect(created).toBe(true);
      expect(webhook.consumerName).toBe(consumer);
      expect(webhook.providerName).toBeNull();
      expect(webhook.request.headers['Authorization']).toBe('Bearer ci-secret-123');
      const shown = redactSpec(webhook.request);
      expect(shown.headers['Authorization']).toBe(REDACTED);
      expect(JSON.stringify(shown)).not.toContain('ci-secret-123');

      // What a client GETs and PUTs back unchanged keeps the stored secret.
      const replaced = await saveWebhook(repository, HOSTS, { ...webhookBody({ consumer: { name: consumer }, enabled: false }), request: { ...shown, method: 'PUT' } }, webhook.uuid);
      expect(replaced.created).toBe(false);
      expect(replaced.webhook.enabled).toBe(false);
      expect(replaced.webhook.request.method).toBe('PUT');
      expect(replaced.webhook.request.headers['Authorization']).toBe('Bearer ci-secret-123');
      expect(replaced.webhook.createdAt).toBe(webhook.createdAt);

      const put = await saveWebhook(repository, HOSTS, webhookBody(), unique('my-uuid'));
      expect(put.created).toBe(true);
      expect(await repository.deleteWebhook(put.webhook.uuid)).toBe(true);
      expect(await repository.findWebhook(put.webhook.uuid)).toBeUndefined();
      expect(await repository.deleteWebhook(put.webhook.uuid)).toBe(false);
    });

    it.each([
      ['a host outside the allow-list', HOSTS, 'https://evil.example.org/x', 'is not in HERALD_BROKER_WEBHOOK_HOSTS (ci.example.com, *.hooks.example.com)'],
      ['another port than the allowed one', parseWebhookHosts('ci.example.com:8443'), 'https://ci.example.com/x', 'is not in HERALD_BROKER_WEBHOOK_HOSTS'],
      ['any host when no host is allowed', [], 'https://ci.example.com/x', 'webhooks are disabled on this broker: HERALD_BROKER_WEBHOOK_HOSTS is not set'],
      ['a file URL', HOSTS, 'file:///etc/passwd', 'webhooks call http or https targets only'],
      ['a placeholder in the host', HOSTS, 'https://${pactbroker.consumerName}.example.com/', 'not'],
    ])('refuses %s with a 400 naming request.url', async (_, hosts, url, message) => {
      const error: unknown = await saveWebhook(repository, hosts, { ...webhookBody(), request: { method: 'POST', url } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerProblem);
      expect((error as BrokerProblem).status).toBe(400);
      expect((error as BrokerProblem).errors['request.url']?.join(' ')).toContain(message);
    });

    it('accepts subdomains of a *. entry and refuses unknown events and labels', async () => {
      await expect(saveWebhook(repository, HOSTS, { ...webhookBody(), request: { method: 'POST', url: 'https://a.hooks.example.com/x' } })).resolves.toBeDefined();
      await expect(saveWebhook(repository, HOSTS, webhookBody({}, ['contract_pubished']))).rejects.toThrow(/events\[0\]\.name must be one of contract_published/);
      await expect(saveWebhook(repository, HOSTS, webhookBody({ consumer: { label: 'team-a' } }))).rejects.toThrow(/label is not supported/);
    });

    it('triggers contract_published on every publication and contract_content_changed only when the content changed, with the pactbroker variables filled', async () => {
      const [consumer, provider] = [unique('ui'), unique('orders')];
      const { webhook } = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer } }));
      const first = await publishContracts(repository, publishRequest(messagePact(consumer, provider), '1.0.0', { branch: 'main', tags: ['rc', 'beta'] }), CONTEXT);
      expect(await eventsOf(webhook.uuid)).toEqual(['contract_published', 'contract_content_changed']);
      const [triggered] = await repository.listTriggeredWebhooks({ webhookUuid: webhook.uuid });
      expect(triggered?.status).toBe('not_run');
      expect(triggered?.maxAttempts).toBe(3);
      expect(triggered?.variables).toMatchObject({
        'pactbroker.eventName': 'contract_published',
        'pactbroker.consumerName': consumer,
        'pactbroker.providerName': provider,
        'pactbroker.consumerVersionNumber': '1.0.0',
        'pactbroker.consumerVersionBranch': 'main',
        'pactbroker.consumerVersionTags': 'beta, rc',
        'pactbroker.pactUrl': `http://broker.test/pacts/provider/${provider}/consumer/${consumer}/pact-version/${first.contracts[0]?.sha ?? ''}`,
        'pactbroker.providerVersionNumber': '',
        'pactbroker.verificationResultUrl': '',
        'pactbroker.githubVerificationStatus': 'pending',
      });

      await publishContracts(repository, publishRequest(messagePact(consumer, provider), '1.0.1', { branch: 'main' }), CONTEXT);
      expect(await eventsOf(webhook.uuid)).toEqual(['contract_published', 'contract_content_changed', 'contract_published']);
      await publishContracts(repository, publishRequest(messagePact(consumer, provider, { orderId: 'x', total: '1' }), '1.0.2', { branch: 'main' }), CONTEXT);
      expect((await eventsOf(webhook.uuid)).slice(3)).toEqual(['contract_published', 'contract_content_changed']);
    });

    it('fires only the webhooks whose consumer, provider, events and enabled flag match', async () => {
      const [consumer, provider] = [unique('ui'), unique('orders')];
      const otherProvider = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer }, provider: { name: unique('other') } }));
      const disabled = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer }, enabled: false }));
      const verificationOnly = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer } }, ['provider_verification_published']));
      const matching = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer }, provider: { name: provider } }, ['contract_published']));
      await publishContracts(repository, publishRequest(messagePact(consumer, provider), '1'), CONTEXT);
      expect(await eventsOf(otherProvider.webhook.uuid)).toEqual([]);
      expect(await eventsOf(disabled.webhook.uuid)).toEqual([]);
      expect(await eventsOf(verificationOnly.webhook.uuid)).toEqual([]);
      expect(await eventsOf(matching.webhook.uuid)).toEqual(['contract_published']);
    });

    it('records nothing when the publication fails: triggered webhooks commit with the event', async () => {
      const [consumer, provider] = [unique('ui'), unique('orders')];
      const { webhook } = await saveWebhook(repository, HOSTS, webhookBody({ consumer: { name: consumer } }));
      const good = { consumerName: consumer, providerName: provider, content: base64(messagePact(consumer, provider)) };
      const bad = { consumerName: consumer, providerName: unique('p2'), content: base64(messagePact(consumer, 'someone-else')) };
      const request = readPublishRequest({ pacticipantName: consumer, pacticipantVersionNumber: '1', contracts: [good, bad] });
      await expect(publishContracts(repository, request, CONTEXT)).rejects.toThrow(/contract entry names/);
      expect(await eventsOf(webhook.uuid)).toEqual([]);
    });

    it('triggers provider_verification_published and _succeeded or _failed with the provider version, branch and result URL', async () => {
      const [consumer, provider] = [unique('ui'), unique('orders')];
      const { webhook } = await saveWebhook(
        repository,
        HOSTS,
        webhookBody({ provider: { name: provider } }, ['provider_verification_published', 'provider_verification_succeeded', 'provider_verification_failed']),
      );
      const { contracts } = await publishContracts(repository, publishRequest(messagePact(consumer, provider), 'c1', { branch: 'feat' }), CONTEXT);
      const sha = contracts[0]?.sha ?? '';
      const failed = await publishVerification(repository, { provider, consumer, sha }, { success: false, providerApplicationVersion: 'p1', providerVersionBranch: 'main', testResults: [] }, CONTEXT);
      await publishVerification(repository, { provider, consumer, sha }, { success: true, providerApplicationVersion: 'p2', providerVersionBranch: 'main', testResults: [] }, CONTEXT);
      const triggered = await repository.listTriggeredWebhooks({ webhookUuid: webhook.uuid });
      expect(triggered.map((t) => t.eventName)).toEqual(['provider_verification_published', 'provider_verification_failed', 'provider_verification_published', 'provider_verification_succeeded']);
      expect(triggered[1]?.variables).toMatchObject({
        'pactbroker.consumerVersionNumber': 'c1',
        'pactbroker.consumerVersionBranch': 'feat',
        'pactbroker.providerVersionNumber': 'p1',
        'pactbroker.providerVersionBranch': 'main',
        'pactbroker.githubVerificationStatus': 'failure',
        'pactbroker.bitbucketVerificationStatus': 'FAILED',
        'pactbroker.verificationResultUrl': `http://broker.test/pacts/provider/${provider}/consumer/${consumer}/pact-version/${sha}/verification-results/${failed.id}`,
      });
      expect(triggered[3]?.variables['pactbroker.githubVerificationStatus']).toBe('success');
    });

    it('triggers contract_requiring_verification_published once per main-branch head and deployed provider version that has not verified the content', async () => {
      const [consumer, provider, environment] = [unique('ui'), unique('orders'), unique('prod')];
      const { webhook } = await saveWebhook(repository, HOSTS, webhookBody({ provider: { name: provider } }, ['contract_requiring_verification_published']));
      // The provider: p1 deployed in production, p2 the head of main.
      await repository.transaction(async (tx) => {
        const p = await tx.ensurePacticipant(provider);
        await tx.setMainBranch(p.id, 'main');
        for (const number of ['p1', 'p2']) await tx.addBranch((await tx.ensureVersion(p.id, number)).id, 'main');
      });
      await createEnvironment(repository, { name: environment, displayName: null, production: true });
      await recordDeployment(repository, provider, 'p1', (await repository.findEnvironment({ name: environment }))?.uuid ?? '', {});
      const { contracts } = await publishContracts(repository, publishRequest(messagePact(consumer, provider), 'c1'), CONTEXT);
      const first = await repository.listTriggeredWebhooks({ webhookUuid: webhook.uuid });
      expect(first.map((t) => [t.variables['pactbroker.providerVersionNumber'], t.variables['pactbroker.currentlyDeployedProviderVersionNumber']])).toEqual([
        ['p2', ''],
        ['p1', 'p1'],
      ]);
      expect(first[0]?.variables['pactbroker.providerVersionBranch']).toBe('main');

      // p2 verifies the content: the next publication of it needs only the deployed p1.
      await publishVerification(
        repository,
        { provider, consumer, sha: contracts[0]?.sha ?? '' },
        { success: true, providerApplicationVersion: 'p2', providerVersionBranch: undefined, testResults: [] },
      );
      await publishContracts(repository, publishRequest(messagePact(consumer, provider), 'c2'), CONTEXT);
      const second = (await repository.listTriggeredWebhooks({ webhookUuid: webhook.uuid })).slice(2);
      expect(second.map((t) => t.variables['pactbroker.providerVersionNumber'])).toEqual(['p1']);
    });

    it('leases a due triggered webhook to one claimer, retries it after the back-off, and lists its attempts per webhook', async () => {
      const db = await store.fresh();
      try {
        await migrate(db);
        const fresh = sqlRepository(db);
        const { webhook } = await saveWebhook(fresh, HOSTS, webhookBody());
        expect(await fresh.nextTriggeredWebhookDueInMs()).toBeUndefined();
        await fresh.addTriggeredWebhook({ uuid: 't-1', webhookUuid: webhook.uuid, eventName: 'contract_published', consumerName: 'c', providerName: 'p', variables: {}, maxAttempts: 2 });
        expect(await fresh.nextTriggeredWebhookDueInMs()).toBe(0);
        const claimed = await fresh.claimDueTriggeredWebhook(60_000);
        expect(claimed?.uuid).toBe('t-1');
        expect(await fresh.claimDueTriggeredWebhook(60_000)).toBeUndefined();
        expect(await fresh.nextTriggeredWebhookDueInMs()).toBeGreaterThan(50_000);

        await fresh.recordWebhookAttempt({ triggeredWebhookUuid: 't-1', attempt: 1, success: false, logs: 'refused', status: 'retrying', retryInMs: 0 });
        const again = await fresh.claimDueTriggeredWebhook(60_000);
        expect(again).toMatchObject({ uuid: 't-1', status: 'retrying', attemptsMade: 1 });
        await fresh.recordWebhookAttempt({ triggeredWebhookUuid: 't-1', attempt: 2, success: false, logs: 'refused again', status: 'failure', retryInMs: null });
        expect(await fresh.claimDueTriggeredWebhook(60_000)).toBeUndefined();
        expect(await fresh.nextTriggeredWebhookDueInMs()).toBeUndefined();

        const executions = await listWebhookExecutions(fresh, webhook.uuid);
        expect(executions).toHaveLength(1);
        expect(executions[0]?.triggered).toMatchObject({ status: 'failure', attemptsMade: 2, nextAttemptAt: null });
        expect(executions[0]?.executions.map((e) => [e.attempt, e.success, e.logs])).toEqual([
          [1, false, 'refused'],
          [2, false, 'refused again'],
        ]);
        // Deleting the webhook deletes what it triggered.
        await fresh.deleteWebhook(webhook.uuid);
        expect(await fresh.findTriggeredWebhook('t-1')).toBeUndefined();
      } finally {
        await db.close();
      }
    });
  });
}
