/**
 * One suite for the broker's repository and domain, run against every store: embedded PGlite
 * (domain.test.ts) and the native PostgreSQL (postgres.integration.test.ts).
 */
import { createEnvironment, recordDeployment, recordRelease } from '../domain/environments';
import { pactsForVerification, readForVerificationRequest } from '../domain/for-verification';
import { matrix, type MatrixQuery } from '../domain/matrix';
import { publishContracts } from '../domain/publish';
import { publishVerification } from '../domain/verification';
import { appliedMigrations, migrate, MIGRATIONS } from '../storage/migrations';
import type { Repository } from '../storage/repository';
import type { SqlClient } from '../storage/sql';
import { sqlRepository } from '../storage/sql-repository';
import { messagePact, publishRequest, unique } from './pacts';

export interface SuiteStore {
  /** A migrated database shared by the suite's tests (each test uses its own names). */
  readonly shared: () => SqlClient;
  /** A fresh, empty database (not migrated); closed by the caller. */
  readonly fresh: () => Promise<SqlClient>;
  /** A second connection to the shared database, as a second broker process would hold. */
  readonly second: () => Promise<SqlClient>;
}

function query(selectors: MatrixQuery['selectors'], extra: Partial<MatrixQuery> = {}): MatrixQuery {
  return { selectors, latestby: 'cvp', environment: undefined, latest: false, tag: undefined, mainBranch: false, ignore: [], ...extra };
}

