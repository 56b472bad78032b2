/**
 * RabbitMQ brokers for tests, on testcontainers (an optional peer).
 *
 * Image: `rabbitmq:3.13-management` unless `HERALD_RABBITMQ_IMAGE` or the constructor says
 * otherwise (CI points it at the local `herald/rabbitmq:3.10-debian`). External mode: with
 * `HERALD_AMQP_URL` set, `startRabbitMqBroker()` starts nothing and returns that broker.
 */
import { diagnoseStart, env, externalBroker, hostPort, loadTestcontainers, startFailed, stopOnce, waitForPort, type StartedBroker, type Testcontainers } from '../shared/containers';
import { redactUrl } from './errors';

export const DEFAULT_RABBITMQ_IMAGE = 'rabbitmq:3.13-management';
const AMQP_PORT = 5672;
const MANAGEMENT_PORT = 15672;

/** A RabbitMQ broker that is up: `await using broker = await startRabbitMqBroker()`. */
export interface StartedRabbitMqBroker extends StartedBroker {
  /** AMQP URL with credentials, e.g. `amqp://guest:guest@localhost:32771`. */
  readonly url: string;
  /** Management HTTP API, when the container exposes it (withManagement()). */
  readonly managementUrl: string | undefined;
  /**
   * The container's id, for fault tests (stop it mid-test with `docker stop`); undefined in
   * external mode.
   */
  readonly containerId: string | undefined;
}

/**
 * A RabbitMQ container to configure, then start.
 *
 * @example
 * await using broker = await new RabbitMqBrokerContainer().withCredentials('herald', 's3cret').start();
 * const transport = new AmqpTransport({ url: broker.url });
 */
export class RabbitMqBrokerContainer {
  private labels: Record<string, string> = {};
  private readonly image: string;
  private environment: Record<string, string> = {};
  private user = 'guest';
  private password = 'guest';
  private vhost = '/';
  private startupTimeoutMs = 120_000;
  private management = false;
  private loader: (() => unknown) | undefined;

  constructor(image: string = env('HERALD_RABBITMQ_IMAGE') ?? DEFAULT_RABBITMQ_IMAGE) {
    this.image = image;
  }

  /** Docker labels on the container, e.g. to find what a run started (`docker ps --filter label=…`). */
  withLabels(labels: Readonly<Record<string, string>>): this {
    this.labels = { ...this.labels, ...labels };
    return this;
  }

  withEnvironment(environment: Readonly<Record<string, string>>): this {
    this.environment = { ...this.environment, ...environment };
    return this;
  }

  withCredentials(user: string, password: string): this {
    this.user = user;
    this.password = password;
    return this;
  }

  withVhost(vhost: string): this {
    this.vhost = vhost;
    return this;
  }

  /** Also enables and exposes the management HTTP API (`managementUrl`). */
  withManagement(enabled = true): this {
    this.management = enabled;
    return this;
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

  async start(): Promise<StartedRabbitMqBroker> {
    const tc: Testcontainers = loadTestcontainers(this.loader);
    const started = performance.now();
    const ports = this.management ? [AMQP_PORT, MANAGEMENT_PORT] : [AMQP_PORT];
    const vhostEnv: Record<string, string> = this.vhost === '/' ? {} : { RABBITMQ_DEFAULT_VHOST: this.vhost };
    // RabbitMQ's own variable: works for the official images and herald/rabbitmq alike.
    const pluginsEnv: Record<string, string> = this.management ? { RABBITMQ_ENABLED_PLUGINS: 'rabbitmq_management' } : {};
    let container: Awaited<ReturnType<InstanceType<Testcontainers['GenericContainer']>['start']>>;
    try {
      container = await new tc.GenericContainer(this.image)
        .withExposedPorts(...ports)
        .withLabels(this.labels)
        .withEnvironment({ RABBITMQ_DEFAULT_USER: this.user, RABBITMQ_DEFAULT_PASS: this.password, ...vhostEnv, ...pluginsEnv, ...this.environment })
        .withWaitStrategy(tc.Wait.forAll([tc.Wait.forLogMessage(/Server startup complete/), tc.Wait.forListeningPorts()]))
        .withStartupTimeout(this.startupTimeoutMs)
        .start();
    } catch (error) {
      throw await diagnoseStart(tc, 'a RabbitMQ broker', this.image, 'HERALD_RABBITMQ_IMAGE', 'HERALD_AMQP_URL', error);
    }
    const host = container.getHost();
    const vhostPath = this.vhost === '/' ? '' : `/${encodeURIComponent(this.vhost)}`;
    const url = `amqp://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@${host}:${container.getMappedPort(AMQP_PORT)}${vhostPath}`;
    const stop = stopOnce(container);
    return {
      url,
      managementUrl: this.management ? `http://${host}:${container.getMappedPort(MANAGEMENT_PORT)}` : undefined,
      containerId: container.getId(),
      external: false,
      image: this.image,
      readyMs: Math.round(performance.now() - started),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}

export interface StartRabbitMqBrokerOptions {
  /** Image to start (default: HERALD_RABBITMQ_IMAGE, else rabbitmq:3.13-management). */
  readonly image?: string;
  readonly user?: string;
  readonly password?: string;
  readonly vhost?: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly startupTimeoutMs?: number;
  /** Docker labels on the container. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Use this running broker instead of starting one (default: HERALD_AMQP_URL); false always starts one. */
  readonly external?: string | false;
}

/**
 * Starts a RabbitMQ broker, or returns the one HERALD_AMQP_URL names (external mode: nothing
 * started, stop is a no-op; the port is checked so a missing broker fails here, clearly).
 *
 * @example
 * await using broker = await startRabbitMqBroker();
 * await using transport = new AmqpTransport({ url: broker.url });
 */
export async function startRabbitMqBroker(options: StartRabbitMqBrokerOptions = {}): Promise<StartedRabbitMqBroker> {
  const external = options.external === false ? undefined : (options.external ?? env('HERALD_AMQP_URL'));
  if (external !== undefined) {
    const started = performance.now();
    const parsed = new URL(external);
    const { host, port } = hostPort(parsed.host, parsed.protocol === 'amqps:' ? 5671 : AMQP_PORT);
    try {
      await waitForPort(host, port, options.startupTimeoutMs ?? 10_000);
    } catch (error) {
      throw startFailed('an external RabbitMQ broker', redactUrl(external), 'HERALD_RABBITMQ_IMAGE', 'HERALD_AMQP_URL', error);
    }
    return externalBroker({ url: external, managementUrl: undefined, containerId: undefined }, Math.round(performance.now() - started));
  }
  let container = new RabbitMqBrokerContainer(options.image);
  if (options.user !== undefined || options.password !== undefined) container = container.withCredentials(options.user ?? 'guest', options.password ?? 'guest');
  if (options.vhost !== undefined) container = container.withVhost(options.vhost);
  if (options.environment !== undefined) container = container.withEnvironment(options.environment);
  if (options.startupTimeoutMs !== undefined) container = container.withStartupTimeout(options.startupTimeoutMs);
  if (options.labels !== undefined) container = container.withLabels(options.labels);
  return container.start();
}
