/**
 * `herald asyncapi --contracts … --provider <name>`: the AsyncAPI 3.0 document of what the
 * consumers require of a provider, derived from their contracts. Exit 0 written, 2 usage or input error.
 */
import { contractsToAsyncApi } from '../compare/asyncapi-export';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable } from './args';
import { loadContractsFor, resolveAll } from './compare-command';
import type { CliIO } from './io';
import { writeFileAtomic } from './output';

const COMMAND = 'herald asyncapi';

export const ASYNCAPI_SUMMARY = 'Export an AsyncAPI 3.0 document of what the consumers require of a provider';

export const ASYNCAPI_OPTIONS = {
  contracts: { type: 'string', short: 'c', greedy: true },
  provider: { type: 'string', short: 'p' },
  output: { type: 'string', short: 'o' },
  version: { type: 'string' },
  'used-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export const ASYNCAPI_USAGE = `Usage: herald asyncapi --contracts <file|dir>... --provider <name> [options]

Writes an AsyncAPI 3.0 document (JSON, which is also valid YAML) of what the consumers' contracts
require of a provider: a channel per Kafka topic or AMQP exchange and routing key (with bindings),
a send operation per message, and each message's headers, Kafka key and payload as JSON Schemas
derived from the matchers. Every declared field is required; messages several consumers declare
are merged, and each message lists its consumers (x-herald-consumers).

Options:
  -c, --contracts <file|dir>...  Contract files, or directories of *.json contracts (required)
  -p, --provider <name>          The provider (required unless the contracts name only one)
  -o, --output <file>            Write the document to <file> (default: stdout)
      --version <version>        info.version of the document (default 0.0.0)
      --used-only                Leave out fields no consumer's handler reads (herald.usage)
  -h, --help                     Show this help

Exit status: 0 written, 2 usage or input error.

Example:
  herald asyncapi --contracts contracts/ --provider contractors --output docs/contractors.required.asyncapi.json
`;

/** Runs `herald asyncapi`; resolves with the exit status (errors propagate to `main`). */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseOptions(COMMAND, argv, ASYNCAPI_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(ASYNCAPI_USAGE);
    return 0;
  }
  const contractPaths = stringOptions(parsed, 'contracts');
  if (contractPaths.length === 0) throw usageError(COMMAND, 'Missing --contracts: name the contract files or directories (e.g. --contracts contracts/).');
  const contracts = await loadContractsFor(contractPaths, io);
  let provider = stringOption(parsed, 'provider');
  if (provider === undefined) {
    const names = [...new Set(contracts.map((c) => c.provider))].sort();
    if (names.length !== 1 || names[0] === undefined) throw usageError(COMMAND, `Missing --provider: the contracts name ${names.length} providers (${names.join(', ')}).`);
    provider = names[0];
  }
  const version = stringOption(parsed, 'version');
  const document = contractsToAsyncApi(contracts, { provider, usedOnly: parsed.flags.has('used-only'), ...(version === undefined ? {} : { version }) });
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const output = stringOption(parsed, 'output');
  if (output === undefined) {
    io.stdout(text);
    return 0;
  }
  const [file] = resolveAll([output], io);
  await writeFileAtomic(file ?? output, text);
  io.stdout(`AsyncAPI document of what ${provider}'s consumers require written to ${output}\n`);
  return 0;
}
