/**
 * The broker's schema, as numbered migrations applied in order, each in its own transaction under
 * an advisory lock (two broker processes starting on one PostgreSQL apply each migration once).
 * Never edit a released migration: add the next one.
 */
import type { SqlClient } from './sql';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'pacticipants, versions, branches, tags, contracts, publications, verifications',
    sql: `
      CREATE TABLE pacticipants (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        main_branch TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE versions (
        id BIGSERIAL PRIMARY KEY,
        pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id),
        number TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        UNIQUE (pacticipant_id, number)
      );
      CREATE TABLE branch_versions (
        version_id BIGINT NOT NULL REFERENCES versions(id),
        branch TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (version_id, branch)
      );
      CREATE TABLE tags (
        version_id BIGINT NOT NULL REFERENCES versions(id),
        name TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (version_id, name)
      );
      -- One row per distinct pact content between a consumer and a provider (content-addressed).
      CREATE TABLE contract_contents (
        sha TEXT NOT NULL,
        consumer_id BIGINT NOT NULL REFERENCES pacticipants(id),
        provider_id BIGINT NOT NULL REFERENCES pacticipants(id),
        content TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_id, provider_id, sha)
      );
      -- Which content a consumer version published for a provider (re-publishing replaces it).
      CREATE TABLE publications (
        id BIGSERIAL PRIMARY KEY,
        consumer_version_id BIGINT NOT NULL REFERENCES versions(id),
        provider_id BIGINT NOT NULL REFERENCES pacticipants(id),
        sha TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        UNIQUE (consumer_version_id, provider_id)
      );
      CREATE TABLE verifications (
        id BIGSERIAL PRIMARY KEY,
        consumer_id BIGINT NOT NULL REFERENCES pacticipants(id),
        provider_id BIGINT NOT NULL REFERENCES pacticipants(id),
        sha TEXT NOT NULL,
        provider_version_id BIGINT NOT NULL REFERENCES versions(id),
        success BOOLEAN NOT NULL,
        provider_branch TEXT,
        test_results TEXT NOT NULL DEFAULT '[]',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX verifications_by_pact ON verifications (consumer_id, provider_id, sha);
      CREATE INDEX publications_by_provider ON publications (provider_id);
    `,
  },
  {
    version: 2,
    name: 'environments, deployed and released versions',
    sql: `
      CREATE TABLE environments (
        uuid TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT,
        production BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE deployed_versions (
        uuid TEXT PRIMARY KEY,
        version_id BIGINT NOT NULL REFERENCES versions(id),
        pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id),
        environment_uuid TEXT NOT NULL REFERENCES environments(uuid),
        application_instance TEXT NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        undeployed_at TIMESTAMPTZ
      );
      CREATE TABLE released_versions (
        uuid TEXT PRIMARY KEY,
        version_id BIGINT NOT NULL REFERENCES versions(id),
        pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id),
        environment_uuid TEXT NOT NULL REFERENCES environments(uuid),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        support_ended_at TIMESTAMPTZ,
        UNIQUE (version_id, environment_uuid)
      );
    `,
  },
  {
    version: 3,
    name: 'webhooks, triggered webhooks and their executions',
    sql: `
      -- Scoped by name (null: any), so a webhook can name a pacticipant before it publishes.
      CREATE TABLE webhooks (
        uuid TEXT PRIMARY KEY,
        seq BIGSERIAL,
        description TEXT,
        consumer_name TEXT,
        provider_name TEXT,
        enabled BOOLEAN NOT NULL DEFAULT true,
        events TEXT NOT NULL,
        request TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      -- The outbox: written in the transaction of the event, delivered after it commits.
      CREATE TABLE triggered_webhooks (
        uuid TEXT PRIMARY KEY,
        seq BIGSERIAL,
        webhook_uuid TEXT NOT NULL REFERENCES webhooks(uuid) ON DELETE CASCADE,
        event_name TEXT NOT NULL,
        consumer_name TEXT NOT NULL,
        provider_name TEXT NOT NULL,
        variables TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'not_run',
        attempts_made INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        next_attempt_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX triggered_webhooks_due ON triggered_webhooks (next_attempt_at) WHERE status IN ('not_run', 'retrying');
      CREATE INDEX triggered_webhooks_by_webhook ON triggered_webhooks (webhook_uuid);
      CREATE TABLE webhook_executions (
        id BIGSERIAL PRIMARY KEY,
        triggered_webhook_uuid TEXT NOT NULL REFERENCES triggered_webhooks(uuid) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        success BOOLEAN NOT NULL,
        logs TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_executions_by_triggered ON webhook_executions (triggered_webhook_uuid);
    `,
  },
  {
    version: 4,
    name: 'indexes for the matrix: verifications by provider version, versions by pacticipant in order',
    sql: `
      CREATE INDEX IF NOT EXISTS verifications_by_provider_version ON verifications (provider_version_id);
      CREATE INDEX IF NOT EXISTS versions_by_pacticipant ON versions (pacticipant_id, id);
    `,
  },
];

/** An arbitrary constant: the advisory lock key that serialises migrations across processes. */
const MIGRATION_LOCK = 4_711_012;

/** Applies the migrations `db` has not seen yet (up to `upTo`, default all); returns the versions applied. */
export async function migrate(db: SqlClient, upTo: number = Number.POSITIVE_INFINITY): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS herald_broker_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version > upTo) break;
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query<{ version: number }>('SELECT version FROM herald_broker_migrations WHERE version = $1', [migration.version]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO herald_broker_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** The migrations recorded in `db`, in order. */
export async function appliedMigrations(db: SqlClient): Promise<number[]> {
  const rows = await db.query<{ version: number }>('SELECT version FROM herald_broker_migrations ORDER BY version');
  return rows.map((row) => Number(row.version));
}

/** Splits a migration into statements (extended-protocol queries take one statement each). */
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement !== '');
}
