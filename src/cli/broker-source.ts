/**
 * `herald verify --transport kafka|amqp|memory --triggers <module>`: the message source that
 * verifies through a real broker (verifyProviderOnBroker). The broker comes from --brokers /
 * --amqp-url, else HERALD_KAFKA_BROKERS / HERALD_AMQP_URL, else a container when --start-broker
 * is given; with none of them the command exits 2 and says which to set.
 *
 * The adapters are loaded here, lazily, through their public subpaths (herald/kafka,
 * herald/amqp), like optional peers: the core never imports them, and a project without
 * kafkajs / amqplib only needs them when it asks for that transport.
 */
import type { Contract } from '../contract/model';
import type { Env } from '../report/color';
import { InMemoryTransport } from '../transport/memory';
import { loadPeer } from '../transport/peer';
import type { TransportAdapter } from '../transport/types';
import { asTriggerDefinition, type TriggerDefinition } from '../verify/broker/definition';
import type { BrokerConnection } from '../verify/broker/connection';
import { verifyProviderOnBroker, type BrokerProgress, type BrokerVerificationReport } from '../verify/broker/verify-on-broker';
import { KafkaRequestReplyClient } from '../verify/kafka-reply';
import type { RequestReplyClient } from '../verify/reply-broker';
import type { VerifyOptions } from '../verify/verify-provider';
import { HeraldError } from '../errors/herald-error';
import { reasonOf, transportError } from '../transport/errors';
import { stringOption, stringOptions, usageError, type OptionTable, type ParsedOptions } from './args';
import { onInterrupt, onProcessEnd, onStrayError } from './lifecycle';
import { importUserModule } from './load-module';
import { ProgressLines } from './progress';

export const TRANSPORTS = ['kafka', 'amqp', 'memory'] as const;
export type TransportName = (typeof TRANSPORTS)[number];
/** Kafka clients Herald's transport can run on (herald/kafka's KAFKA_CLIENTS); kafkajs is the default. */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** The options broker verification adds to `herald verify`. */
export const BROKER_OPTIONS = {
  transport: { type: 'string', short: 't' },
  triggers: { type: 'string' },
  brokers: { type: 'string', multiple: true },
  'amqp-url': { type: 'string' },
  'kafka-client': { type: 'string' },
  'start-broker': { type: 'boolean' },
  timeout: { type: 'string' },
  'no-namespace': { type: 'boolean' },
} as const satisfies OptionTable;

export const BROKER_USAGE = `Verification on a real broker (instead of --factories):
  -t, --transport <name>         ${TRANSPORTS.join(' | ')}: capture what the provider publishes on this
                                 broker, and match payload and metadata (topic, key, headers /
                                 exchange, routing key, properties). On kafka and amqp,
                                 request/reply interactions are published on the contract's
                                 request channel with a reply address and correlation id, and
                                 the reply of the provider's running service is checked
      --triggers <module>        Module whose default export is providerTriggers(name, { states,
                                 triggers: { [description]: async (params, ctx) => publish } })
                                 (required with --transport)
      --brokers <host:port>      Kafka bootstrap brokers (repeatable or comma-separated;
                                 default: HERALD_KAFKA_BROKERS)
      --kafka-client <name>      ${KAFKA_CLIENTS.join(' | ')}: the Kafka client Herald captures with
                                 (default: HERALD_KAFKA_CLIENT, else kafkajs)
      --amqp-url <url>           RabbitMQ URL, amqp://user:pass@host:5672/vhost (default: HERALD_AMQP_URL)
      --start-broker             Without a broker given, start one in Docker (testcontainers;
                                 HERALD_KAFKA_IMAGE / HERALD_RABBITMQ_IMAGE) and remove it after
      --timeout <ms>             Wait for each interaction's message (default 10000)
      --no-namespace             Use the contracts' topic / exchange names as they are instead of
                                 run-scoped ones (only on a broker nothing else publishes to)
`;

export interface BrokerArgs {
  readonly transport: TransportName;
  readonly triggers: string;
  readonly brokers?: readonly string[];
  readonly amqpUrl?: string;
  /** The Kafka client given by --kafka-client (else HERALD_KAFKA_CLIENT when the source opens). */
  readonly kafkaClient?: KafkaClientName;
  readonly startBroker: boolean;
  readonly timeoutMs?: number;
  readonly namespace: boolean;
}

const isTransportName = (value: string): value is TransportName => (TRANSPORTS as readonly string[]).includes(value);
const isKafkaClientName = (value: string): value is KafkaClientName => (KAFKA_CLIENTS as readonly string[]).includes(value);

