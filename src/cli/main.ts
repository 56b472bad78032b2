/**
 * The `herald` command line: dispatches to a command and turns errors into exit statuses.
 * Exit 0 passed, 1 verification failed, 2 usage, configuration or input error.
 * bin/herald.js calls `main`; tests call it directly with their own IO. Each command's module is
 * loaded only when that command runs, so `herald verify` and `--help` never load compare, diff,
 * AsyncAPI or Avro code (nor ajv, avsc); the summaries below are checked against the modules by a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isHeraldError } from '../errors/herald-error';
import { printable } from '../report/console';
import { closestOption, usageError } from './args';
import type { CliIO } from './io';

export type { CliIO } from './io';

interface Command {
  readonly summary: string;
  readonly usage: () => string;
  readonly run: (argv: readonly string[], io: CliIO) => Promise<number>;
}

/** A command whose module exports its usage text and `run`, loaded on first use. */
function lazy(summary: string, load: () => { readonly usage: string; readonly run: Command['run'] }): Command {
  return { summary, usage: () => load().usage, run: (argv, io) => load().run(argv, io) };
}

/* eslint-disable @typescript-eslint/no-require-imports -- require() keeps each command's module unloaded until it runs */
/** One entry per subcommand (compare, diff, asyncapi… join here). */
export const COMMANDS: Readonly<Record<string, Command>> = {
  verify: lazy("Verify a provider's messages against its consumers' contracts", () => {
    const { parseVerifyArgs, runVerify, VERIFY_USAGE } = require('./verify-command') as typeof import('./verify-command');
    return {
      usage: VERIFY_USAGE,
      run: async (argv, io) => {
        const args = parseVerifyArgs(argv, io.env);
        if (args === 'help') {
          io.stdout(VERIFY_USAGE);
          return 0;
        }
        return runVerify(args, io);
      },
    };
  }),
  compare: lazy("Compare consumers' contracts with a provider's AsyncAPI, Avro or JSON Schema spec", () => {
    const command = require('./compare-command') as typeof import('./compare-command');
    return { usage: command.COMPARE_USAGE, run: command.run };
  }),
  diff: lazy('Classify the changes between two spec versions as breaking or safe for the consumers', () => {
    const command = require('./diff-command') as typeof import('./diff-command');
    return { usage: command.DIFF_USAGE, run: command.run };
  }),
  asyncapi: lazy('Export an AsyncAPI 3.0 document of what the consumers require of a provider', () => {
    const command = require('./asyncapi-command') as typeof import('./asyncapi-command');
    return { usage: command.ASYNCAPI_USAGE, run: command.run };
  }),
  broker: lazy('Run the Herald Broker: a Pact Broker-compatible contract broker (PGlite or PostgreSQL)', () => {
    const command = require('./broker-command') as typeof import('./broker-command');
    return { usage: command.BROKER_USAGE, run: command.run };
  }),
  'contract-test': lazy('Start the provider versions a change affects on a fresh broker and verify them against the deployed contracts', () => {
    const command = require('./contract-test-command') as typeof import('./contract-test-command');
    return { usage: command.CONTRACT_TEST_USAGE, run: (argv, io) => command.run(argv, io) };
  }),
  publish: lazy('Publish contracts to a contract broker (Herald Broker or Pact Broker)', () => {
    const command = require('./publish-command') as typeof import('./publish-command');
    return { usage: command.PUBLISH_USAGE, run: command.run };
  }),
  'can-i-deploy': lazy('Ask the contract broker whether a version can be deployed', () => {
    const command = require('./can-i-deploy-command') as typeof import('./can-i-deploy-command');
    return { usage: command.CAN_I_DEPLOY_USAGE, run: command.run };
  }),
  'record-deployment': lazy('Record on the contract broker that a version was deployed to an environment', () => {
    const command = require('./record-command') as typeof import('./record-command');
    return { usage: command.RECORD_DEPLOYMENT_USAGE, run: command.runRecordDeployment };
  }),
  'record-release': lazy('Record on the contract broker that a version was released in an environment', () => {
    const command = require('./record-command') as typeof import('./record-command');
    return { usage: command.RECORD_RELEASE_USAGE, run: command.runRecordRelease };
  }),
  environments: lazy("List or create the contract broker's environments", () => {
    const command = require('./environments-command') as typeof import('./environments-command');
    return { usage: command.ENVIRONMENTS_USAGE, run: command.run };
  }),
  'create-webhook': lazy('Create a webhook on the contract broker (the Pact CLI options)', () => {
    const command = require('./webhook-command') as typeof import('./webhook-command');
    return { usage: command.CREATE_WEBHOOK_USAGE, run: command.run };
  }),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Herald's version, from its package.json: the nearest one above this module (src/cli/ in the repository, dist/cli/ when installed). */
export function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string' ? json.version : 'unknown';
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const commands = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `herald ${version()}: contract testing for Kafka and AMQP messages (Pact V4 contract files)

Usage:
  herald <command> [options]
  herald --help | --version

Commands:
${commands.join('\n')}

Run "herald <command> --help" for a command's options.
`;
}

/** Renders an error for stderr: the code and one paragraph (Herald's messages say what, where and the fix); unknown errors are Herald bugs. */
function describeError(error: unknown): string {
  if (isHeraldError(error)) {
    return `Error ${error.code}: ${printable(error.message)}\n`;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `Error: Herald crashed. This is a bug in Herald; please report it with this output.\n${detail}\n`;
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves with the exit status.
 *
 * @example process.exitCode = await main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), env: process.env });
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr(usage());
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic !== undefined && Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
      io.stdout(command?.usage() ?? usage());
      return 0;
    }
    if (first === '--version' || first === '-v' || first === '-V') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (command === undefined) {
      const what = first.startsWith('-') ? `Unknown option ${first}` : `Unknown command ${JSON.stringify(first)}`;
      const guess = first.startsWith('-') ? undefined : closestOption(first, Object.keys(COMMANDS));
      throw usageError('herald', `${what}:${guess === undefined ? '' : ` did you mean "${guess}"?`} the commands are ${Object.keys(COMMANDS).join(', ')}.`);
    }
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(describeError(error));
    return 2;
  }
}
