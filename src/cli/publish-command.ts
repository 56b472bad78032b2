/**
 * `herald publish <dir|files>... --consumer-app-version V [--branch B] [--tag T]`: publishes the
 * contracts to a broker, one `POST /contracts/publish` per consumer, and prints the broker's notices.
 * Exit 0 published, 2 usage, input or broker error.
 */
import { publishContracts, readContractsToPublish } from '../broker-client/publish';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable } from './args';
import { BROKER_CLIENT_OPTIONS, BROKER_CLIENT_USAGE, brokerClientFrom, requiredOption } from './broker-client-options';
import type { CliIO } from './io';
import path from 'node:path';

const COMMAND = 'herald publish';

export const PUBLISH_SUMMARY = 'Publish contracts to a contract broker (Herald Broker or Pact Broker)';

export const PUBLISH_OPTIONS = {
  contracts: { type: 'string', short: 'c', greedy: true },
  'consumer-app-version': { type: 'string' },
  branch: { type: 'string' },
  tag: { type: 'string', multiple: true },
  'build-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...BROKER_CLIENT_OPTIONS,
} as const satisfies OptionTable;

export const PUBLISH_USAGE = `Usage: herald publish <dir|files>... --consumer-app-version <version> --branch <branch> [options]

Publishes contract files to a contract broker (Herald Broker or Pact Broker): every contract of a
consumer in one request (POST /contracts/publish), with the consumer version, its branch and tags.
The files are sent byte for byte, after Herald checked that each one reads as a contract.

Options:
  -c, --contracts <dir|files>... The contracts (also accepted as the first arguments)
      --consumer-app-version <v> The consumer version the contracts belong to (required; e.g. the git sha)
      --branch <name>            The consumer version's branch (recommended: pending pacts and
                                 selectors such as mainBranch work by branch)
      --tag <name>               Tag the version (repeatable; branches replace most tag uses)
      --build-url <url>          The CI build that published
  -h, --help                     Show this help

${BROKER_CLIENT_USAGE}
Exit status: 0 published, 2 usage, contract or broker error (unreachable, credentials refused).

Example:
  herald publish contracts/ --consumer-app-version $(git rev-parse HEAD) --branch $(git branch --show-current)
`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const positional: string[] = [];
  let rest = [...argv];
  while (rest.length > 0 && !(rest[0] ?? '').startsWith('-')) {
    positional.push(rest[0] as string);
    rest = rest.slice(1);
  }
  const parsed = parseOptions(COMMAND, rest, PUBLISH_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(PUBLISH_USAGE);
    return 0;
  }
  const paths = [...positional, ...stringOptions(parsed, 'contracts')];
  if (paths.length === 0) throw usageError(COMMAND, 'Missing the contracts: name the directory or files to publish (e.g. herald publish contracts/ --consumer-app-version 1.2.3).');
  const consumerVersion = requiredOption(COMMAND, parsed, 'consumer-app-version', 'give the consumer version the contracts belong to, e.g. --consumer-app-version $(git rev-parse HEAD)');
  const client = brokerClientFrom(COMMAND, parsed, io.env);
  const cwd = io.cwd ?? process.cwd();
  const contracts = await readContractsToPublish(paths.map((p) => path.resolve(cwd, p)));
  const branch = stringOption(parsed, 'branch');
  const buildUrl = stringOption(parsed, 'build-url');
  const results = await publishContracts(client, contracts, {
    consumerVersion,
    ...(branch === undefined ? {} : { branch }),
    tags: stringOptions(parsed, 'tag'),
    ...(buildUrl === undefined ? {} : { buildUrl }),
  });
  for (const result of results) {
    io.stdout(
      `Published ${result.contracts.length} contract${result.contracts.length === 1 ? '' : 's'} of ${result.consumer} ${consumerVersion}${branch === undefined ? '' : ` (branch ${branch})`} to ${client.url}: ${result.contracts.map((c) => c.provider).join(', ')}\n`,
    );
    for (const notice of result.notices) io.stdout(`  ${notice.type === 'warning' || notice.type === 'error' ? `${notice.type}: ` : ''}${notice.text}\n`);
  }
  if (branch === undefined) io.stderr('Note: no --branch given; give the consumer version its branch so that pending pacts and mainBranch selectors work.\n');
  return 0;
}
