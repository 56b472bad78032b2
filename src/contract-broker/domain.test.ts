/** The broker's repository and domain suite on embedded PGlite (in memory, one database for the file). */
import { describeBrokerDomain, type SuiteStore } from './__fixtures__/domain-suite';
import { describeWebhookDomain } from './__fixtures__/webhook-suite';
import { migrate } from './storage/migrations';
import { openPGlite } from './storage/pglite';
import type { SqlClient } from './storage/sql';

jest.setTimeout(60_000);

let db: SqlClient;
beforeAll(async () => {
  db = await openPGlite(undefined);
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

const store: SuiteStore = {
  shared: () => db,
  fresh: () => openPGlite(undefined),
  // PGlite is one connection per database: the "second process" shares it (the PostgreSQL run uses a real second pool).
  second: async () => ({ ...db, close: async () => undefined }),
};

describeBrokerDomain('embedded PGlite', store);
describeWebhookDomain('embedded PGlite', store);
