/**
 * `herald can-i-deploy --pacticipant P --version V [--to-environment E]`: asks the broker's matrix
 * and prints the table and the reason. Exit 0 deployable, 1 not deployable or unknown, 2 error.
 */
import { canIDeploy, formatCanIDeploy } from '../broker-client/can-i-deploy';
import { parseOptions, stringOption, usageError, type OptionTable } from './args';
import { BROKER_CLIENT_OPTIONS, BROKER_CLIENT_USAGE, brokerClientFrom, requiredOption } from './broker-client-options';
import type { CliIO } from './io';

const COMMAND = 'herald can-i-deploy';

export const CAN_I_DEPLOY_SUMMARY = 'Ask the contract broker whether a version can be deployed';

export const CAN_I_DEPLOY_OPTIONS = {
  pacticipant: { type: 'string', short: 'a' },
  version: { type: 'string', short: 'e' },
  'to-environment': { type: 'string' },
  'retry-while-unknown': { type: 'string' },
  'retry-interval': { type: 'string' },
  reporter: { type: 'string', short: 'r' },
  help: { type: 'boolean', short: 'h' },
  ...BROKER_CLIENT_OPTIONS,
} as const satisfies OptionTable;

export const CAN_I_DEPLOY_USAGE = `Usage: herald can-i-deploy --pacticipant <name> --version <version> [--to-environment <env>] [options]

Asks the broker whether a version can be deployed: every consumer and provider it integrates with
(in the environment, with --to-environment) must have a successful verification with it.

Options:
  -a, --pacticipant <name>       The application to deploy (required)
  -e, --version <version>        Its version (required)
      --to-environment <env>     The environment to deploy to (default: against the latest versions)
      --retry-while-unknown <n>  While a needed verification is missing, ask again up to n times
      --retry-interval <s>       Seconds between those attempts (default 10)
  -r, --reporter <name>          console | json (default: console)
  -h, --help                     Show this help

${BROKER_CLIENT_USAGE}
Exit status: 0 can be deployed, 1 cannot be deployed or unknown (a verification is missing),
2 usage or broker error.

Example:
  herald can-i-deploy --pacticipant billing --version $(git rev-parse HEAD) --to-environment production
`;

function count(name: string, value: string | undefined, example: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usageError(COMMAND, `Invalid --${name} ${JSON.stringify(value)}: give a whole number, e.g. --${name} ${example}.`);
  return n;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseOptions(COMMAND, argv, CAN_I_DEPLOY_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(CAN_I_DEPLOY_USAGE);
    return 0;
  }
  const pacticipant = requiredOption(COMMAND, parsed, 'pacticipant', 'name the application to deploy, e.g. --pacticipant billing');
  const version = requiredOption(COMMAND, parsed, 'version', 'give the version to deploy, e.g. --version $(git rev-parse HEAD)');
  const reporter = stringOption(parsed, 'reporter') ?? 'console';
  if (reporter !== 'console' && reporter !== 'json') throw usageError(COMMAND, `Unknown reporter ${JSON.stringify(reporter)}: use console or json.`);
  const retryWhileUnknown = count('retry-while-unknown', stringOption(parsed, 'retry-while-unknown'), '12');
  const retryIntervalSeconds = count('retry-interval', stringOption(parsed, 'retry-interval'), '10');
  const toEnvironment = stringOption(parsed, 'to-environment');
  const client = brokerClientFrom(COMMAND, parsed, io.env);
  const options = {
    pacticipant,
    version,
    ...(toEnvironment === undefined ? {} : { toEnvironment }),
    ...(retryWhileUnknown === undefined ? {} : { retryWhileUnknown }),
    ...(retryIntervalSeconds === undefined ? {} : { retryIntervalSeconds }),
  };
  const result = await canIDeploy(client, options);
  io.stdout(
    reporter === 'json'
      ? `${JSON.stringify({ summary: { deployable: result.deployable, reason: result.reason }, matrix: result.rows, notices: result.notices }, null, 2)}\n`
      : formatCanIDeploy(result, options),
  );
  return result.deployable === true ? 0 : 1;
}
