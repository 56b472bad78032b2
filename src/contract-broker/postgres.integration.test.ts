/**
 * The broker's repository and domain suite on the native PostgreSQL (127.0.0.1:5432, trust auth;
 * HERALD_TEST_POSTGRES_URL overrides). Each run creates its own databases and drops them after.
 */
import { randomUUID } from 'node:crypto';
import { describeBrokerDomain, type SuiteStore } from './__fixtures__/domain-suite';
import { describeWebhookDomain } from './__fixtures__/webhook-suite';
import { migrate } from './storage/migrations';
import { openPostgres } from './storage/postgres';
import type { SqlClient } from './storage/sql';

jest.setTimeout(60_000);

const server = process.env['HERALD_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = openPostgres(server);
const created: string[] = [];

async function createDatabase(): Promise<string> {
  const name = `herald_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

let sharedUrl: string;
let db: SqlClient;
beforeAll(async () => {
  sharedUrl = await createDatabase();
  db = openPostgres(sharedUrl);
  await migrate(db);
});
afterAll(async () => {
  await db.close();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.close();
});

const store: SuiteStore = {
  shared: () => db,
  fresh: async () => openPostgres(await createDatabase()),
  second: async () => openPostgres(sharedUrl),
};

describeBrokerDomain('PostgreSQL', store);
describeWebhookDomain('PostgreSQL', store);
