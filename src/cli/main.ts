/**
 * The `herald` command line: dispatches to a command and turns errors into exit statuses.
 * Exit 0 passed, 1 verification failed, 2 usage, configuration or input error.
 * bin/herald.js registers tsx and calls `main`; tests call it directly with their own IO.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isHeraldError } from '../errors/herald-error';
import { printable } from '../report/console';
import { usageError } from './args';
import type { CliIO } from './io';
import { parseVerifyArgs, runVerify, VERIFY_USAGE } from './verify-command';
import * as asyncapiCommand from './asyncapi-command';
import * as compareCommand from './compare-command';
import * as diffCommand from './diff-command';

export type { CliIO } from './io';

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly run: (argv: readonly string[], io: CliIO) => Promise<number>;
}

/** One entry per subcommand (compare, diff, asyncapi… join here). */
const COMMANDS: Readonly<Record<string, Command>> = {
  verify: {
    summary: "Verify a provider's messages against its consumers' contracts",
    usage: VERIFY_USAGE,
    run: async (argv, io) => {
      const args = parseVerifyArgs(argv);
      if (args === 'help') {
        io.stdout(VERIFY_USAGE);
        return 0;
      }
      return runVerify(args, io);
    },
  },
  compare: { summary: compareCommand.COMPARE_SUMMARY, usage: compareCommand.COMPARE_USAGE, run: compareCommand.run },
  diff: { summary: diffCommand.DIFF_SUMMARY, usage: diffCommand.DIFF_USAGE, run: diffCommand.run },
  asyncapi: { summary: asyncapiCommand.ASYNCAPI_SUMMARY, usage: asyncapiCommand.ASYNCAPI_USAGE, run: asyncapiCommand.run },
};

/** Herald's version, from its package.json. */
export function version(): string {
  const json: unknown = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  return typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string' ? json.version : 'unknown';
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
      io.stdout(command?.usage ?? usage());
      return 0;
    }
    if (first === '--version' || first === '-v' || first === '-V') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (command === undefined) {
      const what = first.startsWith('-') ? `Unknown option ${first}` : `Unknown command ${JSON.stringify(first)}`;
      throw usageError('herald', `${what}: the commands are ${Object.keys(COMMANDS).join(', ')}.`);
    }
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(describeError(error));
    return 2;
  }
}

