/**
 * The options every command that talks to a contract broker shares: where it is and how to log in.
 * --broker-url (or --broker) else HERALD_BROKER_URL; --broker-token else HERALD_BROKER_TOKEN, or
 * --broker-username / --broker-password (else HERALD_BROKER_USERNAME / HERALD_BROKER_PASSWORD).
 */
import type { BrokerAuth, BrokerClient } from '../broker-client/hal-client';
import type { Env } from '../report/color';
import { stringOption, usageError, type OptionTable, type ParsedOptions } from './args';

export const BROKER_CLIENT_OPTIONS = {
  'broker-url': { type: 'string' },
  broker: { type: 'string' },
  'broker-token': { type: 'string' },
  'broker-username': { type: 'string' },
  'broker-password': { type: 'string' },
  'broker-timeout': { type: 'string' },
} as const satisfies OptionTable;

export const BROKER_CLIENT_USAGE = `Broker connection:
      --broker-url <url>         The contract broker (Herald Broker or Pact Broker) root URL
                                 (alias --broker; default: HERALD_BROKER_URL)
      --broker-token <token>     Bearer token (default: HERALD_BROKER_TOKEN)
      --broker-username <name>   Basic auth user (default: HERALD_BROKER_USERNAME)
      --broker-password <pw>     Basic auth password (default: HERALD_BROKER_PASSWORD)
      --broker-timeout <ms>      Per-request timeout (default 30000); network errors and 5xx
                                 answers of reads are retried 3 times
`;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Whether the options name a broker (flag or environment). */
export function brokerUrlGiven(parsed: ParsedOptions, env: Env): boolean {
  return stringOption(parsed, 'broker-url') !== undefined || stringOption(parsed, 'broker') !== undefined || nonEmpty(env['HERALD_BROKER_URL']) !== undefined;
}

/** Where the broker is and how to log in, as the options and environment say. */
export interface BrokerConnection {
  readonly url: string;
  readonly auth: BrokerAuth | undefined;
  readonly timeoutMs: number | undefined;
}

/** The connection the options and environment describe. Throws HERALD_USAGE when no broker URL is given or it is not http(s). */
export function brokerConnectionFrom(command: string, parsed: ParsedOptions, env: Env): BrokerConnection {
  const url = stringOption(parsed, 'broker-url') ?? stringOption(parsed, 'broker') ?? nonEmpty(env['HERALD_BROKER_URL']);
  if (url === undefined) throw usageError(command, 'Missing the broker: pass --broker-url <url> or set HERALD_BROKER_URL (e.g. http://localhost:9292).');
  if (!/^https?:\/\/[^\s/]/i.test(url)) throw usageError(command, `Invalid broker URL ${JSON.stringify(url)}: give its http(s) root URL, e.g. --broker-url http://localhost:9292.`);
  const token = stringOption(parsed, 'broker-token') ?? nonEmpty(env['HERALD_BROKER_TOKEN']);
  const username = stringOption(parsed, 'broker-username') ?? nonEmpty(env['HERALD_BROKER_USERNAME']);
  const password = stringOption(parsed, 'broker-password') ?? env['HERALD_BROKER_PASSWORD'] ?? '';
  if (token !== undefined && username !== undefined)
    throw usageError(command, 'Both a broker token and a broker username are given: pass --broker-token (HERALD_BROKER_TOKEN) or --broker-username / --broker-password, not both.');
  const auth: BrokerAuth | undefined = token !== undefined ? { token } : username !== undefined ? { username, password } : undefined;
  const timeout = stringOption(parsed, 'broker-timeout');
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0))
    throw usageError(command, `Invalid --broker-timeout ${JSON.stringify(timeout)}: give a positive number of milliseconds, e.g. --broker-timeout 60000.`);
  return { url, auth, timeoutMs };
}

/** The client the options and environment describe. Throws HERALD_USAGE when no broker URL is given or it is not http(s). */
export function brokerClientFrom(command: string, parsed: ParsedOptions, env: Env): BrokerClient {
  const { url, auth, timeoutMs } = brokerConnectionFrom(command, parsed, env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: `herald verify --contracts` parses these options without a broker
  const { BrokerClient: Client } = require('../broker-client/hal-client') as typeof import('../broker-client/hal-client');
  return new Client({ url, ...(auth === undefined ? {} : { auth }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

/** A required string option, or HERALD_USAGE naming it with an example. */
export function requiredOption(command: string, parsed: ParsedOptions, name: string, example: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined || value.trim() === '') throw usageError(command, `Missing --${name}: ${example}.`);
  return value;
}
