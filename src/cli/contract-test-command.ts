/**
 * `herald contract-test`: after a consumer or a provider changed, start the provider versions
 * that matter (from the broker's record of what is deployed where) on a fresh Kafka / RabbitMQ
 * broker, verify them against the consumer contracts, and tear everything down.
 */
import { randomBytes } from 'node:crypto';
import { HeraldError } from '../errors/herald-error';
import { formatReport } from '../report/console';
import { loadPeer } from '../transport/peer';
import { PactBrokerDeploymentSource, type DeployedPact, type DeploymentSource } from '../contract-test/deployment-source';
import { planRuns, type ContractTestTrigger, type ProviderRun } from '../contract-test/plan';
import { DEFAULT_HEALTH_TIMEOUT_MS, RUN_LABEL, startProvider, type DependencySpec, type ProviderSpec } from '../contract-test/provider-runner';
import { brokerResultPublisher, type ResultPublisher } from '../contract-test/publish-results';
import { containerHostname, removeRunContainers, startRunNetwork } from '../contract-test/run-network';
import type { BrokerVerificationReport } from '../verify/broker/verify-on-broker';
import { parseOptions, stringOption, stringOptions, usageError, type OptionTable } from './args';
import { BrokerClient } from '../broker-client/hal-client';
import { BROKER_CLIENT_OPTIONS, brokerConnectionFrom, type BrokerConnection } from './broker-client-options';
import { KAFKA_CLIENTS, openBrokerSource, parseKafkaClient, TRANSPORTS, type KafkaClientName, type TransportName } from './broker-source';
import { heraldVersion } from './pact-broker-source';
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
  --broker <url>           Pact Broker (or Herald broker) root URL (alias --broker-url; default:
                           HERALD_BROKER_URL, else PACT_BROKER_BASE_URL)
  --broker-token <token>   Bearer token (default: HERALD_BROKER_TOKEN, else PACT_BROKER_TOKEN), or
  --broker-username <name> / --broker-password <pw>  basic auth (HERALD_BROKER_USERNAME / _PASSWORD)
  --publish-results        Publish each pact's verification result to the broker (then
                           can-i-deploy knows the provider version's verdict)
  --provider <name>        Triggered by a consumer: only this provider
  -t, --transport <name>   kafka | amqp: the broker started for each run
  --kafka-client <name>    ${KAFKA_CLIENTS.join(' | ')}: the Kafka client Herald captures with
                           (default: HERALD_KAFKA_CLIENT, else kafkajs)
  --triggers <module>      providerTriggers(...) module that makes the started provider publish
                           (HERALD_PROVIDER_URL tells it where the provider listens)
  --image <ref>            Provider image; {version} is replaced: herald/orders:{version}
  --command <cmd>          Provider command instead of an image; {version} is replaced
  --dependency <spec>      A container the provider needs, as name:port=image (repeatable), e.g.
                           store:7070=herald/orders-store:1.0.0; started first on the run's
                           network, the provider gets HERALD_DEP_<NAME>=<name>:<port>
  --port <n>               The provider's HTTP port (health checks, HERALD_PROVIDER_URL); an
                           image's port is published on a free host port
  --health-path <path>     Healthy when GET <provider>:<port><path> answers 2xx
  --health-log <regex>     Healthy when a log line matches (otherwise: --port accepting connections)
  --health-timeout <ms>    Wait for health (default ${DEFAULT_HEALTH_TIMEOUT_MS})
  --timeout <ms>           Wait for each interaction's message (default 10000)
  -h, --help