export function describeBrokerDomain(storeName: string, store: SuiteStore): void {
  let repository: Repository;
  beforeAll(() => {
    repository = sqlRepository(store.shared());
  });

  async function verify(provider: string, consumer: string, sha: string, version: string, success: boolean, branch?: string): Promise<void> {
    await publishVerification(repository, { provider, consumer, sha }, { success, providerApplicationVersion: version, providerVersionBranch: branch, testResults: [] });
  }

  describe(`the broker domain on ${storeName}`, () => {
    it('stores identical content once: a re-publish or a new version with the same pact keeps its verification results', async () => {
      const [consumer, provider] = [unique('orders-ui'), unique('orders')];
      const first = await publishContracts(repository, publishRequest(messagePact(consumer, provider), '1.0.0', { branch: 'main' }));
      const sha = first.contracts[0]?.sha ?? '';
      expect(first.contracts[0]?.newContent).toBe(true);
      await verify(provider, consumer, sha, 'p1', true, 'main');

      const again = await publishContracts(repository, publishRequest(messagePact(consumer, provider), '1.0.0', { branch: 'main' }));
      expect(again.contracts[0]).toEqual({ consumer, provider, sha, newContent: false });
      expect(again.notices.map((n) => n.text).join('\n')).toContain('unchanged');
      const next = await publishContracts(repository, publishRequest(messagePact(consumer, provider), '1.0.1', { branch: 'main' }));
      expect(next.contracts[0]?.newContent).toBe(false);

      const result = await matrix(repository, query([{ pacticipant: consumer, version: '1.0.1' }], { latest: true }));
      expect(result.deployable).toBe(true);
      expect(result.rows).toHaveLength(1);
      expect(result.rows[0]?.verification?.success).toBe(true);
      // Exactly one version row per number, one stored content.
      const versions = await repository.listVersions((await repository.findPacticipant(consumer))?.id ?? -1);
      expect(versions.map((v) => v.number)).toEqual(['1.0.0', '1.0.1']);
    });

    it('answers can-i-deploy: false for an unknown version, null while the verification is missing, false when it failed, true when it passed', async () => {
      const [consumer, provider] = [unique('ui'), unique('api')];
      const { contracts } = await publishContracts(repository, publishRequest(messagePact(consumer, provider), 'c1', { branch: 'main' }));
      const sha = contracts[0]?.sha ?? '';

      const unknownVersion = await matrix(repository, query([{ pacticipant: consumer, version: 'nope' }], { latest: true }));
      expect(unknownVersion.deployable).toBe(false);
      expect(unknownVersion.reason).toContain(`version nope of ${consumer} is not known`);

      await repository.transaction(async (tx) => tx.ensureVersion((await tx.ensurePacticipant(provider)).id, 'p1'));
      const missing = await matrix(repository, query([{ pacticipant: consumer, version: 'c1' }], { latest: true }));
      expect(missing.deployable).toBeNull();
      expect(missing.reason).toContain(`no verification yet of the pact between ${consumer} c1 and ${provider} p1`);

      await verify(provider, consumer, sha, 'p1', false);
      const failed = await matrix(repository, query([{ pacticipant: consumer, version: 'c1' }], { latest: true }));
      expect(failed.deployable).toBe(false);
      expect(failed.reason).toContain(`verification of the pact between ${consumer} c1 and ${provider} p1 failed`);

      await verify(provider, consumer, sha, 'p2', true);
      const passed = await matrix(repository, query([{ pacticipant: consumer, version: 'c1' }], { latest: true }));
      expect(passed.deployable).toBe(true);
      expect(passed.rows.map((row) => row.providerVersion?.number)).toEqual(['p2']);

      const between = await matrix(
        repository,
        query(
          [
            { pacticipant: consumer, version: 'c1' },
            { pacticipant: provider, version: 'p1' },
          ],
          { latestby: 'cvpv' },
        ),
      );
      expect(between.deployable).toBe(false);
      const ignored = await matrix(
        repository,
        query(
          [
            { pacticipant: consumer, version: 'c1' },
            { pacticipant: provider, version: 'p1' },
          ],
          { latestby: 'cvpv', ignore: [{ pacticipant: provider }] },
        ),
      );
      expect(ignored.deployable).toBe(true);
    });

    it('checks deployments to an environment: a consumer waits for its provider there, a provider needs the deployed consumers verified', async () => {
      const [consumer, provider, envName] = [unique('shop'), unique('stock'), unique('prod')];
      const environment = await createEnvironment(repository, { name: envName, displayName: null, production: true });
      const { contracts } = await publishContracts(repository, publishRequest(messagePact(consumer, provider), 'c1', { branch: 'main' }));
      const sha = contracts[0]?.sha ?? '';

      const first = await matrix(repository, query([{ pacticipant: consumer, version: 'c1' }], { environment: envName, latestby: 'cvpv' }));
      expect(first.deployable).toBe(false);
      expect(first.reason).toContain(`${provider}, which has no version in ${envName} yet`);

      await verify(provider, consumer, sha, 'p1', true, 'main');
      const providerFirst = await matrix(repository, query([{ pacticipant: provider, version: 'p1' }], { environment: envName, latestby: 'cvpv' }));
      expect(providerFirst.deployable).toBe(true);
      await recordDeployment(repository, provider, 'p1', environment.uuid, {});

      const consumerNext = await matrix(repository, query([{ pacticipant: consumer, version: 'c1' }], { environment: envName, latestby: 'cvpv' }));
      expect(consumerNext.deployable).toBe(true);
      await recordDeployment(repository, consumer, 'c1', environment.uuid, { applicationInstance: 'eu' });

      // p2 has not verified the deployed consumer's pact: unknown until it does.
      await repository.transaction(async (tx) => tx.ensureVersion((await tx.ensurePacticipant(provider)).id, 'p2'));
      const providerNext = await matrix(repository, query([{ pacticipant: provider, version: 'p2' }], { environment: envName, latestby: 'cvpv' }));
      expect(providerNext.deployable).toBeNull();
      await verify(provider, consumer, sha, 'p2', true);
      expect((await matrix(repository, query([{ pacticipant: provider, version: 'p2' }], { environment: envName, latestby: 'cvpv' }))).deployable).toBe(true);

      // A deployment replaces the previous one of the same instance; a release adds one.
      await recordDeployment(repository, provider, 'p2', environment.uuid, {});
      const release = await recordRelease(repository, provider, 'p1', environment.uuid);
      expect(release.kind).toBe('release');
      const current = await repository.listDeployments({ environmentUuid: environment.uuid, pacticipantId: (await repository.findPacticipant(provider))?.id ?? -1, currentOnly: true });
      expect(current.map((d) => `${d.kind}:${d.version.number}`).sort()).toEqual(['deployment:p2', 'release:p1']);
    });

    it('selects pacts for verification by mainBranch, branch, matchingBranch, tag, deployedOrReleased and consumer', async () => {
      const [a, b, provider, envName] = [unique('a'), unique('b'), unique('prov'), unique('env')];
      await publishContracts(repository, publishRequest(messagePact(a, provider, { v: '1' }), 'a1', { branch: 'main' }));
      await publishContracts(repository, publishRequest(messagePact(a, provider, { v: '2' }), 'a2', { branch: 'main', tags: ['rc'] }));
      await publishContracts(repository, publishRequest(messagePact(a, provider, { v: '3' }), 'a3', { branch: 'feat-x' }));
      await publishContracts(repository, publishRequest(messagePact(b, provider, { w: '1' }), 'b1', { branch: 'trunk' }));
      const environment = await createEnvironment(repository, { name: envName, displayName: null, production: false });
      await recordDeployment(repository, a, 'a1', environment.uuid, {});

      const pick = async (body: Record<string, unknown>): Promise<string[]> =>
        (await pactsForVerification(repository, provider, readForVerificationRequest(body))).map((p) => p.publication.consumerVersion.number).sort();
      expect(await pick({ consumerVersionSelectors: [{ mainBranch: true }] })).toEqual(['a2']);
      expect(await pick({ consumerVersionSelectors: [{ branch: 'main', latest: false }] })).toEqual(['a1', 'a2']);
      expect(await pick({ consumerVersionSelectors: [{ matchingBranch: true }], providerVersionBranch: 'feat-x' })).toEqual(['a3']);
      expect(await pick({ consumerVersionSelectors: [{ matchingBranch: true }], providerVersionBranch: '' })).toEqual([]);
      expect(await pick({ consumerVersionSelectors: [{ tag: 'rc', latest: true }] })).toEqual(['a2']);
      expect(await pick({ consumerVersionSelectors: [{ deployedOrReleased: true }] })).toEqual(['a1']);
      expect(await pick({ consumerVersionSelectors: [{ branch: 'trunk', consumer: b }] })).toEqual(['b1']);
      expect(await pick({ consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }, { branch: 'main' }] })).toEqual(['a1', 'a2']);
    });

    it('marks a pact pending until the provider branch verified it, and adds work-in-progress pacts since the given date', async () => {
      const [consumer, provider] = [unique('web'), unique('svc')];
      const { contracts } = await publishContracts(repository, publishRequest(messagePact(consumer, provider, { v: 'main' }), 'w1', { branch: 'main' }));
      await publishContracts(repository, publishRequest(messagePact(consumer, provider, { v: 'feature' }), 'w2', { branch: 'feat-y' }));
      const request = (since?: string): ReturnType<typeof readForVerificationRequest> =>
        readForVerificationRequest({
          consumerVersionSelectors: [{ mainBranch: true }],
          includePendingStatus: true,
          providerVersionBranch: 'main',
          ...(since === undefined ? {} : { includeWipPactsSince: since }),
        });

      const before = await pactsForVerification(repository, provider, request());
      expect(before.map((p) => [p.publication.consumerVersion.number, p.pending, p.wip])).toEqual([['w1', true, false]]);

      // A failed verification leaves it pending; a successful one from another branch too.
      await verify(provider, consumer, contracts[0]?.sha ?? '', 'p1', false, 'main');
      await verify(provider, consumer, contracts[0]?.sha ?? '', 'p2', true, 'other');
      expect((await pactsForVerification(repository, provider, request()))[0]?.pending).toBe(true);
      await verify(provider, consumer, contracts[0]?.sha ?? '', 'p3', true, 'main');
      expect((await pactsForVerification(repository, provider, request()))[0]?.pending).toBe(false);

      const withWip = await pactsForVerification(repository, provider, request('2000-01-01'));
      expect(withWip.map((p) => [p.publication.consumerVersion.number, p.pending, p.wip])).toEqual([
        ['w1', false, false],
        ['w2', true, true],
      ]);
      expect(await pactsForVerification(repository, provider, request('2999-01-01'))).toHaveLength(1);
    });

    it('builds the can-i-deploy matrix with a number of queries that does not grow with its rows', async () => {
      const db = store.shared();
      let queries = 0;
      const counted = sqlRepository({ ...db, query: (sql, params) => ((queries += 1), db.query(sql, params)) } as SqlClient);
      /** A provider with `n` consumers, all deployed to a new environment and verified by p1; a consumer with `n` providers the same way. */
      async function queriesFor(n: number): Promise<{ provider: number; consumer: number }> {
        const [provider, hub, envName] = [unique('provider'), unique('hub'), unique('env')];
        const environment = await createEnvironment(repository, { name: envName, displayName: null, production: true });
        for (let i = 0; i < n; i += 1) {
          const consumer = unique(`consumer${i}`);
          const [toProvider] = (await publishContracts(repository, publishRequest(messagePact(consumer, provider), 'c1', { branch: 'main' }))).contracts;
          await verify(provider, consumer, toProvider?.sha ?? '', 'p1', true);
          await recordDeployment(repository, consumer, 'c1', environment.uuid, {});
          const upstream = unique(`upstream${i}`);
          const [toUpstream] = (await publishContracts(repository, publishRequest(messagePact(hub, upstream, { n: String(i) }), 'h1', { branch: 'main' }))).contracts;
          await verify(upstream, hub, toUpstream?.sha ?? '', 'u1', true);
          await recordDeployment(repository, upstream, 'u1', environment.uuid, {});
        }
        queries = 0;
        const asProvider = await matrix(counted, query([{ pacticipant: provider, version: 'p1' }], { environment: envName }));
        const provider_ = queries;
        queries = 0;
        const asConsumer = await matrix(counted, query([{ pacticipant: hub, version: 'h1' }], { environment: envName }));
        expect([asProvider.rows.length, asProvider.deployable, asConsumer.rows.length, asConsumer.deployable]).toEqual([n, true, n, true]);
        return { provider: provider_, consumer: queries };
      }
      const small = await queriesFor(2);
      const large = await queriesFor(8);
      expect(large).toEqual(small);
    });

    it('migrates a database created by an older broker and keeps its data', async () => {
      const db = await store.fresh();
      try {
        expect(await migrate(db, 1)).toEqual([1]);
        // What a version-1 broker wrote, in its own schema (today's code expects today's tables).
        await db.query(`INSERT INTO pacticipants (name) VALUES ('old-consumer')`);
        await db.query(`INSERT INTO versions (pacticipant_id, number) SELECT id, '1.0.0' FROM pacticipants WHERE name = 'old-consumer'`);
        await db.query(`INSERT INTO branch_versions (version_id, branch) SELECT id, 'main' FROM versions WHERE number = '1.0.0'`);
        expect(await migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
        expect(await migrate(db)).toEqual([]);
        expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
        const upgraded = sqlRepository(db);
        expect((await upgraded.findVersion('old-consumer', '1.0.0'))?.branches).toEqual(['main']);
        expect(await upgraded.listEnvironments()).toEqual([]);
      } finally {
        await db.close();
      }
    });

    it('keeps concurrent publishes from two connections consistent: no lost publication, no duplicate version', async () => {
      const other = await store.second();
      try {
        const repositories = [repository, sqlRepository(other)];
        const providers = [unique('p-one'), unique('p-two')];
        const consumers = [unique('c-one'), unique('c-two'), unique('c-three')];
        const operations: Promise<unknown>[] = [];
        for (let i = 0; i < 60; i++) {
          const consumer = consumers[i % consumers.length] ?? '';
          const provider = providers[i % providers.length] ?? '';
          const repo = repositories[i % 2] ?? repository;
          // Versions repeat across operations, so both connections race to create the same rows.
          operations.push(publishContracts(repo, publishRequest(messagePact(consumer, provider, { n: String(i % 5) }), `v${i % 10}`, { branch: 'main', tags: ['t'] })));
        }
        await Promise.all(operations);
        for (const consumer of consumers) {
          const record = await repository.findPacticipant(consumer);
          const versions = await repository.listVersions(record?.id ?? -1);
          expect(new Set(versions.map((v) => v.number)).size).toBe(versions.length);
          const publications = await repository.listPublications({ consumerId: record?.id ?? -1 });
          expect(new Set(publications.map((p) => `${p.consumerVersion.number}/${p.providerName}`)).size).toBe(publications.length);
        }
        const total = (await Promise.all(consumers.map(async (c) => repository.listPublications({ consumerId: (await repository.findPacticipant(c))?.id ?? -1 })))).flat();
        // 60 operations over (consumer, provider, version) triples i%3, i%2, i%10: 30 distinct triples (lcm 30).
        expect(total).toHaveLength(30);
      } finally {
        await other.close();
      }
    });
  });
}
