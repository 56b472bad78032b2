/**
 * `herald environments [list]` / `herald environments create --name N [--production]`: the
 * broker's environments (where record-deployment and can-i-deploy --to-environment point).
 */
import { createEnvironment, listEnvironments } from '../broker-client/environments';
import { parseOptions, stringOption, usageError, type OptionTable } from './args';
import { BROKER_CLIENT_OPTIONS, BROKER_CLIENT_USAGE, brokerClientFrom, requiredOption } from './broker-client-options';
import type { CliIO } from './io';

const COMMAND = 'herald environments';

export const ENVIRONMENTS_SUMMARY = "List or create the contract broker's environments";

export const ENVIRONMENTS_OPTIONS = {
  name: { type: 'string' },
  'display-name': { type: 'string' },
  production: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...BROKER_CLIENT_OPTIONS,
} as const satisfies OptionTable;

export const ENVIRONMENTS_USAGE = `Usage: herald environments [list] [options]
       herald environments create --name <name> [--display-name <text>] [--production] [options]

Lists the broker's environments, or creates one.

Options:
      --name <name>              The environment's name (create; e.g. production, test)
      --display-name <text>      A longer name for people
      --production               Mark it as a production environment
  -h, --help                     Show this help

${BROKER_CLIENT_USAGE}
Exit status: 0 done, 2 usage or broker error.
`;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...others] = argv;
  const action = first === undefined || first.startsWith('-') ? 'list' : first;
  const rest = first === undefined || first.startsWith('-') ? argv : others;
  if (action !== 'list' && action !== 'create') throw usageError(COMMAND, `Unknown action ${JSON.stringify(action)}: use "herald environments list" or "herald environments create --name <name>".`);
  const parsed = parseOptions(COMMAND, rest, ENVIRONMENTS_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(ENVIRONMENTS_USAGE);
    return 0;
  }
  const client = brokerClientFrom(COMMAND, parsed, io.env);
  if (action === 'create') {
    const name = requiredOption(COMMAND, parsed, 'name', 'name the environment, e.g. --name production');
    const displayName = stringOption(parsed, 'display-name');
    const created = await createEnvironment(client, { name, production: parsed.flags.has('production'), ...(displayName === undefined ? {} : { displayName }) });
    io.stdout(`Created environment ${created.name}${created.production ? ' (production)' : ''} on ${client.url}${created.uuid === undefined ? '' : `, uuid ${created.uuid}`}.\n`);
    return 0;
  }
  if (parsed.strings.has('name') || parsed.flags.has('production')) throw usageError(COMMAND, '--name and --production are for "herald environments create".');
  const environments = await listEnvironments(client);
  if (environments.length === 0) io.stdout(`No environments on ${client.url}. Create one: herald environments create --name production --production\n`);
  for (const e of environments) io.stdout(`${e.name}${e.production ? ' (production)' : ''}${e.displayName !== undefined && e.displayName !== e.name ? `  ${e.displayName}` : ''}\n`);
  return 0;
}
