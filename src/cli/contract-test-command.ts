/**
 * `herald contract-test`: after a consumer or a provider changed, start the provider versions
 * that matter (from the broker's record of what is deployed where) on a fresh Kafka / RabbitMQ
 * broker, verify them against the consumer contracts, and tear everything down.
 */
import { randomBytes } from 'node:crypto';
import type { Contract } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { formatReport } from '../report/console';
import { loadPeer } from '../transport/peer';
import { PactBrokerDeploymentSource, type DeploymentSource } from '../contract-test/deployment-source';
import { planRuns, type ContractTestTrigger, type ProviderRun } from '../contract-test/plan';
import { DEFAULT_HEALTH_TIMEOUT_MS, RUN_LABEL, startProvider, type ProviderSpec } from '../contract-test/provider-runner';
import type { BrokerVerificationReport } from '../verify/broker/verify-on-broker';
import { parseOptions, stringOption, usageError, type OptionTable } from './args';
import { KAFKA_CLIENTS, openBrokerSource, parseKafkaClient, TRANSPORTS, type KafkaClientName, type TransportName } from './broker-source';
import type { CliIO } from './io';
import { onProcessEnd } from './lifecycle';

const COMMAND = 'herald contract-test';

export const CONTRACT_TEST_SUMMARY = 'Start the provider versions a change affects on a fresh broker and verify them against the deployed contracts';

export const CONTRACT_TEST_USAGE = `Usage: herald contract-test --triggered-by consumer|provider --pacticipant <name> --version <v>
         --broker <url> --transport kafka|amqp --triggers <module> (--image <ref> | --command <cmd>)

Starts the provider versions a change affects, each on a fresh broker, verifies them against the
consumers' contracts, and removes everything it started (docs/contract-test.md).

  --triggered-by <who>     consumer: the consumer's new contract against every provider version
                           deployed in the environment; provider: the provider's new version
                           against the contracts of every consumer version deployed there
  --pacticipant <name>     The consumer or provider that changed
  --version <v>            Its version
  --environment <name>     Environment on the broker (default production)
  --broker <url>           Pact Broker (or Herald broker) base URL (default: PACT_BROKER_BASE_URL);
                           PACT_BROKER_TOKEN is sent as a bearer token
  --provider <name>        Triggered by a consumer: only this provider
  -t, --transport <name>   kafka | amqp: the broker started for each run
  --kafka-client <name>    ${KAFKA_CLIENTS.join(' | ')}: the Kafka client Herald captures with
                           (default: HERALD_KAFKA_CLIENT, else kafkajs)
  --triggers <module>      providerTriggers(...) module that makes the started provider publish
                           (HERALD_PROVIDER_URL tells it where the provider listens)
  --image <ref>            Provider image; {version} is replaced: herald/orders:{version}
  --command <cmd>          Provider command instead of an image; {version} is replaced
  --port <n>               The provider's HTTP port (health checks, HERALD_PROVIDER_URL)
  --health-path <path>     Healthy when GET http://127.0.0.1:<port><path> answers 2xx
  --health-log <regex>     Healthy when a log line matches (otherwise: --port accepting connections)
  --health-timeout <ms>    Wait for health (default ${DEFAULT_HEALTH_TIMEOUT_MS})
  --timeout <ms>           Wait for each interaction's message (default 10000)
  -h, --help

The provider gets HERALD_KAFKA_BROKERS or HERALD_AMQP_URL, HERALD_PROVIDER_VERSION and PORT.
Exit 0 when every run passed (or nothing deployed needed checking), 1 when a run failed, 2 on
usage, broker or start-up errors.
`;

