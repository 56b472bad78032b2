/** Webhooks, the triggered-webhook outbox and its execution log, on SQL (the Repository's webhook part). */
import type { Repository, TriggeredWebhookRecord, TriggeredWebhookStatus, WebhookExecutionRecord, WebhookRecord, WebhookRequestSpec } from './repository';
import type { SqlQueryable } from './sql';

type Row = Record<string, unknown>;
type WebhookStore = Pick<
  Repository,
  | 'putWebhook'
  | 'findWebhook'
  | 'listWebhooks'
  | 'deleteWebhook'
  | 'addTriggeredWebhook'
  | 'claimDueTriggeredWebhook'
  | 'nextTriggeredWebhookDueInMs'
  | 'recordWebhookAttempt'
  | 'listTriggeredWebhooks'
  | 'findTriggeredWebhook'
  | 'listWebhookExecutions'
>;

const iso = (value: unknown): string => new Date(value instanceof Date ? value : String(value)).toISOString();
const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const STATUSES: readonly TriggeredWebhookStatus[] = ['not_run', 'retrying', 'success', 'failure'];

function webhook(row: Row): WebhookRecord {
  return {
    uuid: String(row['uuid']),
    description: nullable(row['description']),
    consumerName: nullable(row['consumer_name']),
    providerName: nullable(row['provider_name']),
    enabled: row['enabled'] === true,
    events: JSON.parse(String(row['events'])) as string[],
    request: JSON.parse(String(row['request'])) as WebhookRequestSpec,
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  };
}

function triggered(row: Row): TriggeredWebhookRecord {
  const status = STATUSES.find((s) => s === row['status']) ?? 'failure';
  return {
    uuid: String(row['uuid']),
    webhookUuid: String(row['webhook_uuid']),
    eventName: String(row['event_name']),
    consumerName: String(row['consumer_name']),
    providerName: String(row['provider_name']),
    variables: JSON.parse(String(row['variables'])) as Record<string, string>,
    status,
    attemptsMade: Number(row['attempts_made']),
    maxAttempts: Number(row['max_attempts']),
    nextAttemptAt: row['next_attempt_at'] === null || row['next_attempt_at'] === undefined ? null : iso(row['next_attempt_at']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  };
}

const PENDING = `status IN ('not_run', 'retrying')`;

export class SqlWebhookStore implements WebhookStore {
  constructor(protected readonly db: SqlQueryable) {}

  async putWebhook(input: Omit<WebhookRecord, 'createdAt' | 'updatedAt'>): Promise<WebhookRecord> {
    const rows = await this.db.query<Row>(
      `INSERT INTO webhooks (uuid, description, consumer_name, provider_name, enabled, events, request) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (uuid) DO UPDATE SET description = EXCLUDED.description, consumer_name = EXCLUDED.consumer_name, provider_name = EXCLUDED.provider_name,
         enabled = EXCLUDED.enabled, events = EXCLUDED.events, request = EXCLUDED.request, updated_at = now()
       RETURNING *`,
      [input.uuid, input.description, input.consumerName, input.providerName, input.enabled, JSON.stringify(input.events), JSON.stringify(input.request)],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('webhook vanished after insert');
    return webhook(row);
  }
  async findWebhook(uuid: string): Promise<WebhookRecord | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM webhooks WHERE uuid = $1', [uuid]);
    return row === undefined ? undefined : webhook(row);
  }
  async listWebhooks(): Promise<WebhookRecord[]> {
    return (await this.db.query<Row>('SELECT * FROM webhooks ORDER BY seq')).map(webhook);
  }
  async deleteWebhook(uuid: string): Promise<boolean> {
    return (await this.db.query<Row>('DELETE FROM webhooks WHERE uuid = $1 RETURNING uuid', [uuid])).length > 0;
  }

  async addTriggeredWebhook(input: Parameters<Repository['addTriggeredWebhook']>[0]): Promise<void> {
    await this.db.query(
      'INSERT INTO triggered_webhooks (uuid, webhook_uuid, event_name, consumer_name, provider_name, variables, max_attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())',
      [input.uuid, input.webhookUuid, input.eventName, input.consumerName, input.providerName, JSON.stringify(input.variables), input.maxAttempts],
    );
  }
  async claimDueTriggeredWebhook(leaseMs: number): Promise<TriggeredWebhookRecord | undefined> {
    const [row] = await this.db.query<Row>(
      `UPDATE triggered_webhooks SET next_attempt_at = now() + ($1::double precision * interval '1 millisecond'), updated_at = now()
       WHERE uuid = (SELECT uuid FROM triggered_webhooks WHERE ${PENDING} AND next_attempt_at <= now() ORDER BY next_attempt_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [leaseMs],
    );
    return row === undefined ? undefined : triggered(row);
  }
  async nextTriggeredWebhookDueInMs(): Promise<number | undefined> {
    const [row] = await this.db.query<Row>(`SELECT EXTRACT(EPOCH FROM (MIN(next_attempt_at) - now())) * 1000 AS ms FROM triggered_webhooks WHERE ${PENDING}`);
    const ms = row?.['ms'];
    return ms === null || ms === undefined ? undefined : Math.max(0, Math.ceil(Number(ms)));
  }
  async recordWebhookAttempt(input: Parameters<Repository['recordWebhookAttempt']>[0]): Promise<void> {
    await this.db.query('INSERT INTO webhook_executions (triggered_webhook_uuid, attempt, success, logs) VALUES ($1, $2, $3, $4)', [
      input.triggeredWebhookUuid,
      input.attempt,
      input.success,
      input.logs,
    ]);
    await this.db.query(
      `UPDATE triggered_webhooks SET status = $2, attempts_made = $3, updated_at = now(),
         next_attempt_at = CASE WHEN $4::double precision IS NULL THEN NULL ELSE now() + ($4::double precision * interval '1 millisecond') END
       WHERE uuid = $1`,
      [input.triggeredWebhookUuid, input.status, input.attempt, input.retryInMs],
    );
  }
  async listTriggeredWebhooks(filter: Parameters<Repository['listTriggeredWebhooks']>[0]): Promise<TriggeredWebhookRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    for (const [column, value] of [
      ['webhook_uuid', filter.webhookUuid],
      ['consumer_name', filter.consumerName],
      ['provider_name', filter.providerName],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const rows = await this.db.query<Row>(`SELECT * FROM triggered_webhooks ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY seq`, params);
    return rows.map(triggered);
  }
  async findTriggeredWebhook(uuid: string): Promise<TriggeredWebhookRecord | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM triggered_webhooks WHERE uuid = $1', [uuid]);
    return row === undefined ? undefined : triggered(row);
  }
  async listWebhookExecutions(triggeredWebhookUuid: string): Promise<WebhookExecutionRecord[]> {
    const rows = await this.db.query<Row>('SELECT * FROM webhook_executions WHERE triggered_webhook_uuid = $1 ORDER BY id', [triggeredWebhookUuid]);
    return rows.map((row) => ({
      id: Number(row['id']),
      triggeredWebhookUuid: String(row['triggered_webhook_uuid']),
      attempt: Number(row['attempt']),
      success: row['success'] === true,
      logs: String(row['logs']),
      createdAt: iso(row['created_at']),
    }));
  }
}