The provider gets HERALD_KAFKA_BROKERS or HERALD_AMQP_URL, HERALD_PROVIDER_VERSION and PORT. An
image provider, its dependencies and the broker share one Docker network (kafka:9093,
amqp://guest:guest@rabbitmq:5672); a command provider gets the host-mapped addresses.
Exit 0 when every run passed (or nothing deployed needed checking), 1 when a run failed, 2 on
usage, broker or start-up errors.
`;

export const OPTIONS = {
  'triggered-by': { type: 'string' },
  pacticipant: { type: 'string' },
  version: { type: 'string' },
  environment: { type: 'string' },
  ...BROKER_CLIENT_OPTIONS,
  'publish-results': { type: 'boolean' },
  provider: { type: 'string' },
  transport: { type: 'string', short: 't' },
  'kafka-client': { type: 'string' },
  triggers: { type: 'string' },
  image: { type: 'string' },
  command: { type: 'string' },
  dependency: { type: 'string', multiple: true },
  port: { type: 'string' },
  'health-path': { type: 'string' },
  'health-log': { type: 'string' },
  'health-timeout': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

export interface ContractTestArgs {
  readonly trigger: ContractTestTrigger;
  readonly broker: BrokerConnection;
  readonly publishResults: boolean;
  readonly provider: string | undefined;
  readonly transport: Exclude<TransportName, 'memory'>;
  /** The Kafka client given by --kafka-client (else HERALD_KAFKA_CLIENT when the run opens). */
  readonly kafkaClient: KafkaClientName | undefined;
  readonly triggers: string;
  readonly image: string | undefined;
  readonly command: string | undefined;
  readonly dependencies: readonly DependencySpec[];
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

/** `store:7070=herald/orders-store:1.0.0` → a dependency named store, port 7070, that image. */
export function parseDependency(text: string): DependencySpec {
  const match = /^([A-Za-z][\w.-]*):(\d+)=(\S+)$/.exec(text.trim());
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw usageError(COMMAND, `--dependency ${JSON.stringify(text)} is not name:port=image, e.g. --dependency store:7070=herald/orders-store:1.0.0.`);
  }
  return { name: match[1] as string, port, image: match[3] as string };
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
  // The Pact CLI's variables name the broker too.
  const broker = brokerConnectionFrom(COMMAND, parsed, {
    ...env,
    HERALD_BROKER_URL: env['HERALD_BROKER_URL'] ?? env['PACT_BROKER_BASE_URL'],
    HERALD_BROKER_TOKEN: env['HERALD_BROKER_TOKEN'] ?? env['PACT_BROKER_TOKEN'],
  });
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
  const dependencies = stringOptions(parsed, 'dependency').map(parseDependency);
  const names = dependencies.map((d) => d.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw usageError(COMMAND, `--dependency names ${twice} twice: give each dependency its own name.`);
  return {
    trigger: { triggeredBy, pacticipant: required('pacticipant'), version: required('version'), environment: stringOption(parsed, 'environment') ?? 'production' },
    broker,
    publishResults: parsed.flags.has('publish-results'),
    provider: stringOption(parsed, 'provider'),
    transport,
    kafkaClient: kafkaClientOption === undefined ? undefined : parseKafkaClient(COMMAND, kafkaClientOption, '--kafka-client'),
    triggers: required('triggers'),
    image,
    command,
    dependencies,
    port,
    healthPath,
    healthLog,
    healthTimeoutMs: positiveInt('health-timeout', stringOption(parsed, 'health-timeout')) ?? DEFAULT_HEALTH_TIMEOUT_MS,
    timeoutMs: positiveInt('timeout', stringOption(parsed, 'timeout')),
  };
}

/** A started broker as herald/kafka and herald/amqp return it. */
interface StartedBrokerLike {
  readonly containerId: string | undefined;
  stop(): Promise<void>;
}
interface BrokerAdapters {
  startKafkaBroker(options: { readonly external: false; readonly labels: Readonly<Record<string, string>> }): Promise<StartedBrokerLike & { readonly brokers: readonly string[] }>;
  startRabbitMqBroker(options: { readonly external: false; readonly labels: Readonly<Record<string, string>> }): Promise<StartedBrokerLike & { readonly url: string }>;
}

export type { ProviderRunResult, ResultPublisher } from '../contract-test/publish-results';

export interface ContractTestDeps {
  readonly source?: DeploymentSource;
  readonly publish?: ResultPublisher;
}

/** The broker's in-network name (Kafka's in-network listener is 9093, advertised under the container's hostname). */
const KAFKA_ALIAS = 'kafka';
const KAFKA_NETWORK_PORT = 9093;
const RABBITMQ_ALIAS = 'rabbitmq';

/** The AMQP URL with the host and port replaced by the broker's in-network name. */
function inNetworkAmqpUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hostname = RABBITMQ_ALIAS;
  parsed.port = '5672';
  return parsed.toString().replace(/\/$/, '');
}

/** Runs one provider version: network, broker, dependencies, provider, verification, teardown (always, in reverse order). */
async function runOne(args: ContractTestArgs, run: ProviderRun, pacts: readonly DeployedPact[], io: CliIO, runId: string): Promise<BrokerVerificationReport> {
  const labels = { [RUN_LABEL]: runId };
  const stack: (() => Promise<void>)[] = [];
  const teardown = async (): Promise<void> => {
    while (stack.length > 0)
      await (stack.pop() as () => Promise<void>)().catch((error: unknown) => io.stderr(`herald contract-test: cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`));
  };
  const release = onProcessEnd(`the contract-test run ${runId} (provider, dependencies, broker, network)`, teardown);
  try {
    // The run id is the value of the label on everything the run starts.
    io.stderr(`herald contract-test: starting ${run.provider} ${run.providerVersion} on ${args.transport} (run ${runId})\n`);
    // An image provider joins the run's network; a command provider uses host addresses.
    const inNetwork = args.image !== undefined;
    const network = inNetwork ? await startRunNetwork(runId) : undefined;
    if (network !== undefined) {
      stack.push(() => network.stop());
      // Runs after the broker stopped: removes what a failed start left, so the network can go.
      stack.push(() => removeRunContainers(runId));
    }
    const environment: Record<string, string> = {};
    let brokerArgs: { brokers?: readonly string[]; amqpUrl?: string };
    if (args.transport === 'kafka') {
      const adapter = loadPeer<BrokerAdapters>('herald/kafka', 'herald contract-test --transport kafka', () => require('herald/kafka') as unknown);
      const starting = adapter.startKafkaBroker({ external: false, labels });
      stack.push(async () => (await starting.catch(() => undefined))?.stop());
      const broker = await starting;
      if (network !== undefined && broker.containerId !== undefined) {
        // Kafka advertises its in-network listener under the container's hostname: both names resolve on the network.
        await network.connect(broker.containerId, [KAFKA_ALIAS, await containerHostname(broker.containerId)]);
        environment['HERALD_KAFKA_BROKERS'] = `${KAFKA_ALIAS}:${KAFKA_NETWORK_PORT}`;
      } else environment['HERALD_KAFKA_BROKERS'] = broker.brokers.join(',');
      brokerArgs = { brokers: broker.brokers };
    } else {
      const adapter = loadPeer<BrokerAdapters>('herald/amqp', 'herald contract-test --transport amqp', () => require('herald/amqp') as unknown);
      const starting = adapter.startRabbitMqBroker({ external: false, labels });
      stack.push(async () => (await starting.catch(() => undefined))?.stop());
      const broker = await starting;
      if (network !== undefined && broker.containerId !== undefined) {
        await network.connect(broker.containerId, [RABBITMQ_ALIAS]);
        environment['HERALD_AMQP_URL'] = inNetworkAmqpUrl(broker.url);
      } else environment['HERALD_AMQP_URL'] = broker.url;
      brokerArgs = { amqpUrl: broker.url };
    }
    const spec: ProviderSpec = {
      ...(args.image === undefined ? {} : { image: args.image }),
      ...(args.command === undefined ? {} : { command: args.command, cwd: io.cwd ?? process.cwd() }),
      version: run.providerVersion,
      environment,
      ...(args.port === undefined ? {} : { port: args.port }),
      health: { ...(args.healthPath === undefined ? {} : { path: args.healthPath }), ...(args.healthLog === undefined ? {} : { log: args.healthLog }), timeoutMs: args.healthTimeoutMs },
      dependencies: args.dependencies,
      ...(network === undefined ? {} : { network }),
      runId,
    };
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
    return await source.verify(
      pacts.map((p) => p.contract),
      { provider: run.provider },
    );
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
  const { url, auth, timeoutMs } = args.broker;
  const source =
    deps.source ??
    new PactBrokerDeploymentSource({
      url,
      ...(auth === undefined ? {} : 'token' in auth ? { token: auth.token } : { basic: auth }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  const publish =
    deps.publish ??
    (args.publishResults ? brokerResultPublisher(new BrokerClient({ url, ...(auth === undefined ? {} : { auth }), ...(timeoutMs === undefined ? {} : { timeoutMs }) }), heraldVersion()) : undefined);
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
    const pacts = await Promise.all(planned.consumers.map((c) => source.pact(c.consumer, c.version, planned.provider)));
    const runId = `ct-${randomBytes(4).toString('hex')}`;
    const report = await runOne(args, planned, pacts, io, runId);
    io.stdout(`${planned.provider} ${planned.providerVersion} against ${planned.consumers.map((c) => `${c.consumer} ${c.version}`).join(', ')}:\n${formatReport(report)}\n`);
    if (!report.summary.ok) failed = true;
    if (publish !== undefined) for (const line of await publish({ run: planned, pacts, report })) io.stdout(`${line}\n`);
  }
  return failed ? 1 : 0;
}

export const usage = CONTRACT_TEST_USAGE;
