/**
 * `herald diff <old-spec> <new-spec> --contracts …`: classifies each change between two versions
 * of a provider's specification as breaking or safe for its consumers, naming those it breaks.
 * Exit 0 no breaking change, 1 a breaking change, 2 usage or input error.
 */
import { diffSpecs } from '../compare/diff';
import { renderDiffReport, REPORTERS } from '../compare/report';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable } from './args';
import { emitReport, loadContractsFor, loadSpecFor, reporterOption } from './compare-command';
import type { CliIO } from './io';

const COMMAND = 'herald diff';

export const DIFF_SUMMARY = 'Classify the changes between two spec versions as breaking or safe for the consumers';

export const DIFF_OPTIONS = {
  contracts: { type: 'string', short: 'c', greedy: true },
  provider: { type: 'string', short: 'p' },
  'all-fields': { type: 'boolean' },
  reporter: { type: 'string', short: 'r' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export const DIFF_USAGE = `Usage: herald diff <old-spec> <new-spec> --contracts <file|dir>... [options]

Classifies each change between two versions of a provider's specification (AsyncAPI 2.6/3.0,
Avro schema or JSON Schema) in the producer's direction. New fields, fewer enum values and
narrower types are safe. A removed or retyped field, a field made optional or nullable, more enum
values or a removed constraint is breaking when it breaks a consumer: comparing the consumer's
contract with the new spec finds a new incompatibility (the report names the consumers and
interactions). A change to a field no consumer reads is safe ("unused by any consumer").

Arguments:
  <old-spec>                     The specification the consumers work with today
  <new-spec>                     The changed specification

Options:
  -c, --contracts <file|dir>...  The consumers' contract files or directories (recommended;
                                 without contracts every possibly-breaking change is breaking)
  -p, --provider <name>          Provider the specs describe (default: the only provider the
                                 contracts name)
      --all-fields               Count every declared field as read. Default: a change to a
                                 field no consumer reads (herald.usage) is safe
  -r, --reporter <name>          ${REPORTERS.join(' | ')} (default: console)
  -o, --output <file>            Write the report to <file>; the console report still goes to stdout
  -q, --quiet                    Print only breaking changes and the summary
  -h, --help                     Show this help

Exit status: 0 no breaking change, 1 a breaking change, 2 usage or input error.

Examples:
  herald diff asyncapi.v1.yaml asyncapi.v2.yaml --contracts contracts/
  git show main:asyncapi.yaml > /tmp/old.yaml && herald diff /tmp/old.yaml asyncapi.yaml -c contracts/ -r junit -o reports/diff.xml
`;

/** Runs `herald diff`; resolves with the exit status (errors propagate to `main`). */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  // The two spec paths come first; options follow (a bare path after --contracts is a contract).
  const positional: string[] = [];
  let rest = [...argv];
  while (rest.length > 0 && positional.length < 2 && !(rest[0] ?? '').startsWith('-')) {
    positional.push(rest[0] as string);
    rest = rest.slice(1);
  }
  const parsed = parseOptions(COMMAND, rest, DIFF_OPTIONS);
  if (parsed.flags.has('help')) {
    io.stdout(DIFF_USAGE);
    return 0;
  }
  const [oldFile, newFile] = positional;
  if (oldFile === undefined || newFile === undefined) {
    throw usageError(COMMAND, 'Missing spec paths: give the old and the new specification first (herald diff asyncapi.v1.yaml asyncapi.v2.yaml --contracts contracts/).');
  }
  const reporter = reporterOption(COMMAND, parsed);
  const provider = stringOption(parsed, 'provider');
  const output = stringOption(parsed, 'output');
  const quiet = parsed.flags.has('quiet');
  const contractPaths = stringOptions(parsed, 'contracts');
  const contracts = contractPaths.length === 0 ? [] : await loadContractsFor(contractPaths, io);
  const before = await loadSpecFor(oldFile, io);
  const after = await loadSpecFor(newFile, io);
  const report = diffSpecs(before, after, contracts, {
    ...(provider === undefined ? {} : { provider }),
    ...(parsed.flags.has('all-fields') ? { checkAllDeclaredFields: true } : {}),
  });
  await emitReport(io, reporter, output, quiet, (r, color) => renderDiffReport(r, report, { color, quiet }));
  return report.summary.ok ? 0 : 1;
}
