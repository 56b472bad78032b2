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
import { usageError } from './args';
import { parseKafkaClient, type BrokerArgs, type KafkaClientName } from './broker-args';
import { onInterrupt, onProcessEnd, onStrayError } from './lifecycle';
import { importUserModule } from './load-module';
import { ProgressLines } from './progress';

export { BROKER_OPTIONS, BROKER_USAGE, KAFKA_CLIENTS, parseBrokerArgs, parseKafkaClient, TRANSPORTS } from './broker-args';
export type { BrokerArgs, KafkaClientName, TransportName } from './broker-args';

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
