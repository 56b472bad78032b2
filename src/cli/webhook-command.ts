/**
 * `herald create-webhook <url> [options]`: creates a webhook on the contract broker, with the Pact
 * CLI's option names (`--request`, `--header`, `--data`, `--user`, `--consumer`, `--provider`,
 * `--description`, one flag per event, `--uuid` to create or update by uuid).
 */
import { saveWebhook, type WebhookDefinition } from '../broker-client/webhooks';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable } from './args';
import { BROKER_CLIENT_OPTIONS, BROKER_CLIENT_USAGE, brokerClientFrom } from './broker-client-options';
import type { CliIO } from './io';

const COMMAND = 'herald create-webhook';

const EVENT_FLAGS = {
  'contract-published': 'contract_published',
  'contract-content-changed': 'contract_content_changed',
  'contract-requiring-verification-published': 'contract_requiring_verification_published',
  'provider-verification-published': 'provider_verification_published',
  'provider-verification-succeeded': 'provider_verification_succeeded',
  'provider-verification-failed': 'provider_verification_failed',
} as const;

export const CREATE_WEBHOOK_SUMMARY = 'Create a webhook on the contract broker (the Pact CLI options)';

export const CREATE_WEBHOOK_OPTIONS = {
  url: { type: 'string' },
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', greedy: true },
  data: { type: 'string', short: 'd' },
  user: { type: 'string' },
  consumer: { type: 'string' },
  provider: { type: 'string' },
  description: { type: 'string' },
  uuid: { type: 'string' },
  disabled: { type: 'boolean' },
  'contract-published': { type: 'boolean' },
  'contract-content-changed': { type: 'boolean' },
  'contract-requiring-verification-published': { type: 'boolean' },
  'provider-verification-published': { type: 'boolean' },
  'provider-verification-succeeded': { type: 'boolean' },
  'provider-verification-failed': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...BROKER_CLIENT_OPTIONS,
} as const satisfies OptionTable;

export const CREATE_WEBHOOK_USAGE = `Usage: herald create-webhook <url> [options]

Creates a webhook on the contract broker (the Pact CLI's create-webhook options). The URL, header
values and body may use \${pactbroker.*} variables (pactUrl, consumerName, consumerVersionNumber,
consumerVersionBranch, providerVersionNumber, githubVerificationStatus, ...: docs/broker.md).

Options:
  -X, --request <method>         HTTP method (default POST)
  -H, --header <"Name: value">   Header(s); several may follow one --header
  -d, --data <body>              Request body (JSON is sent as JSON)
      --user <name:password>     Basic auth for the target
      --consumer <name>          Only for this consumer (default: every consumer)
      --provider <name>          Only for this provider (default: every provider)
      --description <text>       What the webhook is for
      --uuid <uuid>              Create or update the webhook with this uuid (create-or-update-webhook)
      --disabled                 Store it disabled
  Events (at least one):
      --contract-published  --contract-content-changed  --contract-requiring-verification-published
      --provider-verification-published  --provider-verification-succeeded  --provider-verification-failed
  -h, --help                     Show this help

${BROKER_CLIENT_USAGE}
The Herald Broker calls only the hosts in its HERALD_BROKER_WEBHOOK_HOSTS.
Exit status: 0 created, 2 usage or broker error.
`;

function header(line: string): [string, string] {
  const match = /^([^:]+):\s*(.*)$/.exec(line);
  if (match === null) throw usageError(COMMAND, `Invalid --header ${JSON.stringify(line)}: write "Name: value", e.g. --header "Content-Type: application/json".`);
  return [match[1]?.trim() ?? '', match[2] ?? ''];
}

function body(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  const positional = first !== undefined && !first.startsWith('-') ? first : undefined;
  const parsed = parseOptions(COMMAND, positional === undefined ? argv : rest, CREATE_WEBHOOK_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(CREATE_WEBHOOK_USAGE);
    return 0;
  }
  const url = positional ?? stringOption(parsed, 'url');
  if (url === undefined) throw usageError(COMMAND, 'Missing the webhook URL: herald create-webhook https://ci.example.com/build --contract-content-changed.');
  const events = Object.entries(EVENT_FLAGS)
    .filter(([flag]) => parsed.flags.has(flag))
    .map(([, event]) => event);
  if (events.length === 0)
    throw usageError(
      COMMAND,
      `Name at least one event: ${Object.keys(EVENT_FLAGS)
        .map((flag) => `--${flag}`)
        .join(', ')}.`,
    );
  const user = stringOption(parsed, 'user');
  const separator = user?.indexOf(':') ?? -1;
  const data = body(stringOption(parsed, 'data'));
  const [description, consumer, provider] = [stringOption(parsed, 'description'), stringOption(parsed, 'consumer'), stringOption(parsed, 'provider')];
  const definition: WebhookDefinition = {
    events,
    ...(description === undefined ? {} : { description }),
    ...(consumer === undefined ? {} : { consumer }),
    ...(provider === undefined ? {} : { provider }),
    ...(parsed.flags.has('disabled') ? { enabled: false } : {}),
    request: {
      method: (stringOption(parsed, 'request') ?? 'POST').toUpperCase(),
      url,
      headers: Object.fromEntries(stringOptions(parsed, 'header').map(header)),
      ...(data === undefined ? {} : { body: data }),
      ...(user === undefined ? {} : separator < 0 ? { username: user } : { username: user.slice(0, separator), password: user.slice(separator + 1) }),
    },
  };
  const client = brokerClientFrom(COMMAND, parsed, io.env);
  const uuid = stringOption(parsed, 'uuid');
  const saved = await saveWebhook(client, definition, uuid);
  io.stdout(
    `Webhook ${saved.uuid ?? ''} saved on ${client.url}: ${events.join(', ')}${consumer === undefined ? '' : ` for consumer ${consumer}`}${provider === undefined ? '' : ` and provider ${provider}`}.\n`,
  );
  return 0;
}