const OPTIONS = {
  'triggered-by': { type: 'string' },
  pacticipant: { type: 'string' },
  version: { type: 'string' },
  environment: { type: 'string' },
  broker: { type: 'string' },
  provider: { type: 'string' },
  transport: { type: 'string', short: 't' },
  'kafka-client': { type: 'string' },
  triggers: { type: 'string' },
  image: { type: 'string' },
  command: { type: 'string' },
  port: { type: 'string' },
  'health-path': { type: 'string' },
  'health-log': { type: 'string' },
  'health-timeout': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export interface ContractTestArgs {
  readonly trigger: ContractTestTrigger;
  readonly broker: string;
  readonly provider: string | undefined;
  readonly transport: Exclude<TransportName, 'memory'>;
  /** The Kafka client given by --kafka-client (else HERALD_KAFKA_CLIENT when the run opens). */
  readonly kafkaClient: KafkaClientName | undefined;
  readonly triggers: string;
  readonly image: string | undefined;
  readonly command: string | undefined;
  readonly port: number | undefined;
  readonly healthPath: string | undefined;
  readonly healthLog: RegExp | undefined;
  readonly healthTimeoutMs: number;
  readonly timeoutMs: number | undefined;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(COMMAND, `--${name} must be a positive integer, got "${value}".`);
  return n;
}

/** Parses the arguments; 'help' for --help. Throws HERALD_USAGE naming the option to fix. */
export function parseContractTestArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ContractTestArgs | 'help' {
  const parsed = parseOptions(COMMAND, argv, OPTIONS);
  if (parsed.flags.has('help')) return 'help';
  const required = (name: string): string => {
    const value = stringOption(parsed, name);
    if (value === undefined || value.trim() === '') throw usageError(COMMAND, `Missing --${name}.`);
    return value;
  };
  const triggeredBy = required('triggered-by');
  if (triggeredBy !== 'consumer' && triggeredBy !== 'provider') throw usageError(COMMAND, `--triggered-by must be consumer or provider, got "${triggeredBy}".`);
  const broker = stringOption(parsed, 'broker') ?? env['PACT_BROKER_BASE_URL'];
  if (broker === undefined || broker.trim() === '') throw usageError(COMMAND, 'Missing --broker (or PACT_BROKER_BASE_URL): the broker that knows what is deployed where.');
  const transport = required('transport');
  if (transport !== 'kafka' && transport !== 'amqp') throw usageError(COMMAND, `--transport must be one of ${TRANSPORTS.filter((t) => t !== 'memory').join(', ')}, got "${transport}".`);
  const kafkaClientOption = stringOption(parsed, 'kafka-client');
  if (kafkaClientOption !== undefined && transport !== 'kafka') throw usageError(COMMAND, `--kafka-client is for --transport kafka (got --transport ${transport}).`);
  const image = stringOption(parsed, 'image');
  const command = stringOption(parsed, 'command');
  if ((image === undefined) === (command === undefined)) throw usageError(COMMAND, 'Give the provider as exactly one of --image <ref> and --command <cmd>.');
  const healthLogText = stringOption(parsed, 'health-log');
  let healthLog: RegExp | undefined;
  try {
    healthLog = healthLogText === undefined ? undefined : new RegExp(healthLogText);
  } catch (error) {
    throw usageError(COMMAND, `--health-log is not a regular expression (${error instanceof Error ? error.message : String(error)}).`);
  }
  const port = positiveInt('port', stringOption(parsed, 'port'));
  const healthPath = stringOption(parsed, 'health-path');
  if (healthPath !== undefined && port === undefined) throw usageError(COMMAND, '--health-path needs --port.');
  return {
    trigger: { triggeredBy, pacticipant: required('pacticipant'), version: required('version'), environment: stringOption(parsed, 'environment') ?? 'production' },
    broker,
    provider: stringOption(parsed, 'provider'),
    transport,
    kafkaClient: kafkaClientOption === undefined ? undefined : parseKafkaClient(COMMAND, kafkaClientOption, '--kafka-client'),
    triggers: required('triggers'),
    image,
    command,
    port,
    healthPath,
    healthLog,
    healthTimeoutMs: positiveInt('health-timeout', stringOption(parsed, 'health-timeout')) ?? DEFAULT_HEALTH_TIMEOUT_MS,
    timeoutMs: positiveInt('timeout', stringOption(parsed, 'timeout')),
  };
}

/** A started broker as herald/kafka and herald/amqp return it. */
interface StartedBrokerLike {
  stop(): Promise<void>;
}
interface BrokerAdapters {
  startKafkaBroker(options: { readonly external: false; readonly labels: Readonly<Record<string, string>> }): Promise<StartedBrokerLike & { readonly brokers: readonly string[] }>;
  startRabbitMqBroker(options: { readonly external: false; readonly labels: Readonly<Record<string, string>> }): Promise<StartedBrokerLike & { readonly url: string }>;
}

/** The outcome of one provider run. */
export interface ProviderRunResult {
  readonly run: ProviderRun;
  readonly report: BrokerVerificationReport;
}

/**
 * Where verification results would be published (Herald's broker client, once it is on main):
 * called after each run with its report. Not wired to a broker yet.
 */
export type ResultPublisher = (result: ProviderRunResult) => Promise<void>;

export interface ContractTestDeps {
  readonly source?: DeploymentSource;
  readonly publish?: ResultPublisher;
}

/** Runs one provider version: broker, provider, verification, teardown (always, in reverse order). */
async function runOne(args: ContractTestArgs, run: ProviderRun, contracts: readonly Contract[], io: CliIO, runId: string): Promise<BrokerVerificationReport> {
  const labels = { [RUN_LABEL]: runId };
  const stack: (() => Promise<void>)[] = [];
  const teardown = async (): Promise<void> => {
    while (stack.length > 0)
      await (stack.pop() as () => Promise<void>)().catch((error: unknown) => io.stderr(`herald contract-test: cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`));
  };
  const release = onProcessEnd(`the contract-test run ${runId} (provider, dependencies, broker)`, teardown);
  try {
    const environment: Record<string, string> = {};
    let brokerArgs: { brokers?: readonly string[]; amqpUrl?: string };
    if (args.transport === 'kafka') {
      const adapter = loadPeer<BrokerAdapters>('herald/kafka', 'herald contract-test --transport kafka', () => require('herald/kafka') as unknown);
      const starting = adapter.startKafkaBroker({ external: false, labels });
      stack.push(async () => (await starting.catch(() => undefined))?.stop());
      const broker = await starting;
      environment['HERALD_KAFKA_BROKERS'] = broker.brokers.join(',');
      brokerArgs = { brokers: broker.brokers };
    } else {
      const adapter = loadPeer<BrokerAdapters>('herald/amqp', 'herald contract-test --transport amqp', () => require('herald/amqp') as unknown);
      const starting = adapter.startRabbitMqBroker({ external: false, labels });
      stack.push(async () => (await starting.catch(() => undefined))?.stop());
      const broker = await starting;
      environment['HERALD_AMQP_URL'] = broker.url;
      brokerArgs = { amqpUrl: broker.url };
    }
    const spec: ProviderSpec = {
      ...(args.image === undefined ? {} : { image: args.image }),
      ...(args.command === undefined ? {} : { command: args.command, cwd: io.cwd ?? process.cwd() }),
      version: run.providerVersion,
      environment,
      ...(args.port === undefined ? {} : { port: args.port }),
      health: { ...(args.healthPath === undefined ? {} : { path: args.healthPath }), ...(args.healthLog === undefined ? {} : { log: args.healthLog }), timeoutMs: args.healthTimeoutMs },
      runId,
    };
    io.stderr(`herald contract-test: starting ${run.provider} ${run.providerVersion} on ${args.transport}\n`);
    const provider = await startProvider(spec);
    stack.push(() => provider.stop());
    if (provider.url !== undefined) process.env['HERALD_PROVIDER_URL'] = provider.url;
    const source = await openBrokerSource(
      {
        transport: args.transport,
        triggers: args.triggers,
        ...brokerArgs,
        ...(args.kafkaClient === undefined ? {} : { kafkaClient: args.kafkaClient }),
        startBroker: false,
        namespace: false,
        ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
      },
      io.cwd ?? process.cwd(),
      io.env,
      (line) => io.stderr(`${line}\n`),
      true,
    );
    stack.push(() => source.close());
    return await source.verify(contracts, { provider: run.provider });
  } finally {
    await teardown();
    release();
  }
}

/** `herald contract-test`: exit 0 all passed, 1 a run failed, 2 usage / broker / start-up error. */
export async function run(argv: readonly string[], io: CliIO, deps: ContractTestDeps = {}): Promise<number> {
  const args = parseContractTestArgs(argv, io.env);
  if (args === 'help') {
    io.stdout(CONTRACT_TEST_USAGE);
    return 0;
  }
  const source = deps.source ?? new PactBrokerDeploymentSource({ url: args.broker, ...(io.env['PACT_BROKER_TOKEN'] === undefined ? {} : { token: io.env['PACT_BROKER_TOKEN'] }) });
  let runs = await planRuns(source, args.trigger);
  if (args.provider !== undefined) runs = runs.filter((r) => r.provider === args.provider);
  const { triggeredBy, pacticipant, version, environment } = args.trigger;
  if (runs.length === 0) {
    io.stdout(
      `Nothing to verify: no ${triggeredBy === 'consumer' ? `provider of ${pacticipant}` : `consumer of ${pacticipant}`}${args.provider === undefined ? '' : ` named ${args.provider}`} is deployed in ${environment}.\n`,
    );
    return 0;
  }
  const providers = new Set(runs.map((r) => r.provider));
  if (providers.size > 1) {
    throw new HeraldError(
      'HERALD_USAGE',
      `${pacticipant} ${version} has contracts with several providers deployed in ${environment} (${[...providers].join(', ')}), and --image / --command / --triggers describe one. Run once per provider with --provider <name>.`,
    );
  }
  let failed = false;
  for (const planned of runs) {
    const contracts = await Promise.all(planned.consumers.map((c) => source.contract(c.consumer, c.version, planned.provider)));
    const runId = `ct-${randomBytes(4).toString('hex')}`;
    const report = await runOne(args, planned, contracts, io, runId);
    io.stdout(`${planned.provider} ${planned.providerVersion} against ${planned.consumers.map((c) => `${c.consumer} ${c.version}`).join(', ')}:\n${formatReport(report)}\n`);
    if (!report.summary.ok) failed = true;
    await deps.publish?.({ run: planned, report });
  }
  return failed ? 1 : 0;
}

export const usage = CONTRACT_TEST_USAGE;
