/**
 * `herald compare`: consumers' contracts against a provider's specification, without running the
 * provider. Exit 0 compatible, 1 incompatible, 2 usage or input error (as `herald verify`).
 */
import path from 'node:path';
import type { Contract } from '../contract/model';
import { loadContracts } from '../contract/load';
import { compareContracts } from '../compare/compare';
import { isCompareReporter, renderCompareReport, REPORTERS, type CompareReporterName } from '../compare/report';
import { shouldColor } from '../report/color';
import { loadSpec } from '../asyncapi/load';
import type { Spec } from '../asyncapi/model';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable, type ParsedOptions } from './args';
import type { CliIO } from './io';
import { writeFileAtomic } from './output';

const COMMAND = 'herald compare';

export const COMPARE_SUMMARY = "Compare consumers' contracts with a provider's AsyncAPI, Avro or JSON Schema spec";

export const COMPARE_OPTIONS = {
  contracts: { type: 'string', short: 'c', greedy: true },
  spec: { type: 'string', short: 's' },
  provider: { type: 'string', short: 'p' },
  consumer: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'all-fields': { type: 'boolean' },
  reporter: { type: 'string', short: 'r' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export const COMPARE_USAGE = `Usage: herald compare --contracts <file|dir>... --spec <file> [options]

Compares consumers' contracts with a provider's specification, without running the provider.
Each interaction is matched to a message of the spec (by channel: Kafka topic, AMQP exchange and
routing key; then by name), and every field, header and key the consumer's handler reads
(herald.usage; every declared field when the contract has no usage) is checked against the
spec's schemas: presence, type, nullability, enum values, patterns and formats, array bounds.

Options:
  -c, --contracts <file|dir>...  Contract files, or directories of *.json contracts (required;
                                 takes several paths, and may be repeated)
  -s, --spec <file>              The provider's specification: an AsyncAPI 2.6 or 3.0 document
                                 (.yaml/.json), an Avro schema (.avsc) or a JSON Schema (.json)
                                 (required)
  -p, --provider <name>          Provider the spec describes (default: the only provider the
                                 contracts name)
      --consumer <name>          Only contracts of this consumer (repeatable)
      --strict                   Also fail on warnings: fields the spec marks optional, patterns
                                 and exact values it does not promise, array bounds
      --all-fields               Compare every declared field. Default: fields the consumer
                                 declared but never reads (herald.usage) are listed, not compared
  -r, --reporter <name>          ${REPORTERS.join(' | ')} (default: console)
  -o, --output <file>            Write the report to <file>; the console report still goes to stdout
  -q, --quiet                    Print only incompatibilities and the summary
  -h, --help                     Show this help

Exit status: 0 every interaction compatible (warnings allowed; pending interactions never fail),
1 an interaction is incompatible, 2 usage or input error.

Examples:
  herald compare --contracts contracts/ --spec asyncapi.yaml --provider contractors
  herald compare -c pacts/*.json -s schemas/order-placed.avsc --reporter junit -o reports/compare.xml
`;

/** `--reporter`, checked. */
export function reporterOption(command: string, parsed: ParsedOptions): CompareReporterName {
  const reporter = stringOption(parsed, 'reporter') ?? 'console';
  if (!isCompareReporter(reporter)) throw usageError(command, `Unknown reporter ${JSON.stringify(reporter)}: use ${REPORTERS.join(', ')}.`);
  return reporter;
}

/** Paths as the user wrote them when run from the working directory, else resolved against `cwd`. */
export function resolveAll(paths: readonly string[], io: CliIO): string[] {
  const cwd = io.cwd ?? process.cwd();
  return cwd === process.cwd() ? [...paths] : paths.map((p) => path.resolve(cwd, p));
}

export async function loadContractsFor(paths: readonly string[], io: CliIO): Promise<Contract[]> {
  return loadContracts(resolveAll(paths, io));
}

export async function loadSpecFor(file: string, io: CliIO): Promise<Spec> {
  const [resolved] = resolveAll([file], io);
  return loadSpec(resolved ?? file);
}

/**
 * Prints a report: machine reports own stdout unless they go to a file (then stdout gets the
 * console report), as `herald verify` does.
 */
export async function emitReport(
  io: CliIO,
  reporter: CompareReporterName,
  output: string | undefined,
  quiet: boolean,
  render: (reporter: CompareReporterName, color: boolean) => string,
): Promise<void> {
  const color = shouldColor(io.stdoutIsTTY === true, io.env);
  if (output !== undefined) {
    const [file] = resolveAll([output], io);
    await writeFileAtomic(file ?? output, render(reporter, false));
  }
  if (reporter === 'console' || output !== undefined) {
    io.stdout(render('console', color));
    if (output !== undefined && !quiet) io.stdout(`${reporter} report written to ${output}\n`);
  } else {
    io.stdout(render(reporter, false));
  }
}

/** Runs `herald compare`; resolves with the exit status (errors propagate to `main`). */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseOptions(COMMAND, argv, COMPARE_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(COMPARE_USAGE);
    return 0;
  }
  const contractPaths = stringOptions(parsed, 'contracts');
  const specFile = stringOption(parsed, 'spec');
  if (contractPaths.length === 0) throw usageError(COMMAND, 'Missing --contracts: name the contract files or directories to compare (e.g. --contracts contracts/).');
  if (specFile === undefined) throw usageError(COMMAND, "Missing --spec: name the provider's specification (e.g. --spec asyncapi.yaml).");
  const reporter = reporterOption(COMMAND, parsed);
  const provider = stringOption(parsed, 'provider');
  const output = stringOption(parsed, 'output');
  const quiet = parsed.flags.has('quiet');
  const contracts = await loadContractsFor(contractPaths, io);
  const spec = await loadSpecFor(specFile, io);
  const consumers = stringOptions(parsed, 'consumer');
  const report = compareContracts(contracts, spec, {
    ...(provider === undefined ? {} : { provider }),
    ...(consumers.length === 0 ? {} : { consumers }),
    strict: parsed.flags.has('strict'),
    ...(parsed.flags.has('all-fields') ? { checkAllDeclaredFields: true } : {}),
  });
  await emitReport(io, reporter, output, quiet, (r, color) => renderCompareReport(r, report, { color, quiet }));
  return report.summary.ok ? 0 : 1;
}
