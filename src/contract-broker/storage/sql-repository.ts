/** The Repository on SQL, shared by PGlite and PostgreSQL (storage/sql.ts). */
import type { DeploymentRecord, EnvironmentRecord, PacticipantRecord, PublicationRecord, Repository, VerificationRecord, VersionRecord } from './repository';
import type { SqlClient, SqlQueryable } from './sql';
import { SqlWebhookStore } from './sql-webhooks';

type Row = Record<string, unknown>;

function iso(value: unknown): string {
  return new Date(value instanceof Date ? value : String(value)).toISOString();
}
function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.startsWith('{')) return value === '{}' ? [] : value.slice(1, -1).split(',');
  return [];
}
function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

const VERSION_COLUMNS = (alias: string, prefix: string): string => `
  ${alias}.id AS ${prefix}id, ${alias}.pacticipant_id AS ${prefix}pacticipant_id, ${alias}.number AS ${prefix}number, ${alias}.created_at AS ${prefix}created_at,
  (SELECT name FROM pacticipants WHERE id = ${alias}.pacticipant_id) AS ${prefix}pacticipant_name,
  ARRAY(SELECT b.branch FROM branch_versions b WHERE b.version_id = ${alias}.id ORDER BY b.created_at, b.branch) AS ${prefix}branches,
  ARRAY(SELECT t.name FROM tags t WHERE t.version_id = ${alias}.id ORDER BY t.created_at, t.name) AS ${prefix}tags`;

function version(row: Row, prefix = ''): VersionRecord {
  return {
    id: Number(row[`${prefix}id`]),
    pacticipantId: Number(row[`${prefix}pacticipant_id`]),
    pacticipantName: String(row[`${prefix}pacticipant_name`]),
    number: String(row[`${prefix}number`]),
    createdAt: iso(row[`${prefix}created_at`]),
    branches: strings(row[`${prefix}branches`]),
    tags: strings(row[`${prefix}tags`]),
  };
}
function pacticipant(row: Row): PacticipantRecord {
  return { id: Number(row['id']), name: String(row['name']), mainBranch: nullableString(row['main_branch']), createdAt: iso(row['created_at']) };
}
function environment(row: Row, prefix = ''): EnvironmentRecord {
  return {
    uuid: String(row[`${prefix}uuid`]),
    name: String(row[`${prefix}name`]),
    displayName: nullableString(row[`${prefix}display_name`]),
    production: row[`${prefix}production`] === true,
    createdAt: iso(row[`${prefix}created_at`]),
  };
}

class SqlRepository extends SqlWebhookStore implements Repository {
  constructor(
    db: SqlQueryable,
    private readonly client: SqlClient | undefined,
  ) {
    super(db);
  }

  transaction<T>(work: (tx: Repository) => Promise<T>): Promise<T> {
    if (this.client === undefined) return work(this);
    return this.client.transaction((tx) => work(new SqlRepository(tx, undefined)));
  }

  private async one(sql: string, params: readonly unknown[]): Promise<Row | undefined> {
    const rows = await this.db.query<Row>(sql, params);
    return rows[0];
  }

