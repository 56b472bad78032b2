/**
 * `herald verify`: load contracts, open a message source, verify, report.
 *
 * The message source is the seam for transports: the factories module, called in-process, or
 * with `--transport kafka|amqp|memory --triggers <module>` the provider's triggers, verified
 * through a broker (broker-source.ts). Loading, provider selection, reporting and exit codes are
 * the same for both.
 */
import path from 'node:path';
import type { Contract } from '../contract/model';
import { loadContracts } from '../contract/load';
import { HeraldError, hasErrorCode, isHeraldError } from '../errors/herald-error';
import { compileRegex, type CompiledRegex } from '../matchers/regex';
import { formatPairLine, isReporterName, renderConsoleReport, renderReport, REPORTERS, shouldColor, type ReporterName } from '../report/index';
import { summarise, type InteractionResult, type VerificationReport } from '../verify/result';
import { guardDrain, unfinishedReport, type DrainGuard } from './unfinished';
import { contractsToVerify, verifyProvider, type VerifyOptions } from '../verify/verify-provider';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable } from './args';
import type { CliIO } from './io';
import type { Env } from '../report/color';
import type { SchemaRegistryConfig } from '../avro/registry/client';
import { loadFactories } from './load-module';
import { writeFileAtomic } from './output';
import { DEFAULT_FACTORY_PROGRESS_INTERVAL_MS, ProgressLines } from './progress';
import { BROKER_OPTIONS, BROKER_USAGE, parseBrokerArgs, type BrokerArgs } from './broker-args';
import { fetchBrokerContracts, PACT_BROKER_VERIFY_OPTIONS, PACT_BROKER_VERIFY_USAGE, parsePactBrokerArgs, publishBrokerResults, type PactBrokerArgs } from './pact-broker-source';
import type { PactForVerification } from '../broker-client/for-verification';

const COMMAND = 'herald verify';