/** The Kafka client named by `value` (from `source`), kafkajs when none. Throws HERALD_USAGE listing the choices. */
export function parseKafkaClient(command: string, value: string | undefined, source: string): KafkaClientName {
  const name = value?.trim() ?? '';
  if (name === '') return 'kafkajs';
  if (!isKafkaClientName(name)) throw usageError(command, `Unknown Kafka client ${JSON.stringify(name)} in ${source}: use ${KAFKA_CLIENTS.join(' or ')}.`);
  return name;
}

/** The broker options of `herald verify`, or undefined when --transport is not given. Throws HERALD_USAGE. */
export function parseBrokerArgs(command: string, parsed: ParsedOptions, factories: string | undefined): BrokerArgs | undefined {
  const transport = stringOption(parsed, 'transport');
  const triggers = stringOption(parsed, 'triggers');
  const brokerOnly = ['brokers', 'amqp-url', 'kafka-client', 'timeout'].filter((o) => parsed.strings.has(o)).concat(['start-broker', 'no-namespace'].filter((o) => parsed.flags.has(o)));
  if (transport === undefined) {
    if (triggers !== undefined) throw usageError(command, `--triggers needs --transport: name the broker to verify on (--transport ${TRANSPORTS.join('|')}).`);
    if (brokerOnly.length > 0) throw usageError(command, `--${brokerOnly[0]} applies to verification on a broker: add --transport ${TRANSPORTS.join('|')} and --triggers <module>.`);
    return undefined;
  }
  if (!isTransportName(transport)) throw usageError(command, `Unknown transport ${JSON.stringify(transport)}: use ${TRANSPORTS.join(', ')}.`);
  if (factories !== undefined)
    throw usageError(command, '--factories and --transport do not go together: --factories verifies in-process, --transport on a broker through --triggers. Pass one of them.');
  if (triggers === undefined) throw usageError(command, "Missing --triggers: name the module exporting the provider's triggers (e.g. --triggers test/provider/triggers.ts).");
  const brokers = stringOptions(parsed, 'brokers')
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const amqpUrl = stringOption(parsed, 'amqp-url');
  if (brokers.length > 0 && transport !== 'kafka') throw usageError(command, `--brokers is for --transport kafka (got --transport ${transport}).`);
  if (amqpUrl !== undefined && transport !== 'amqp') throw usageError(command, `--amqp-url is for --transport amqp (got --transport ${transport}).`);
  const kafkaClientOption = stringOption(parsed, 'kafka-client');
  if (kafkaClientOption !== undefined && transport !== 'kafka') throw usageError(command, `--kafka-client is for --transport kafka (got --transport ${transport}).`);
  const kafkaClient = kafkaClientOption === undefined ? undefined : parseKafkaClient(command, kafkaClientOption, '--kafka-client');
  const timeout = stringOption(parsed, 'timeout');
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    timeoutMs = Number(timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw usageError(command, `Invalid --timeout ${JSON.stringify(timeout)}: give a positive number of milliseconds, e.g. --timeout 15000.`);
  }
  return {
    transport,
    triggers,
    startBroker: parsed.flags.has('start-broker'),
    namespace: !parsed.flags.has('no-namespace'),
    ...(brokers.length === 0 ? {} : { brokers }),
    ...(amqpUrl === undefined ? {} : { amqpUrl }),
    ...(kafkaClient === undefined ? {} : { kafkaClient }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/** What `herald verify` needs from a source of messages (see verify-command.ts). */
export interface BrokerSource {
  readonly providerName: string | undefined;
  verify(contracts: readonly Contract[], options: VerifyOptions): Promise<BrokerVerificationReport>;
  close(): Promise<void>;
}

/** A started broker, as the adapters' start functions return it. */
interface StartedLike {
  readonly readyMs: number;
  readonly image: string | undefined;
  readonly containerId?: string | undefined;
  stop(): Promise<void>;
}

/** The label on containers `--start-broker` starts: `docker ps --filter label=dev.herald.started-by=herald-cli`. */
export const STARTED_BY_LABEL = { 'dev.herald.started-by': 'herald-cli' } as const;

/** Default interval of progress lines on stderr (HERALD_PROGRESS_INTERVAL_MS; 0 turns them off). */
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;

/**
 * Errors nobody caught that mean a provider client lost its broker (amqplib's "Heartbeat timeout"
 * 'error' event without a listener, a kafkajs connection error from a promise nobody awaited).
 */
const LOST_CONNECTION =
  /Heartbeat timeout|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|Socket closed|Connection closed|Unexpected close|CONNECTION_FORCED|KafkaJSConnection|Connection (error|timeout)|Closed connection/i;

/** An AMQP channel the broker closed on a client (amqplib's 'error' event with no listener). */
const AMQP_CHANNEL_CLOSED = /Channel closed by server|NOT_FOUND - no (exchange|queue)|PRECONDITION_FAILED|ACCESS_REFUSED/;

/** Starts a broker and makes sure it is stopped however the process ends (signal, crash) until `close` takes over. */
async function startOwned<T extends StartedLike>(start: () => Promise<T>): Promise<{ broker: T; release: () => void }> {
  const starting = start();
  const release = onProcessEnd('the broker container Herald started', async () => {
    const broker = await starting.catch(() => undefined);
    await broker?.stop();
  });
  try {
    return { broker: await starting, release };
  } catch (error) {
    release();
    throw error;
  }
}

/** The parts of herald/kafka and herald/amqp the CLI uses. */
interface KafkaAdapter {
  createKafkaTransport(options: { readonly brokers: readonly string[]; readonly client: KafkaClientName }): TransportAdapter;
  startKafkaBroker(options: { readonly external: false; readonly labels: Readonly<Record<string, string>> }): Promise<StartedLike & { readonly brokers: readonly string[] }>;
}
interface AmqpAdapter {
  readonly AmqpTransport: new (options: { readonly url: string }) => TransportAdapter;
  readonly AmqpRequestReplyClient: new (options: { readonly url: string }) => RequestReplyClient & { close(): Promise<void> };
  startRabbitMqBroker(options: { readonly external: false; readonly labels: Readonly<Record<string, string>> }): Promise<StartedLike & { readonly url: string }>;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Loads and validates a triggers module. */
export async function loadTriggers(specifier: string, cwd: string): Promise<TriggerDefinition> {
  let value = await importUserModule(specifier, cwd, 'triggers');
  // The definition (`triggers` at the top), else the default export (twice for CommonJS interop).
  for (let depth = 0; depth < 3 && typeof value === 'object' && value !== null && !('triggers' in value) && 'default' in value; depth++) value = (value as { default: unknown }).default;
  return asTriggerDefinition(value, specifier);
}

/**
 * Opens the broker, the transport and the triggers; `close()` releases them (and removes a
 * started container), also when verification failed.
 */
export async function openBrokerSource(args: BrokerArgs, cwd: string, env: Env, log: (line: string) => void, quiet = false): Promise<BrokerSource> {
  const definition = await loadTriggers(args.triggers, cwd);
  const command = 'herald verify';
  let transport: TransportAdapter;
  // Request/reply interactions are checked on Kafka and AMQP; on the in-memory transport they stay HERALD_REPLY_NOT_CHECKED.
  let replies: (RequestReplyClient & { close?(): Promise<void> }) | undefined;
  let connection: BrokerConnection | undefined;
  let started: StartedLike | undefined;
  let release: () => void = () => undefined;
  const announce = (s: StartedLike, where: string): void =>
    log(`Started ${s.image ?? 'a broker'} for this run in ${s.readyMs} ms (${where}${s.containerId === undefined ? '' : `, container ${s.containerId.slice(0, 12)}`}); it is removed afterwards.\n`);
  if (args.transport === 'kafka') {
    const client = args.kafkaClient ?? parseKafkaClient(command, env['HERALD_KAFKA_CLIENT'], 'HERALD_KAFKA_CLIENT');
    const adapter = loadPeer<KafkaAdapter>('herald/kafka', 'herald verify --transport kafka', () => require('herald/kafka') as unknown);
    let brokers =
      args.brokers ??
      nonEmpty(env['HERALD_KAFKA_BROKERS'])
        ?.split(',')
        .map((b) => b.trim())
        .filter((b) => b !== '');
    if (brokers === undefined || brokers.length === 0) {
      if (!args.startBroker) throw usageError(command, 'Failed to verify on Kafka: no broker given. Pass --brokers host:port, set HERALD_KAFKA_BROKERS, or add --start-broker to start one in Docker.');
      // Starting Kafka takes 15–30 s: say so first, so the run is not silent meanwhile.
      if (!quiet) log('Starting Kafka in Docker for this run (--start-broker; 15–30 s)…\n');
      const owned = await startOwned(() => adapter.startKafkaBroker({ external: false, labels: STARTED_BY_LABEL }));
      const broker = owned.broker;
      ({ release } = owned);
      started = broker;
      brokers = broker.brokers;
      announce(broker, brokers.join(','));
    }
    connection = { brokers };
    transport = adapter.createKafkaTransport({ brokers, client });
    replies = new KafkaRequestReplyClient({ transport });
  } else if (args.transport === 'amqp') {
    const adapter = loadPeer<AmqpAdapter>('herald/amqp', 'herald verify --transport amqp', () => require('herald/amqp') as unknown);
    let url = args.amqpUrl ?? nonEmpty(env['HERALD_AMQP_URL']);
    if (url === undefined) {
      if (!args.startBroker)
        throw usageError(command, 'Failed to verify on AMQP: no broker given. Pass --amqp-url amqp://user:pass@host:5672, set HERALD_AMQP_URL, or add --start-broker to start RabbitMQ in Docker.');
      if (!quiet) log('Starting RabbitMQ in Docker for this run (--start-broker; 5–15 s)…\n');
      const owned = await startOwned(() => adapter.startRabbitMqBroker({ external: false, labels: STARTED_BY_LABEL }));
      const broker = owned.broker;
      ({ release } = owned);
      started = broker;
      url = broker.url;
      announce(broker, 'RabbitMQ');
    }
    connection = { url };
    transport = new adapter.AmqpTransport({ url });
    replies = new adapter.AmqpRequestReplyClient({ url });
  } else {
    transport = new InMemoryTransport();
  }
  const stop = started;
  // A provider client's connection error nobody handled (amqplib's heartbeat 'error' event with no
  // listener) ends the running verification as a lost connection. It stays absorbed for the rest of
  // the process: after the verdict, such an error (another client of the dead broker) changes nothing.
  let running: AbortController | undefined;
  let current: BrokerProgress['current'];
  onStrayError((error) => {
    // A trigger's own AMQP channel closed by the broker (e.g. publishing to a hard-coded exchange that
    // does not exist): end the run with a report naming the trigger; the run's names are still removed.
    if (running !== undefined && AMQP_CHANNEL_CLOSED.test(reasonOf(error))) {
      const trigger = current === undefined ? 'a trigger' : `the trigger for ${JSON.stringify(current.description)} (${current.consumer})`;
      running.abort(
        new HeraldError(
          'HERALD_TRIGGER_FAILED',
          `Failed to verify: the broker closed a channel of ${trigger}, and nobody handled the error (${reasonOf(error)}). ` +
            "Publish to ctx.exchange (AMQP) or ctx.topic (Kafka), the run-scoped names Herald captures on, not to a name written in the code; give the client an 'error' listener.",
          { cause: error, ...(current === undefined ? {} : { interaction: current.description }) },
        ),
      );
      return true;
    }
    if (!LOST_CONNECTION.test(`${String((error as { name?: unknown } | null)?.name ?? '')} ${reasonOf(error)}`)) return false;
    running?.abort(
      transportError(
        'HERALD_TRANSPORT_DISCONNECTED',
        `Failed to keep verifying: a client of the provider lost its connection to the broker and nobody handled the error (${reasonOf(error)}). Retry once the broker is back; give the provider's client an 'error' listener.`,
        { cause: error },
      ),
    );
    return true;
  });
  const interval = Number(nonEmpty(env['HERALD_PROGRESS_INTERVAL_MS']) ?? DEFAULT_PROGRESS_INTERVAL_MS);
  return {
    providerName: definition.name,
    verify: async (contracts, options) => {
      // SIGINT / SIGTERM and a provider client's uncaught connection error end the run with a report.
      const abort = new AbortController();
      running = abort;
      const offInterrupt = onInterrupt((signal) => {
        abort.abort(new HeraldError('HERALD_INTERRUPTED', `herald verify received ${signal}: the run was stopped before it finished. Run it again to completion.`));
      });
      const progress = new ProgressLines(log, quiet || !Number.isFinite(interval) ? 0 : interval);
      try {
        return await verifyProviderOnBroker(contracts, definition, {
          ...options,
          transport,
          signal: abort.signal,
          onProgress: (p) => {
            current = p.current;
            progress.update(p);
          },
          ...(connection === undefined ? {} : { connection }),
          ...(replies === undefined ? {} : { replies: { client: replies } }),
          ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
          ...(args.namespace ? {} : { namespace: false }),
        });
      } finally {
        progress.stop();
        offInterrupt();
        running = undefined;
        current = undefined;
      }
    },
    close: async () => {
      try {
        await replies?.close?.();
        await transport.close();
      } finally {
        await stop?.stop();
        release();
      }
    },
  };
}