  async findPacticipant(name: string): Promise<PacticipantRecord | undefined> {
    const row = await this.one('SELECT * FROM pacticipants WHERE name = $1', [name]);
    return row === undefined ? undefined : pacticipant(row);
  }
  async findPacticipantsByIds(ids: readonly number[]): Promise<PacticipantRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<Row>('SELECT * FROM pacticipants WHERE id = ANY($1::bigint[]) ORDER BY id', [[...new Set(ids)]]);
    return rows.map(pacticipant);
  }
  async listPacticipants(): Promise<PacticipantRecord[]> {
    return (await this.db.query<Row>('SELECT * FROM pacticipants ORDER BY name')).map(pacticipant);
  }
  async ensurePacticipant(name: string): Promise<PacticipantRecord> {
    // DO NOTHING takes no row lock, so concurrent publishes naming the same pair in either order cannot deadlock.
    await this.db.query('INSERT INTO pacticipants (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
    const found = await this.findPacticipant(name);
    if (found === undefined) throw new Error(`pacticipant ${name} vanished after insert`);
    return found;
  }
  async setMainBranch(pacticipantId: number, branch: string): Promise<void> {
    await this.db.query('UPDATE pacticipants SET main_branch = $2 WHERE id = $1', [pacticipantId, branch]);
  }

  async findVersion(pacticipantName: string, number: string): Promise<VersionRecord | undefined> {
    const row = await this.one(`SELECT ${VERSION_COLUMNS('v', '')} FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id WHERE p.name = $1 AND v.number = $2`, [pacticipantName, number]);
    return row === undefined ? undefined : version(row);
  }
  async listVersions(pacticipantId: number, filter: { readonly branch?: string; readonly tag?: string } = {}): Promise<VersionRecord[]> {
    const params: unknown[] = [pacticipantId];
    let where = 'v.pacticipant_id = $1';
    if (filter.branch !== undefined) {
      params.push(filter.branch);
      where += ` AND EXISTS (SELECT 1 FROM branch_versions b WHERE b.version_id = v.id AND b.branch = $${params.length})`;
    }
    if (filter.tag !== undefined) {
      params.push(filter.tag);
      where += ` AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.name = $${params.length})`;
    }
    const rows = await this.db.query<Row>(`SELECT ${VERSION_COLUMNS('v', '')} FROM versions v WHERE ${where} ORDER BY v.id`, params);
    return rows.map((row) => version(row));
  }
  async ensureVersion(pacticipantId: number, number: string): Promise<VersionRecord> {
    await this.db.query('INSERT INTO versions (pacticipant_id, number) VALUES ($1, $2) ON CONFLICT (pacticipant_id, number) DO NOTHING', [pacticipantId, number]);
    const row = await this.one(`SELECT ${VERSION_COLUMNS('v', '')} FROM versions v WHERE v.pacticipant_id = $1 AND v.number = $2`, [pacticipantId, number]);
    if (row === undefined) throw new Error(`version ${number} vanished after insert`);
    return version(row);
  }
  async addBranch(versionId: number, branch: string): Promise<void> {
    await this.db.query('INSERT INTO branch_versions (version_id, branch) VALUES ($1, $2) ON CONFLICT DO NOTHING', [versionId, branch]);
  }
  async addTag(versionId: number, tag: string): Promise<void> {
    await this.db.query('INSERT INTO tags (version_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [versionId, tag]);
  }

  async putContent(consumerId: number, providerId: number, sha: string, content: string): Promise<boolean> {
    const rows = await this.db.query<Row>('INSERT INTO contract_contents (consumer_id, provider_id, sha, content) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING sha', [
      consumerId,
      providerId,
      sha,
      content,
    ]);
    return rows.length > 0;
  }
  async findContent(consumerId: number, providerId: number, sha: string): Promise<string | undefined> {
    const row = await this.one('SELECT content FROM contract_contents WHERE consumer_id = $1 AND provider_id = $2 AND sha = $3', [consumerId, providerId, sha]);
    return row === undefined ? undefined : String(row['content']);
  }
  async putPublication(consumerVersionId: number, providerId: number, sha: string): Promise<void> {
    await this.db.query(
      `INSERT INTO publications (consumer_version_id, provider_id, sha) VALUES ($1, $2, $3)
       ON CONFLICT (consumer_version_id, provider_id) DO UPDATE SET sha = EXCLUDED.sha, created_at = CASE WHEN publications.sha = EXCLUDED.sha THEN publications.created_at ELSE now() END`,
      [consumerVersionId, providerId, sha],
    );
  }
  async listPublications(filter: { readonly providerId?: number; readonly consumerId?: number; readonly consumerVersionId?: number }): Promise<PublicationRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.providerId !== undefined) {
      params.push(filter.providerId);
      where.push(`pub.provider_id = $${params.length}`);
    }
    if (filter.consumerId !== undefined) {
      params.push(filter.consumerId);
      where.push(`v.pacticipant_id = $${params.length}`);
    }
    if (filter.consumerVersionId !== undefined) {
      params.push(filter.consumerVersionId);
      where.push(`pub.consumer_version_id = $${params.length}`);
    }
    const rows = await this.db.query<Row>(
      `SELECT pub.id AS pub_id, pub.provider_id, pub.sha, pub.created_at AS pub_created_at, prov.name AS provider_name, ${VERSION_COLUMNS('v', 'v_')}
       FROM publications pub JOIN versions v ON v.id = pub.consumer_version_id JOIN pacticipants prov ON prov.id = pub.provider_id
       ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY v.id, prov.name`,
      params,
    );
    return rows.map((row) => {
      const consumerVersion = version(row, 'v_');
      return {
        id: Number(row['pub_id']),
        consumerId: consumerVersion.pacticipantId,
        consumerName: consumerVersion.pacticipantName,
        providerId: Number(row['provider_id']),
        providerName: String(row['provider_name']),
        consumerVersion,
        sha: String(row['sha']),
        createdAt: iso(row['pub_created_at']),
      };
    });
  }

  private verification(row: Row): VerificationRecord {
    return {
      id: Number(row['ver_id']),
      consumerId: Number(row['consumer_id']),
      providerId: Number(row['provider_id']),
      sha: String(row['sha']),
      providerVersion: version(row, 'v_'),
      success: row['success'] === true,
      providerBranch: nullableString(row['provider_branch']),
      testResults: String(row['test_results']),
      createdAt: iso(row['ver_created_at']),
    };
  }
  private readonly verificationSelect = `SELECT ver.id AS ver_id, ver.consumer_id, ver.provider_id, ver.sha, ver.success, ver.provider_branch, ver.test_results, ver.created_at AS ver_created_at, ${VERSION_COLUMNS('v', 'v_')}
    FROM verifications ver JOIN versions v ON v.id = ver.provider_version_id`;

  async addVerification(input: Parameters<Repository['addVerification']>[0]): Promise<VerificationRecord> {
    const rows = await this.db.query<Row>(
      'INSERT INTO verifications (consumer_id, provider_id, sha, provider_version_id, success, provider_branch, test_results) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [input.consumerId, input.providerId, input.sha, input.providerVersionId, input.success, input.providerBranch, input.testResults],
    );
    const created = await this.findVerification(Number(rows[0]?.['id']));
    if (created === undefined) throw new Error('verification vanished after insert');
    return created;
  }
  async listVerifications(filter: { readonly consumerId?: number; readonly providerId: number; readonly sha?: string }): Promise<VerificationRecord[]> {
    const params: unknown[] = [filter.providerId];
    let where = 'ver.provider_id = $1';
    if (filter.consumerId !== undefined) {
      params.push(filter.consumerId);
      where += ` AND ver.consumer_id = $${params.length}`;
    }
    if (filter.sha !== undefined) {
      params.push(filter.sha);
      where += ` AND ver.sha = $${params.length}`;
    }
    const rows = await this.db.query<Row>(`${this.verificationSelect} WHERE ${where} ORDER BY ver.id`, params);
    return rows.map((row) => this.verification(row));
  }
  async listVerificationsByProviderVersions(providerVersionIds: readonly number[]): Promise<VerificationRecord[]> {
    if (providerVersionIds.length === 0) return [];
    const rows = await this.db.query<Row>(`${this.verificationSelect} WHERE ver.provider_version_id = ANY($1::bigint[]) ORDER BY ver.id`, [[...new Set(providerVersionIds)]]);
    return rows.map((row) => this.verification(row));
  }
  async findVerification(id: number): Promise<VerificationRecord | undefined> {
    const row = await this.one(`${this.verificationSelect} WHERE ver.id = $1`, [id]);
    return row === undefined ? undefined : this.verification(row);
  }

  async createEnvironment(input: Parameters<Repository['createEnvironment']>[0]): Promise<EnvironmentRecord> {
    const rows = await this.db.query<Row>('INSERT INTO environments (uuid, name, display_name, production) VALUES ($1, $2, $3, $4) RETURNING *', [
      input.uuid,
      input.name,
      input.displayName,
      input.production,
    ]);
    const row = rows[0];
    if (row === undefined) throw new Error('environment vanished after insert');
    return environment(row);
  }
  async listEnvironments(): Promise<EnvironmentRecord[]> {
    return (await this.db.query<Row>('SELECT * FROM environments ORDER BY name')).map((row) => environment(row));
  }
  async findEnvironment(by: { readonly uuid: string } | { readonly name: string }): Promise<EnvironmentRecord | undefined> {
    const row = 'uuid' in by ? await this.one('SELECT * FROM environments WHERE uuid = $1', [by.uuid]) : await this.one('SELECT * FROM environments WHERE name = $1', [by.name]);
    return row === undefined ? undefined : environment(row);
  }

  async recordDeployment(input: Parameters<Repository['recordDeployment']>[0]): Promise<void> {
    await this.db.query(
      `UPDATE deployed_versions SET undeployed_at = now()
       WHERE pacticipant_id = $1 AND environment_uuid = $2 AND application_instance = $3 AND undeployed_at IS NULL AND version_id <> $4`,
      [input.pacticipantId, input.environmentUuid, input.applicationInstance, input.versionId],
    );
    const current = await this.one('SELECT uuid FROM deployed_versions WHERE version_id = $1 AND environment_uuid = $2 AND application_instance = $3 AND undeployed_at IS NULL', [
      input.versionId,
      input.environmentUuid,
      input.applicationInstance,
    ]);
    if (current !== undefined) return;
    await this.db.query('INSERT INTO deployed_versions (uuid, version_id, pacticipant_id, environment_uuid, application_instance) VALUES ($1, $2, $3, $4, $5)', [
      input.uuid,
      input.versionId,
      input.pacticipantId,
      input.environmentUuid,
      input.applicationInstance,
    ]);
  }
  async recordRelease(input: Parameters<Repository['recordRelease']>[0]): Promise<string> {
    await this.db.query(
      `INSERT INTO released_versions (uuid, version_id, pacticipant_id, environment_uuid) VALUES ($1, $2, $3, $4)
       ON CONFLICT (version_id, environment_uuid) DO UPDATE SET support_ended_at = NULL`,
      [input.uuid, input.versionId, input.pacticipantId, input.environmentUuid],
    );
    const row = await this.one('SELECT uuid FROM released_versions WHERE version_id = $1 AND environment_uuid = $2', [input.versionId, input.environmentUuid]);
    return String(row?.['uuid']);
  }
  async listDeployments(filter: { readonly environmentUuid?: string; readonly pacticipantId?: number; readonly currentOnly: boolean }): Promise<DeploymentRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.environmentUuid !== undefined) {
      params.push(filter.environmentUuid);
      where.push(`d.environment_uuid = $${params.length}`);
    }
    if (filter.pacticipantId !== undefined) {
      params.push(filter.pacticipantId);
      where.push(`d.pacticipant_id = $${params.length}`);
    }
    const clause = (ended: string): string => {
      const all = [...where, ...(filter.currentOnly ? [`d.${ended} IS NULL`] : [])];
      return all.length === 0 ? '' : `WHERE ${all.join(' AND ')}`;
    };
    const columns = `e.uuid AS e_uuid, e.name AS e_name, e.display_name AS e_display_name, e.production AS e_production, e.created_at AS e_created_at, ${VERSION_COLUMNS('v', 'v_')}`;
    const rows = await this.db.query<Row>(
      `SELECT 'deployment' AS kind, d.uuid, d.application_instance, d.created_at, d.undeployed_at AS ended_at, ${columns}
         FROM deployed_versions d JOIN environments e ON e.uuid = d.environment_uuid JOIN versions v ON v.id = d.version_id ${clause('undeployed_at')}
       UNION ALL
       SELECT 'release' AS kind, d.uuid, NULL AS application_instance, d.created_at, d.support_ended_at AS ended_at, ${columns}
         FROM released_versions d JOIN environments e ON e.uuid = d.environment_uuid JOIN versions v ON v.id = d.version_id ${clause('support_ended_at')}
       ORDER BY created_at`,
      params,
    );
    return rows.map((row) => ({
      uuid: String(row['uuid']),
      kind: row['kind'] === 'release' ? 'release' : 'deployment',
      version: version(row, 'v_'),
      environment: environment(row, 'e_'),
      applicationInstance: row['application_instance'] === null || row['application_instance'] === '' ? null : String(row['application_instance']),
      createdAt: iso(row['created_at']),
      current: row['ended_at'] === null || row['ended_at'] === undefined,
    }));
  }
}

/** The repository over `db` (which it does not own: close `db` yourself). */
export function sqlRepository(db: SqlClient): Repository {
  return new SqlRepository(db, db);
}
