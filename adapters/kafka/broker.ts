/**
 * Kafka brokers for tests, on testcontainers (an optional peer): a single KRaft node
 * (broker + controller) of the `apache/kafka` image, or any image with its KAFKA_* interface
 * (`herald/kafka:3.9.x`, built by scripts/brokers/build-images.sh).
 *
 * Clients must reach the broker at the host port Docker maps, which is only known once the
 * container runs, while Kafka needs it in `advertised.listeners` at start. As testcontainers'
 * own Kafka modules do, the container starts a shell that waits for a start script; once the
 * port is mapped, Herald copies in the script (export KAFKA_ADVERTISED_LISTENERS=…;
 * exec /etc/kafka/docker/run) and waits for "Kafka Server started" and the port.
 *
 * Image: `apache/kafka:3.9.1` unless `HERALD_KAFKA_IMAGE` or the constructor says otherwise.
 * External mode: with `HERALD_KAFKA_BROKERS` set (comma-separated host:port), `startKafkaBroker()`
 * starts nothing and returns those brokers.
 */
import type { InspectResult, StartedTestContainer, WaitStrategy } from 'testcontainers';
import { diagnoseStart, env, externalBroker, hostPort, loadTestcontainers, startFailed, stopOnce, waitForPort, type StartedBroker, type Testcontainers } from '../shared/containers';

export const DEFAULT_KAFKA_IMAGE = 'apache/kafka:3.9.1';

/** Listener for clients (mapped to a host port). */
const KAFKA_PORT = 9092;
/** Listener between brokers (the container's own hostname). */
const BROKER_PORT = 9093;
const CONTROLLER_PORT = 9094;
const STARTER_SCRIPT = '/tmp/herald_kafka_start.sh';
const STARTER_READY = '/tmp/herald_kafka_start.ready';
const WAITING_MESSAGE = 'Herald: waiting for the start script';

/** A Kafka broker that is up: `await using broker = await startKafkaBroker()`. */
export interface StartedKafkaBroker extends StartedBroker {
  /** Bootstrap addresses for clients, e.g. `['localhost:32771']`. */
  readonly brokers: readonly string[];
  /** The container's id (undefined in external mode). */
  readonly containerId: string | undefined;
}

/**
 * A single-node KRaft Kafka container to configure, then start.
 *
 * @example
 * await using broker = await new KafkaBrokerContainer().withAutoCreateTopics(false).start();
 * const transport = new KafkaTransport({ brokers: broker.brokers });
 */
export class KafkaBrokerContainer {
  private labels: Record<string, string> = {};
  private readonly image: string;
  private environment: Record<string, string> = {};
  private startupTimeoutMs = 180_000;
  private loader: (() => unknown) | undefined;

  constructor(image: string = env('HERALD_KAFKA_IMAGE') ?? DEFAULT_KAFKA_IMAGE) {
    this.image = image;
  }

  /** Docker labels on the container, e.g. to find what a run started (`docker ps --filter label=…`). */
  withLabels(labels: Readonly<Record<string, string>>): this {
    this.labels = { ...this.labels, ...labels };
    return this;
  }

  /** KAFKA_* variables (apache/kafka image convention: KAFKA_NUM_PARTITIONS → num.partitions). */
  withEnvironment(environment: Readonly<Record<string, string>>): this {
    this.environment = { ...this.environment, ...environment };
    return this;
  }

