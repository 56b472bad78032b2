/**
 * The SQL seam between the broker and its two databases: PGlite (embedded, PostgreSQL in WASM)
 * and PostgreSQL through `pg`. Both speak the same SQL, so one schema and one repository serve both.
 */

/** Runs one statement with `$1`-style parameters and returns its rows. */
export interface SqlQueryable {
  query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface SqlClient extends SqlQueryable {
  /** Which database this is, for messages and logs (never includes credentials). */
  readonly label: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL error codes worth one more attempt: serialization failure and deadlock. */
export function isRetriableSqlError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40001' || code === '40P01';
}
