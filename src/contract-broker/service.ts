/**
 * startContractBroker: the Herald Broker as a started, disposable service. Opens the store
 * (PostgreSQL with `databaseUrl`, else embedded PGlite in `dataDir`, else PGlite in memory),
 * applies pending migrations, and serves the Pact Broker API subset on node:http.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeraldError, isHeraldError } from '../errors/herald-error';
import { brokerRoutes } from './http/routes';
import { requestHandler } from './http/server';
import { migrate } from './storage/migrations';
import { openPGlite } from './storage/pglite';
import { openPostgres, redactDatabaseUrl } from './storage/postgres';
import type { Repository } from './storage/repository';
import type { SqlClient } from './storage/sql';
import { sqlRepository } from './storage/sql-repository';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { parseWebhookHosts } from './webhooks/hosts';

export interface ContractBrokerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; default 127.0.0.1. Another host needs a write token. */
  readonly host?: string;
  /** PGlite data directory (created when missing); without it and without databaseUrl, an in-memory database. */
  readonly dataDir?: string;
  /** postgres://user:password@host:port/database: PostgreSQL storage (needs the `pg` package). */
  readonly databaseUrl?: string;
  /** Bearer token required for writes (and accepted for reads). Default: HERALD_BROKER_WRITE_TOKEN is not read here; the CLI passes it. */
  readonly writeToken?: string;
  /** Bearer token required for reads when set. */
  readonly readToken?: string;
  /** Largest accepted request body in bytes; default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** One line per request and per failure (no headers, no tokens). Default: silent. */
  readonly log?: (line: string) => void;
  /**
   * Hosts webhooks may call (the CLI passes HERALD_BROKER_WEBHOOK_HOSTS): `ci.example.com`,
   * `ci.example.com:8443`, `*.example.com`, comma- or space-separated. None (the default): webhooks are refused.
   */
  readonly webhookHosts?: string | readonly string[];
  /** Per delivery attempt; default 10 s. */
  readonly webhookTimeoutMs?: number;
  /** Waits before each retry of a failed delivery; default Pact Broker's 10 s, 1, 2, 5, 10, 20 min. */
  readonly webhookRetryDelaysMs?: readonly number[];
}

export interface StartedContractBroker extends AsyncDisposable {
  /** http://host:port, no trailing slash: what Pact clients take as the broker URL. */
  readonly url: string;
  readonly port: number;
  /** Which database it runs on (no credentials). */
  readonly storage: string;
  /** Stops listening, ends open connections and closes the database. Idempotent. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function configError(message: string): HeraldError {
  return new HeraldError('HERALD_CONTRACT_BROKER_CONFIG', message);
}

function checkOptions(options: ContractBrokerOptions): { host: string; port: number } {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw configError(`Failed to start the contract broker: port ${String(port)} is not a TCP port. Pass 0 to 65535 (0 picks a free port).`);
  const writeToken = options.writeToken === '' ? undefined : options.writeToken;
  const readToken = options.readToken === '' ? undefined : options.readToken;
  if (readToken !== undefined && writeToken === undefined) {
    throw configError('Failed to start the contract broker: a read token is set without a write token, so nobody could publish. Set HERALD_BROKER_WRITE_TOKEN too.');
  }
  if (writeToken === undefined && !LOOPBACK.has(host)) {
    throw configError(
      `Failed to start the contract broker: refusing to listen on ${host} without a token, which would let anyone on the network publish contracts and verification results. Set HERALD_BROKER_WRITE_TOKEN (and HERALD_BROKER_READ_TOKEN to protect reads), or bind 127.0.0.1.`,
    );
  }
  if (options.databaseUrl !== undefined && options.dataDir !== undefined) {
    throw configError('Failed to start the contract broker: both a PostgreSQL database URL and a PGlite data directory were given. Pass one of --database and --data.');
  }
  if (options.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw configError(`Failed to start the contract broker: ${redactDatabaseUrl(options.databaseUrl)} is not a PostgreSQL URL. Use postgres://user:password@host:5432/database.`);
  }
  return { host, port };
}

/** Opens and migrates the store the options name. */
export async function openBrokerStore(options: Pick<ContractBrokerOptions, 'dataDir' | 'databaseUrl'>): Promise<{ db: SqlClient; repository: Repository }> {
  let db: SqlClient | undefined;
  try {
    db = options.databaseUrl !== undefined ? openPostgres(options.databaseUrl) : await openPGlite(options.dataDir);
    await migrate(db);
    return { db, repository: sqlRepository(db) };
  } catch (error) {
    await db?.close().catch(() => undefined);
    if (isHeraldError(error)) throw error;
    const where =
      options.databaseUrl !== undefined
        ? `PostgreSQL at ${redactDatabaseUrl(options.databaseUrl)}`
        : options.dataDir !== undefined
          ? `the PGlite data directory ${options.dataDir}`
          : 'an in-memory PGlite database';
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError(
      'HERALD_CONTRACT_BROKER_STORAGE',
      `Failed to open ${where}: ${reason}. Check that the database is running and reachable with these credentials, or that the directory is writable and not in use by another broker.`,
      { cause: error },
    );
  }
}

/**
 * Starts the Herald Broker.
 *
 * @example
 * await using broker = await startContractBroker({ dataDir: './broker-data' });
 * // pact-broker publish ./pacts --broker-base-url $BROKER --consumer-app-version 1.0.0 --branch main
 * console.log(broker.url);
 */
export async function startContractBroker(options: ContractBrokerOptions = {}): Promise<StartedContractBroker> {
  const { host, port } = checkOptions(options);
  const writeToken = options.writeToken === '' ? undefined : options.writeToken;
  const readToken = options.readToken === '' ? undefined : options.readToken;
  const log = options.log ?? (() => undefined);
  const { db, repository } = await openBrokerStore(options);
  const hosts = parseWebhookHosts(options.webhookHosts);
  const dispatcher = new WebhookDispatcher(repository, {
    hosts,
    log,
    ...(options.webhookTimeoutMs === undefined ? {} : { timeoutMs: options.webhookTimeoutMs }),
    ...(options.webhookRetryDelaysMs === undefined ? {} : { retryDelaysMs: options.webhookRetryDelaysMs }),
  });
  const webhooks = { hosts, maxAttempts: dispatcher.maxAttempts, timeoutMs: dispatcher.timeoutMs, wake: () => dispatcher.wake() };
  let url = '';
  const server: Server = createServer(
    requestHandler(brokerRoutes(repository, webhooks), { writeToken, readToken, maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024, log, fallbackBase: () => url }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await dispatcher.close();
    await db.close().catch(() => undefined);
    throw configError(`Failed to start the contract broker on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}. Pick another port (0 for any free one).`);
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${address.port}`;
  // Deliveries left by a previous run (or another process) start now.
  dispatcher.wake();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dispatcher.close();
      await db.close();
    })();
    return closing;
  };
  return { url, port: address.port, storage: db.label, close, [Symbol.asyncDispose]: close };
}
