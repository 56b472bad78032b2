/**
 * `herald record-deployment` / `herald record-release --pacticipant P --version V --environment E`:
 * tells the broker what runs where (can-i-deploy --to-environment and deployedOrReleased selectors
 * read it). Exit 0 recorded, 2 usage or broker error.
 */
import { recordInEnvironment, type RecordKind } from '../broker-client/environments';
import { parseOptions, stringOption, type OptionTable } from './args';
import { BROKER_CLIENT_OPTIONS, BROKER_CLIENT_USAGE, brokerClientFrom, requiredOption } from './broker-client-options';
import type { CliIO } from './io';

export const RECORD_DEPLOYMENT_SUMMARY = 'Record on the contract broker that a version was deployed to an environment';
export const RECORD_RELEASE_SUMMARY = 'Record on the contract broker that a version was released in an environment';

export const RECORD_OPTIONS = {
  pacticipant: { type: 'string', short: 'a' },
  version: { type: 'string', short: 'e' },
  environment: { type: 'string' },
  'application-instance': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...BROKER_CLIENT_OPTIONS,
} as const satisfies OptionTable;

export function recordUsage(kind: RecordKind): string {
  const command = kind === 'deployment' ? 'record-deployment' : 'record-release';
  return `Usage: herald ${command} --pacticipant <name> --version <version> --environment <env> [options]

Records that a version ${kind === 'deployment' ? 'was deployed to' : 'was released in'} an environment (the environment must exist:
herald environments create). ${kind === 'deployment' ? 'A deployment replaces the version deployed before it (per application instance).' : 'Releases add up: several released versions can be supported at once (mobile apps, libraries).'}

Options:
  -a, --pacticipant <name>       The application (required)
  -e, --version <version>        Its version (required)
      --environment <env>        The environment name (required)
${kind === 'deployment' ? '      --application-instance <id> For several instances of one application in an environment\n' : ''}  -h, --help                     Show this help

${BROKER_CLIENT_USAGE}
Exit status: 0 recorded, 2 usage or broker error (unknown version or environment, credentials).
`;
}

export const RECORD_DEPLOYMENT_USAGE = recordUsage('deployment');
export const RECORD_RELEASE_USAGE = recordUsage('release');

export async function runRecord(kind: RecordKind, argv: readonly string[], io: CliIO): Promise<number> {
  const command = `herald ${kind === 'deployment' ? 'record-deployment' : 'record-release'}`;
  const parsed = parseOptions(command, argv, RECORD_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(recordUsage(kind));
    return 0;
  }
  const pacticipant = requiredOption(command, parsed, 'pacticipant', 'name the application, e.g. --pacticipant billing');
  const version = requiredOption(command, parsed, 'version', 'give its version, e.g. --version $(git rev-parse HEAD)');
  const environment = requiredOption(command, parsed, 'environment', 'name the environment, e.g. --environment production');
  const applicationInstance = kind === 'deployment' ? stringOption(parsed, 'application-instance') : undefined;
  const client = brokerClientFrom(command, parsed, io.env);
  await recordInEnvironment(client, kind, { pacticipant, version, environment, ...(applicationInstance === undefined ? {} : { applicationInstance }) });
  io.stdout(`Recorded ${kind} of ${pacticipant} ${version} ${kind === 'deployment' ? 'to' : 'in'} ${environment} on ${client.url}.\n`);
  return 0;
}

export const runRecordDeployment = (argv: readonly string[], io: CliIO): Promise<number> => runRecord('deployment', argv, io);
export const runRecordRelease = (argv: readonly string[], io: CliIO): Promise<number> => runRecord('release', argv, io);
