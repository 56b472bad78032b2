/** The embedded database: PGlite in a data directory, or in memory when none is given. */
import type * as NodeModule from 'node:module';
import type { SqlClient, SqlQueryable } from './sql';

interface PGliteRows {
  readonly rows: unknown[];
}
interface PGliteQueryable {
  query(sql: string, params?: unknown[]): Promise<PGliteRows>;
}
interface PGliteInstance extends PGliteQueryable {
  readonly waitReady: Promise<void>;
  transaction<T>(work: (tx: PGliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function queryable(target: PGliteQueryable): SqlQueryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await target.query(sql, [...params]);
      return result.rows as Row[];
    },
  };
}

/** Opens PGlite in `dataDir` (created when missing) or in memory. */
export async function openPGlite(dataDir: string | undefined): Promise<SqlClient> {
  // Node's own require (not a bundler's or jest's module registry): PGlite loads its parts with import(), which jest's sandbox refuses.
  const { createRequire } = process.getBuiltinModule('node:module') as unknown as typeof NodeModule;
  const { PGlite } = createRequire(__filename)('@electric-sql/pglite') as { PGlite: new (dataDir?: string) => PGliteInstance };
  const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  const direct = queryable(db);
  return {
    label: dataDir === undefined ? 'embedded PGlite (in memory)' : `embedded PGlite in ${dataDir}`,
    query: (sql, params) => direct.query(sql, params),
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: () => db.close(),
  };
}