  /** Whether the broker creates topics on first use (`auto.create.topics.enable`, default true). */
  withAutoCreateTopics(enabled: boolean): this {
    return this.withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: String(enabled) });
  }

  /** Default partition count of new topics (`num.partitions`, default 1). */
  withDefaultPartitions(partitions: number): this {
    return this.withEnvironment({ KAFKA_NUM_PARTITIONS: String(partitions) });
  }

  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }

  /** How testcontainers is loaded (tests simulate a missing peer with it). */
  withTestcontainersLoader(load: () => unknown): this {
    this.loader = load;
    return this;
  }

  /** The environment the container starts with (advertised listeners come later, in the start script). */
  kraftEnvironment(): Record<string, string> {
    return {
      CLUSTER_ID: '4L6g3nShT-eMCtK--X86sw',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${CONTROLLER_PORT}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${KAFKA_PORT},BROKER://0.0.0.0:${BROKER_PORT},CONTROLLER://0.0.0.0:${CONTROLLER_PORT}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'BROKER:PLAINTEXT,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_LOG_FLUSH_INTERVAL_MESSAGES: '9223372036854775807',
      ...this.environment,
    };
  }

  async start(): Promise<StartedKafkaBroker> {
    const tc: Testcontainers = loadTestcontainers(this.loader);
    const started = performance.now();
    const ready: WaitStrategy = tc.Wait.forLogMessage(/Kafka Server started/).withStartupTimeout(this.startupTimeoutMs);

    /** Copies in the start script once the mapped port is known, then waits for Kafka. */
    class HeraldKafkaContainer extends tc.GenericContainer {
      protected override async containerStarted(container: StartedTestContainer, inspect: InspectResult): Promise<void> {
        try {
          const advertised = `PLAINTEXT://${container.getHost()}:${container.getMappedPort(KAFKA_PORT)},BROKER://${inspect.hostname}:${BROKER_PORT}`;
          const script = ['#!/bin/bash', `export KAFKA_ADVERTISED_LISTENERS='${advertised}'`, 'exec /etc/kafka/docker/run', ''].join('\n');
          await container.copyContentToContainer([{ content: script, target: STARTER_SCRIPT, mode: 0o755 }]);
          // A second file: the script is complete when this one appears.
          await container.copyContentToContainer([{ content: '', target: STARTER_READY, mode: 0o644 }]);
          const client = await tc.getContainerRuntimeClient();
          const ports = tc.BoundPorts.fromInspectResult(client.info.containerRuntime.hostIps, inspect).filter(this.exposedPorts);
          await tc.waitForContainer(client, client.container.getById(container.getId()), ready, ports);
          await waitForPort(container.getHost(), container.getMappedPort(KAFKA_PORT), 30_000);
        } catch (error) {
          await container.stop({ timeout: 0 }).catch(() => undefined);
          throw error;
        }
      }
    }

    let container: StartedTestContainer;
    try {
      container = await new HeraldKafkaContainer(this.image)
        .withExposedPorts(KAFKA_PORT)
        .withLabels(this.labels)
        .withEnvironment(this.kraftEnvironment())
        .withEntrypoint(['sh'])
        .withCommand(['-c', `echo '${WAITING_MESSAGE}'; while [ ! -f ${STARTER_READY} ]; do sleep 0.1; done; exec bash ${STARTER_SCRIPT}`])
        .withWaitStrategy(tc.Wait.forLogMessage(WAITING_MESSAGE))
        .withStartupTimeout(this.startupTimeoutMs)
        .start();
    } catch (error) {
      throw await diagnoseStart(tc, 'a Kafka broker', this.image, 'HERALD_KAFKA_IMAGE', 'HERALD_KAFKA_BROKERS', error);
    }
    const stop = stopOnce(container);
    return {
      brokers: [`${container.getHost()}:${container.getMappedPort(KAFKA_PORT)}`],
      containerId: container.getId(),
      external: false,
      image: this.image,
      readyMs: Math.round(performance.now() - started),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}

export interface StartKafkaBrokerOptions {
  /** Image to start (default: HERALD_KAFKA_IMAGE, else apache/kafka:3.9.1). */
  readonly image?: string;
  /** Broker-side topic auto-creation (default true, Kafka's default). */
  readonly autoCreateTopics?: boolean;
  /** KAFKA_* variables. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly startupTimeoutMs?: number;
  /** Docker labels on the container. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Use these running brokers instead of starting one (default: HERALD_KAFKA_BROKERS); false always starts one. */
  readonly external?: readonly string[] | false;
}

/**
 * Starts a single-node Kafka, or returns the brokers HERALD_KAFKA_BROKERS names (external mode:
 * nothing started, stop is a no-op; the first broker's port is checked so a missing broker fails
 * here, clearly).
 *
 * @example
 * await using broker = await startKafkaBroker();
 * await using transport = new KafkaTransport({ brokers: broker.brokers });
 */
export async function startKafkaBroker(options: StartKafkaBrokerOptions = {}): Promise<StartedKafkaBroker> {
  const fromEnv = env('HERALD_KAFKA_BROKERS')
    ?.split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const external = options.external === false ? undefined : (options.external ?? fromEnv);
  if (external !== undefined && external.length > 0) {
    const started = performance.now();
    const { host, port } = hostPort(external[0] as string, KAFKA_PORT);
    try {
      await waitForPort(host, port, options.startupTimeoutMs ?? 10_000);
    } catch (error) {
      throw startFailed('an external Kafka broker', external.join(','), 'HERALD_KAFKA_IMAGE', 'HERALD_KAFKA_BROKERS', error);
    }
    return externalBroker({ brokers: [...external], containerId: undefined }, Math.round(performance.now() - started));
  }
  let container = new KafkaBrokerContainer(options.image);
  if (options.autoCreateTopics !== undefined) container = container.withAutoCreateTopics(options.autoCreateTopics);
  if (options.environment !== undefined) container = container.withEnvironment(options.environment);
  if (options.startupTimeoutMs !== undefined) container = container.withStartupTimeout(options.startupTimeoutMs);
  if (options.labels !== undefined) container = container.withLabels(options.labels);
  return container.start();
}