export const VERIFY_OPTIONS = {
  contracts: { type: 'string', short: 'c', greedy: true },
  factories: { type: 'string', short: 'f' },
  provider: { type: 'string', short: 'p' },
  consumer: { type: 'string', multiple: true },
  description: { type: 'string' },
  reporter: { type: 'string', short: 'r' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  'schema-registry': { type: 'string' },
  'allow-unchecked-channel': { type: 'boolean' },
  'all-fields': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...BROKER_OPTIONS,
  ...PACT_BROKER_VERIFY_OPTIONS,
} as const satisfies OptionTable;

export const VERIFY_USAGE = `Usage: herald verify --contracts <file|dir>... --factories <module> [options]
       herald verify --contracts <file|dir>... --transport kafka|amqp|memory --triggers <module> [options]
       herald verify --broker <url> --provider <name> --provider-version <v> --factories <module> [options]

Verifies that a provider produces the messages its consumers' contracts expect: for every
interaction, sets up the provider states, calls the message factory with the same description,
and matches payload and metadata against the contract.

Options:
  -c, --contracts <file|dir>...  Contract files, or directories of *.json contracts (required;
                                 takes several paths, and may be repeated)
  -f, --factories <module>       Module whose default export is the provider definition,
                                 provider(name, { states, messages }) (required unless
                                 --transport; .ts .mts .cts .js .mjs .cjs, no build step)
  -p, --provider <name>          Provider to verify (default: the definition's name, else the
                                 only provider the contracts name)
      --consumer <name>          Only contracts of this consumer (repeatable)
      --description <regex>      Only interactions whose description matches (RE2 syntax,
                                 run in linear time)
  -r, --reporter <name>          ${REPORTERS.join(' | ')} (default: console)
  -o, --output <file>            Write the report to <file>; the console report still goes to stdout
  -q, --quiet                    Print only failures and the summary
      --schema-registry <url>    Schema registry the producer uses, to read Confluent-framed Avro
                                 with its writer schema (default: HERALD_SCHEMA_REGISTRY_URL;
                                 credentials: HERALD_SCHEMA_REGISTRY_USERNAME / _PASSWORD).
                                 Without one, framed Avro cannot be verified and fails
      --allow-unchecked-channel  Pass interactions whose factory does not say where it publishes
                                 (the contract's topic / exchange is then not checked; the report
                                 says so). Default: they fail as HERALD_CHANNEL_UNCHECKED
      --all-fields               Fail on every declared field. Default: a field the consumer
                                 declared but never reads (the contract's herald.usage) is
                                 reported in the notes, not failed; without usage data every
                                 field is checked
  -h, --help                     Show this help

${BROKER_USAGE}
${PACT_BROKER_VERIFY_USAGE}
Exit status: 0 all passed (pending interactions may fail), 1 a verification failed (mismatch,
no factory, provider state failed; on a broker also: no trigger, message not received, connection
lost during the run), 2 usage, configuration or input error (including a selection that verifies
nothing, and a broker that cannot be reached or refuses the credentials), 130 / 143 interrupted
by SIGINT / SIGTERM (the report is still written, a --start-broker container removed).
Progress goes to stderr: on a terminal one line redrawn in place (--factories), else a line
every 5 s with --factories, every 10 s on a broker (HERALD_PROGRESS_INTERVAL_MS; 0: none).
Colour: on a terminal unless NO_COLOR is set; FORCE_COLOR forces it.

Examples:
  herald verify --contracts contracts/ --factories test/provider/factories.ts
  herald verify -c pacts/*.json -f factories.mjs --consumer shipping --reporter junit -o reports/herald.xml
  herald verify -c contracts/ --transport kafka --triggers test/provider/triggers.ts --brokers localhost:9092
  herald verify -c contracts/ --transport amqp --triggers triggers.ts --start-broker
`;

export interface VerifyArgs {
  readonly contracts: readonly string[];
  /** The factories module (in-process verification); absent with --transport. */
  readonly factories?: string;
  /** Verification on a broker (--transport, --triggers…); absent without --transport. */
  readonly broker?: BrokerArgs;
  /** Contracts from a contract broker (--broker, --provider-version…); absent with --contracts. */
  readonly pactBroker?: PactBrokerArgs;
  readonly provider?: string;
  readonly consumers: readonly string[];
  /** The --description filter, compiled for the linear-time engine. */
  readonly description?: CompiledRegex;
  readonly reporter: ReporterName;
  readonly output?: string;
  readonly quiet: boolean;
  /** --schema-registry: the registry URL for Confluent-framed Avro. */
  readonly schemaRegistry?: string;
  /** --allow-unchecked-channel: accept factories that do not say where they publish. */
  readonly allowUncheckedChannel?: boolean;
  /** --all-fields: check fields the consumer declared but never reads too. */
  readonly checkAllDeclaredFields?: boolean;
}

/** The arguments of `herald verify`, or 'help'. Throws HERALD_USAGE. */
export function parseVerifyArgs(argv: readonly string[], env: Env = {}): VerifyArgs | 'help' {
  const parsed = parseOptions(COMMAND, argv, VERIFY_OPTIONS);
  if (parsed.flags.has('help')) return 'help';
  const contracts = stringOptions(parsed, 'contracts');
  const factories = stringOption(parsed, 'factories');
  const pactBroker = parsePactBrokerArgs(COMMAND, parsed, env);
  if (contracts.length === 0 && pactBroker === undefined)
    throw usageError(COMMAND, 'Missing --contracts: name the contract files or directories to verify (e.g. --contracts contracts/), or fetch them from a contract broker with --broker <url>.');
  const broker = parseBrokerArgs(COMMAND, parsed, factories);
  if (factories === undefined && broker === undefined) {
    throw usageError(
      COMMAND,
      "Missing --factories: name the module exporting the provider's message factories (e.g. --factories test/provider/factories.ts), or verify on a broker with --transport and --triggers.",
    );
  }
  const reporter = stringOption(parsed, 'reporter') ?? 'console';
  if (!isReporterName(reporter)) throw usageError(COMMAND, `Unknown reporter ${JSON.stringify(reporter)}: use ${REPORTERS.join(', ')}.`);
  const source = stringOption(parsed, 'description');
  let description: CompiledRegex | undefined;
  if (source !== undefined) {
    // The linear-time engine, as for contract regexes: `^(a+)+$` must not hang the run.
    try {
      description = compileRegex(source, 'the --description filter');
    } catch (error) {
      const reason = isHeraldError(error) && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      throw usageError(
        COMMAND,
        `Invalid --description regular expression ${JSON.stringify(source)}: ${reason}. Write an RE2 regular expression (no back-references or look-around), e.g. --description "^an Order".`,
      );
    }
  }
  const provider = stringOption(parsed, 'provider');
  const output = stringOption(parsed, 'output');
  const schemaRegistry = stringOption(parsed, 'schema-registry');
  if (schemaRegistry !== undefined && !/^https?:\/\/[^\s/]/i.test(schemaRegistry)) {
    throw usageError(COMMAND, `Invalid --schema-registry ${JSON.stringify(schemaRegistry)}: give the registry's http(s) URL, e.g. --schema-registry http://localhost:8081.`);
  }
  return {
    contracts,
    ...(factories === undefined ? {} : { factories }),
    ...(broker === undefined ? {} : { broker }),
    ...(pactBroker === undefined ? {} : { pactBroker }),
    consumers: stringOptions(parsed, 'consumer'),
    reporter,
    quiet: parsed.flags.has('quiet'),
    ...(parsed.flags.has('allow-unchecked-channel') ? { allowUncheckedChannel: true } : {}),
    ...(parsed.flags.has('all-fields') ? { checkAllDeclaredFields: true } : {}),
    ...(provider === undefined ? {} : { provider }),
    ...(description === undefined ? {} : { description }),
    ...(output === undefined ? {} : { output }),
    ...(schemaRegistry === undefined ? {} : { schemaRegistry }),
  };
}

/** Where the messages under test come from. */
interface MessageSource {
  /** The provider name the source declares, if any. */
  readonly providerName: string | undefined;
  verify(contracts: readonly Contract[], options: VerifyOptions): Promise<VerificationReport>;
  /** Releases what the source opened (broker connections, consumers…). */
  close(): Promise<void>;
  /** Run-level remarks for stderr after a run (cleanup problems on the broker…). */
  readonly notes?: () => readonly string[];
  /** Erases a live progress line before other output goes to the terminal. */
  readonly clearProgress?: () => void;
}

/** The source the arguments ask for: the factories module called in-process, or triggers on a broker. */
async function openSource(args: VerifyArgs, io: CliIO, cwd: string): Promise<MessageSource> {
  if (args.broker !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the broker code loads only for --transport
    const { openBrokerSource } = require('./broker-source') as typeof import('./broker-source');
    const source = await openBrokerSource(args.broker, cwd, io.env, io.stderr, args.quiet);
    let notes: readonly string[] = [];
    return {
      providerName: source.providerName,
      verify: async (contracts, options) => {
        const report = await source.verify(contracts, options);
        notes = report.broker.notes;
        return report;
      },
      close: () => source.close(),
      notes: () => notes,
    };
  }
  const definition = await loadFactories(args.factories ?? '', cwd, io.importModule);
  const interval = Number(io.env['HERALD_PROGRESS_INTERVAL_MS']?.trim() || DEFAULT_FACTORY_PROGRESS_INTERVAL_MS);
  const progress = new ProgressLines(io.stderr, args.quiet || !Number.isFinite(interval) ? 0 : interval, { live: io.stderrIsTTY === true });
  return {
    providerName: definition.name,
    verify: async (contracts, options) => {
      try {
        // Without progress lines (--quiet), the run is not asked to say where it is: that is objects and a clock read per interaction.
        return await verifyProvider(contracts, definition, progress.enabled ? { ...options, onProgress: progress.update } : options);
      } finally {
        progress.stop();
      }
    },
    close: async () => undefined,
    clearProgress: () => progress.clear(),
  };
}

/** --provider, else the definition's name, else the one provider every contract names. */
function providerToVerify(args: VerifyArgs, source: MessageSource, contracts: readonly Contract[]): string {
  if (args.provider !== undefined) return args.provider;
  if (source.providerName !== undefined) return source.providerName;
  const names = [...new Set(contracts.map((c) => c.provider))].sort();
  if (names.length === 1 && names[0] !== undefined) return names[0];
  throw new HeraldError(
    'HERALD_UNKNOWN_PROVIDER',
    `Failed to choose the provider to verify: the contracts name ${names.length} providers (${names.join(', ')}) and ${args.factories ?? args.broker?.triggers ?? 'the module'} exports no provider name. ` +
      `Pass --provider <name>, or export ${args.broker === undefined ? 'provider' : 'providerTriggers'}(name, {...}) from the ${args.broker === undefined ? 'factories' : 'triggers'} module.`,
  );
}

/** HERALD_NOTHING_TO_VERIFY: a run that verifies nothing must not pass for one that verified everything. */
function nothingSelected(args: VerifyArgs, contracts: readonly Contract[]): HeraldError {
  const filters = [...(args.consumers.length === 0 ? [] : [`--consumer ${args.consumers.join(', ')}`]), ...(args.description === undefined ? [] : [`--description /${args.description.source}/`])];
  const read = contracts.map((c) => `${c.consumer} → ${c.provider} (${c.interactions.length})`).join(', ');
  return new HeraldError(
    'HERALD_NOTHING_TO_VERIFY',
    `Failed to verify: no message interaction was selected${filters.length === 0 ? '' : ` by ${filters.join(' and ')}`}. ` +
      `The contracts read hold: ${read || 'nothing'}.${descriptionsOf(contracts)} Check the filters against these names and descriptions, or the --contracts paths.`,
  );
}

/** The descriptions a --description filter can select, per pair (at most DESCRIPTIONS_LISTED in all). */
const DESCRIPTIONS_LISTED = 20;
function descriptionsOf(contracts: readonly Contract[]): string {
  let left = DESCRIPTIONS_LISTED;
  const pairs: string[] = [];
  for (const c of contracts) {
    if (left <= 0 || c.interactions.length === 0) continue;
    const shown = c.interactions.slice(0, left).map((i) => JSON.stringify(i.description));
    left -= shown.length;
    pairs.push(`${c.consumer} → ${c.provider}: ${shown.join(', ')}`);
  }
  const total = contracts.reduce((n, c) => n + c.interactions.length, 0);
  if (pairs.length === 0) return '';
  return ` Descriptions: ${pairs.join('; ')}${total > DESCRIPTIONS_LISTED ? ` (and ${total - DESCRIPTIONS_LISTED} more)` : ''}.`;
}

/** --schema-registry's URL, with the credentials HERALD_SCHEMA_REGISTRY_USERNAME / _PASSWORD give. */
function registryOption(url: string, env: Env): SchemaRegistryConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the registry code loads only for --schema-registry
  const { SCHEMA_REGISTRY_ENV } = require('../avro/registry/client') as typeof import('../avro/registry/client');
  const username = env[SCHEMA_REGISTRY_ENV.username];
  return username === undefined || username === '' ? { url } : { url, auth: { username, password: env[SCHEMA_REGISTRY_ENV.password] ?? '' } };
}

