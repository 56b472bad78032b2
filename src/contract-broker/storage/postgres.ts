/** PostgreSQL through `pg` (an optional peer): a pool, one client per transaction. */
import { loadPeer } from '../../transport/peer';
import { isRetriableSqlError, type SqlClient, type SqlQueryable } from './sql';

interface PgResult {
  readonly rows: unknown[];
}
interface PgQueryable {
  query(sql: string, params?: unknown[]): Promise<PgResult>;
}
interface PgPoolClient extends PgQueryable {
  release(error?: Error | boolean): void;
}
interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
interface PgModule {
  Pool: new (config: { connectionString: string; max?: number }) => PgPool;
}

function queryable(target: PgQueryable): SqlQueryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await target.query(sql, [...params]);
      return result.rows as Row[];
    },
  };
}

/** The URL without its password, for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Connects a pool to `databaseUrl` (postgres://user@host:port/db). */
export function openPostgres(databaseUrl: string, load?: () => unknown): SqlClient {
  const pg = loadPeer<PgModule>('pg', 'the contract broker with --database (PostgreSQL storage)', load);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const direct = queryable(pool);
  return {
    label: `PostgreSQL at ${redactDatabaseUrl(databaseUrl)}`,
    query: (sql, params) => direct.query(sql, params),
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(queryable(client));
          await client.query('COMMIT');
          client.release();
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
          if (attempt < 5 && isRetriableSqlError(error)) continue;
          throw error;
        }
      }
    },
    close: () => pool.end(),
  };
}
