/**
 * `herald broker`: runs the Herald Broker (src/contract-broker) until SIGINT / SIGTERM.
 * Tokens come from HERALD_BROKER_WRITE_TOKEN / HERALD_BROKER_READ_TOKEN, never from the command
 * line (where `ps` would show them).
 */
import { startContractBroker } from '../contract-broker/service';
import { parseOptions, stringOption, usageError, type OptionTable } from './args';
import type { CliIO } from './io';
import { onInterrupt, onProcessEnd } from './lifecycle';

/** The one-line summary `herald --help` lists (main.ts repeats it; a test keeps both equal). */
export const BROKER_SUMMARY = 'Run the Herald Broker: a Pact Broker-compatible contract broker (PGlite or PostgreSQL)';

export const BROKER_USAGE = `Usage: herald broker [--port N] [--host H] [--data DIR | --database URL]

Runs the Herald Broker: a contract broker speaking the Pact Broker API that the Pact CLI,
pact-js and Herald's own CLI use (publish, pacts for verification, verification results,
matrix / can-i-deploy, environments, deployments and releases).

Options:
  --port N          TCP port (default 9292; 0 picks a free one)
  --host H          interface to bind (default 127.0.0.1; another host needs a write token)
  --data DIR        keep the data in DIR with embedded PGlite (default: in memory, lost on exit)
  --database URL    keep the data in PostgreSQL (postgres://user:password@host:5432/db; needs \`pg\`)
  -h, --help        show this help

Environment:
  HERALD_BROKER_WRITE_TOKEN   Bearer token required to write (publish, verify, record deployments)
  HERALD_BROKER_READ_TOKEN    Bearer token required to read, when set
  HERALD_BROKER_WEBHOOK_HOSTS Hosts webhooks may call (ci.example.com, host:port, *.example.com;
                              comma-separated). Unset: webhooks are refused
Without tokens the broker only binds 127.0.0.1. Stops cleanly on SIGINT / SIGTERM.
`;

export const OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  data: { type: 'string' },
  database: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseOptions('herald broker', argv, OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(BROKER_USAGE);
    return 0;
  }
  const portText = stringOption(parsed, 'port') ?? '9292';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw usageError('herald broker', `--port must be a TCP port number (0 to 65535), got ${JSON.stringify(portText)}.`);
  const host = stringOption(parsed, 'host');
  const dataDir = stringOption(parsed, 'data');
  const databaseUrl = stringOption(parsed, 'database');
  if (dataDir !== undefined && databaseUrl !== undefined) throw usageError('herald broker', 'Pass either --data (embedded PGlite) or --database (PostgreSQL), not both.');
  const writeToken = io.env['HERALD_BROKER_WRITE_TOKEN'];
  const readToken = io.env['HERALD_BROKER_READ_TOKEN'];

  const broker = await startContractBroker({
    port,
    ...(host === undefined ? {} : { host }),
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(writeToken === undefined || writeToken === '' ? {} : { writeToken }),
    ...(readToken === undefined || readToken === '' ? {} : { readToken }),
    ...(io.env['HERALD_BROKER_WEBHOOK_HOSTS'] === undefined ? {} : { webhookHosts: io.env['HERALD_BROKER_WEBHOOK_HOSTS'] }),
    log: (line) => io.stderr(`${line}\n`),
  });
  const unregister = onProcessEnd('the Herald Broker', () => broker.close());
  io.stdout(`Herald Broker listening on ${broker.url} (${broker.storage}${writeToken ? ', writes need a token' : ', no tokens: loopback only'})\n`);
  await new Promise<void>((resolve) => {
    const stop = onInterrupt(() => {
      stop();
      resolve();
    });
  });
  await broker.close();
  unregister();
  io.stdout('Herald Broker stopped.\n');
  return 0;
}