/** Writes --output for a broker run that could not start: every selected interaction "Not run", with the error. */
async function writeNotRunReport(args: VerifyArgs, contracts: readonly Contract[], provider: string, error: unknown): Promise<void> {
  if (!isHeraldError(error) || args.output === undefined) return;
  let selected: Contract[];
  try {
    selected = contractsToVerify(contracts, provider, args.consumers.length === 0 ? undefined : args.consumers);
  } catch {
    return;
  }
  const results: InteractionResult[] = selected.flatMap((contract) =>
    contract.interactions
      .filter((interaction) => args.description === undefined || args.description.test(interaction.description))
      .map((interaction) => ({
        consumer: contract.consumer,
        provider: contract.provider,
        description: interaction.description,
        ...(contract.source === undefined ? {} : { contractFile: contract.source }),
        status: 'failed' as const,
        mismatches: [],
        notes: [],
        error: { code: error.code, message: `Not run: ${error.message}` },
        pending: interaction.pending,
        durationMs: 0,
      })),
  );
  if (results.length === 0) return;
  await writeFileAtomic(args.output, renderReport(args.reporter, { summary: summarise(results, [], 0, 'triggers'), results }));
}

/** Runs `herald verify`; resolves with the exit status (errors propagate to `main`). */
export async function runVerify(args: VerifyArgs, io: CliIO): Promise<number> {
  const started = performance.now();
  const guard = guardDrain();
  const cwd = io.cwd ?? process.cwd();
  let source: MessageSource | undefined;
  try {
    // Paths stay as the user wrote them (reports name them) unless the caller runs elsewhere.
    let pacts: readonly PactForVerification[] = [];
    let contracts: readonly Contract[];
    if (args.pactBroker !== undefined) {
      const fetched = await fetchBrokerContracts(args.pactBroker);
      ({ pacts, contracts } = fetched);
      if (pacts.length === 0) {
        throw new HeraldError(
          'HERALD_NOTHING_TO_VERIFY',
          `Failed to verify: ${args.pactBroker.client.url} has no pact for ${args.pactBroker.provider} matching the consumer version selectors ${JSON.stringify(args.pactBroker.selectors)}. Check --provider against the names the consumers published, and the selectors (herald publish sets the consumer's branch).`,
        );
      }
      io.stderr(
        `Fetched ${pacts.length} pact${pacts.length === 1 ? '' : 's'} for ${args.pactBroker.provider} from ${args.pactBroker.client.url}${fetched.notes.length === 0 ? '.' : ':'}\n${fetched.notes.map((n) => `  ${n}\n`).join('')}`,
      );
    } else {
      const skipped: string[] = [];
      contracts = await loadContracts(cwd === process.cwd() ? args.contracts : args.contracts.map((p) => path.resolve(cwd, p)), {
        onSkip: (file) => skipped.push(file),
      });
      if (skipped.length > 0 && !args.quiet) io.stderr(`Note: skipped ${skipped.length} JSON file(s) that are not Pact files: ${skipped.join(', ')}\n`);
    }
    source = await untilDrained(
      openSource(args, io, cwd),
      guard,
      () =>
        new HeraldError(
          'HERALD_RUN_UNFINISHED',
          `Failed to verify: loading ${args.factories ?? args.broker?.triggers ?? 'the module'} never finished (its top-level code waits for a promise that can never settle), so no interaction was verified. Make the module's top-level code resolve.`,
        ),
    );
    const opened = source;
    const color = shouldColor(io.stdoutIsTTY === true, io.env);
    // Machine reports own stdout unless they go to a file; then stdout gets the console report.
    const consoleOnStdout = args.reporter === 'console' || args.output !== undefined;
    const producedBy = args.broker === undefined ? 'factories' : 'triggers';
    const provider = providerToVerify(args, opened, contracts);
    const done: InteractionResult[] = [];
    const seen = new Set<InteractionResult>();
    const keep = (result: InteractionResult): void => {
      if (seen.has(result)) return;
      seen.add(result);
      done.push(result);
    };
    const selection = {
      provider,
      ...(args.consumers.length === 0 ? {} : { consumers: args.consumers }),
      ...(args.description === undefined ? {} : { description: args.description }),
    };
    const running = opened
      .verify(contracts, {
        ...selection,
        ...(args.allowUncheckedChannel === true ? { allowUncheckedChannel: true } : {}),
        ...(args.checkAllDeclaredFields === true ? { checkAllDeclaredFields: true } : {}),
        ...(args.schemaRegistry === undefined ? {} : { schemaRegistry: registryOption(args.schemaRegistry, io.env) }),
        onInteraction: keep,
        onPair: (pair) => {
          pair.results.forEach(keep);
          // A pair the filters left empty gets no line: a ✓ there would read as verified.
          if (consoleOnStdout && !args.quiet && pair.results.length > 0) {
            opened.clearProgress?.();
            io.stdout(`${formatPairLine({ ...pair, producedBy }, { color })}\n`);
          }
        },
      })
      .catch(async (error: unknown) => {
        // A broker that cannot be reached (exit 2): the report still says what was not verified, and why.
        if (args.broker !== undefined && args.output !== undefined) await writeNotRunReport(args, contracts, provider, error);
        if (!hasErrorCode(error, 'HERALD_UNKNOWN_PROVIDER')) throw error;
        const hint = `Check --provider${args.consumers.length === 0 ? '' : ' and --consumer'} against these names, or the --contracts paths (${args.contracts.join(', ')}).`;
        throw new HeraldError('HERALD_UNKNOWN_PROVIDER', `${error.message} ${hint}`, { cause: error });
      });
    // A run whose user code can never settle still ends with a verdict for every interaction.
    const outcome = await Promise.race([running, guard.drained]);
    const report: VerificationReport = outcome === 'drained' ? unfinishedReport(contracts, selection, done, performance.now() - started, producedBy) : outcome;
    if (report.summary.total === 0) throw nothingSelected(args, contracts);
    if (args.output !== undefined) {
      await writeFileAtomic(args.output, renderReport(args.reporter, report));
      if (!args.quiet) io.stdout(`${args.reporter} report written to ${args.output}\n`);
    }
    if (consoleOnStdout) {
      io.stdout(`${args.quiet ? '' : '\n'}${renderConsoleReport(report, { color, quiet: args.quiet })}`);
    } else {
      io.stdout(renderReport(args.reporter, report));
    }
    for (const note of opened.notes?.() ?? []) io.stderr(`Note: ${note}\n`);
    if (args.pactBroker?.publishResults === true && outcome !== 'drained') {
      const lines = await publishBrokerResults(args.pactBroker, pacts, report);
      for (const line of lines) (consoleOnStdout ? io.stdout : io.stderr)(`${line}\n`);
    }
    return report.summary.ok ? 0 : 1;
  } finally {
    // A source whose run never settled may never close either: do not wait for it once drained.
    if (source !== undefined) await Promise.race([source.close(), guard.drained]);
    guard.dispose();
  }
}

/** `work`, or `onDrain()` thrown if the event loop drains first (user code that can never settle). */
async function untilDrained<T>(work: Promise<T>, guard: DrainGuard, onDrain: () => HeraldError): Promise<T> {
  const outcome = await Promise.race([work, guard.drained.then(() => DRAINED)]);
  if (outcome === DRAINED) throw onDrain();
  return outcome as T;
}

const DRAINED = Symbol('drained');
