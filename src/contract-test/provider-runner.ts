/**
 * Starts the provider under test at one version: a container image (`orders:{version}`, through
 * testcontainers, an optional peer) or a command (`node server.js`, spawned). The provider gets
 * the broker's addresses through environment variables (HERALD_KAFKA_BROKERS, HERALD_AMQP_URL,
 * HERALD_PROVIDER_VERSION, and HERALD_DEP_<NAME> for each dependency) and is waited for until
 * healthy. Everything started here is labelled `dev.herald.contract-test=<runId>` and stopped by
 * `stop()` (idempotent), whatever happened before.
 *
 * An image provider and its dependencies share one Docker network (the run's, with the broker on
 * it, or one of their own): the provider reaches a dependency at `<name>:<port>` and publishes its
 * own port on the host, where Herald checks its health. A command provider runs on the host and
 * reaches the dependencies at their host-mapped ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { WaitStrategy } from 'testcontainers';
import { HeraldError } from '../errors/herald-error';
import { loadPeer } from '../transport/peer';
import { LogTail, tail, waitForHealth, type HealthCheck } from './health';
import { removeRunContainers, RUN_LABEL, startRunNetwork, type StartedRunNetwork, type Testcontainers } from './run-network';

export { RUN_LABEL, type Testcontainers } from './run-network';

/** A container the provider needs (a database…), started before it. */
export interface DependencySpec {
  /** Name on the network; the provider gets HERALD_DEP_<NAME>=<name>:<port> (an image) or the host-mapped address (a command). */
  readonly name: string;
  readonly image: string;
  /** The port the provider talks to. */
  readonly port: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** A log line that says it is ready (default: its port accepting connections). */
  readonly readyLog?: RegExp;
}

/** How to start the provider: exactly one of `image` and `command`. */
export interface ProviderSpec {
  /** Image reference; `{version}` is replaced by the version (`herald/orders:{version}`). */
  readonly image?: string;
  /** Shell command run in `cwd`; `{version}` is replaced too. */
  readonly command?: string;
  readonly cwd?: string;
  readonly version: string;
  /** Variables for the provider besides the ones Herald sets. */
  readonly environment?: Readonly<Record<string, string>>;
  /** The provider's own HTTP port, if it has one (the health check and triggers use it). */
  readonly port?: number;
  /** When healthy: an HTTP path on `port`, a log line, else `port` accepting connections, else started is enough. */
  readonly health?: { readonly path?: string; readonly log?: RegExp; readonly timeoutMs?: number };
  readonly dependencies?: readonly DependencySpec[];
  /** The run's network (the broker is on it); without it, one is created for the dependencies and image. */
  readonly network?: StartedRunNetwork;
  /** Labels every container and network (the run id goes in RUN_LABEL). */
  readonly runId: string;
  /** testcontainers loader (tests); default require('testcontainers'). */
  readonly loadTestcontainers?: () => unknown;
}

/** A provider that is up and healthy. */
export interface StartedProvider extends AsyncDisposable {
  /** `image herald/orders:1.0.0` or `command "node server.js"`. */
  readonly description: string;
  /** Where the host reaches the provider's port (`http://127.0.0.1:32781` for an image) when the spec gave a port. */
  readonly url: string | undefined;
  readonly logs: LogTail;
  /** Stops the provider, its dependencies and their network. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;

/** testcontainers' default waits for the exposed ports with its own timeout; Herald's health check does the waiting. */
const STARTED_IS_ENOUGH: WaitStrategy = {
  waitUntilReady: () => Promise.resolve(),
  withStartupTimeout: () => STARTED_IS_ENOUGH,
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
};

/** The health check on `host:port`, where the host reaches the provider's port. */
function healthCheck(spec: ProviderSpec, host: string, port: number | undefined): HealthCheck | undefined {
  if (spec.health?.log !== undefined) return { kind: 'log', pattern: spec.health.log };
  if (port === undefined) return undefined;
  if (spec.health?.path !== undefined) return { kind: 'http', url: `http://${host}:${port}${spec.health.path.startsWith('/') ? '' : '/'}${spec.health.path}` };
  return { kind: 'tcp', host, port };
}

/** Runs the cleanups in reverse order, all of them, and throws the first failure after. */
async function unwind(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  let first: unknown;
  while (cleanups.length > 0) {
    const next = cleanups.pop() as () => Promise<unknown>;
    try {
      await next();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}

/**
 * Starts the provider (and its dependencies) and waits until it is healthy. On any failure,
 * what was started is stopped before the error is thrown.
 *
 * @example
 * await using provider = await startProvider({ image: 'herald/orders:{version}', version: '1.0.0', port: 8080,
 *   health: { path: '/health' }, environment: { HERALD_KAFKA_BROKERS: broker.brokers.join(',') }, runId });
 */
export async function startProvider(spec: ProviderSpec): Promise<StartedProvider> {
  if ((spec.image === undefined) === (spec.command === undefined)) {
    throw new HeraldError('HERALD_USAGE', 'Give the provider as exactly one of --image and --command.');
  }
  const cleanups: (() => Promise<unknown>)[] = [];
  const logs = new LogTail();
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= unwind(cleanups));
  try {
    const environment: Record<string, string> = { ...spec.environment, HERALD_PROVIDER_VERSION: spec.version };
    if (spec.port !== undefined) environment['PORT'] ??= String(spec.port);
    const deps = spec.dependencies ?? [];
    let network = spec.network;
    if (network === undefined && (deps.length > 0 || spec.image !== undefined)) {
      const own = await startRunNetwork(spec.runId, spec.loadTestcontainers);
      cleanups.push(() => own.stop());
      // Before the network goes: what a failed start left (the owner of a given network sweeps it).
      cleanups.push(() => removeRunContainers(spec.runId, spec.loadTestcontainers));
      network = own;
    }
    for (const dep of deps) {
      const tc = loadPeer<Testcontainers>('testcontainers', 'provider dependencies in containers (herald contract-test)', spec.loadTestcontainers);
      let container = new tc.GenericContainer(dep.image)
        .withNetworkMode((network as StartedRunNetwork).name)
        .withNetworkAliases(dep.name)
        .withExposedPorts(dep.port)
        .withEnvironment({ ...dep.environment })
        .withLabels({ [RUN_LABEL]: spec.runId });
      if (dep.readyLog !== undefined) container = container.withWaitStrategy(tc.Wait.forLogMessage(dep.readyLog));
      let started;
      try {
        started = await container.start();
      } catch (error) {
        throw new HeraldError(
          'HERALD_PROVIDER_START_FAILED',
          `Failed to start the provider's dependency ${dep.name} (image ${dep.image}): ${error instanceof Error ? error.message : String(error)}. Build or pull the image, and check its port ${dep.port}.`,
          { cause: error },
        );
      }
      const dependency = started;
      cleanups.push(() => dependency.stop({ remove: true, removeVolumes: true }));
      environment[`HERALD_DEP_${dep.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] =
        spec.image !== undefined ? `${dep.name}:${dep.port}` : `${dependency.getHost()}:${dependency.getMappedPort(dep.port)}`;
    }
    const description = spec.image !== undefined ? `image ${spec.image.replaceAll('{version}', spec.version)}` : `command "${(spec.command ?? '').replaceAll('{version}', spec.version)}"`;
    let exited: () => string | undefined;
    let host = '127.0.0.1';
    let hostPort = spec.port;
    if (spec.image !== undefined) {
      const image = spec.image.replaceAll('{version}', spec.version);
      const tc = loadPeer<Testcontainers>('testcontainers', 'providers started from an image (herald contract-test --image)', spec.loadTestcontainers);
      let gone: string | undefined;
      let container;
      try {
        let definition = new tc.GenericContainer(image)
          .withNetworkMode((network as StartedRunNetwork).name)
          .withEnvironment(environment)
          .withLabels({ [RUN_LABEL]: spec.runId })
          .withWaitStrategy(STARTED_IS_ENOUGH)
          .withLogConsumer((stream) => {
            stream.on('data', (chunk: Buffer | string) => logs.push(chunk));
            // The log stream ends when the container exits: the provider is gone.
            stream.on('end', () => (gone ??= 'exited'));
          });
        if (spec.port !== undefined) definition = definition.withExposedPorts(spec.port);
        container = await definition.start();
      } catch (error) {
        throw new HeraldError(
          'HERALD_PROVIDER_START_FAILED',
          `Failed to start the provider's ${description}: ${error instanceof Error ? error.message : String(error)}. Build the image first (docs/contract-test.md).${tail(logs)}`,
          { cause: error },
        );
      }
      const started = container;
      cleanups.push(() => started.stop({ remove: true, removeVolumes: true }));
      host = started.getHost();
      if (spec.port !== undefined) hostPort = started.getMappedPort(spec.port);
      exited = () => gone;
    } else {
      const command = (spec.command ?? '').replaceAll('{version}', spec.version);
      const child: ChildProcess = spawn(command, { shell: true, cwd: spec.cwd, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
      let gone: string | undefined;
      child.once('error', (error) => (gone = `could not be spawned (${error.message})`));
      child.once('exit', (code, signal) => (gone = signal === null ? `exited with status ${code ?? '?'}` : `was killed by ${signal}`));
      child.stdout?.on('data', (chunk: Buffer) => logs.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk));
      cleanups.push(() => killTree(child, () => gone !== undefined));
      exited = () => gone;
    }
    const check = healthCheck(spec, host, hostPort);
    if (check !== undefined) await waitForHealth(`The provider (${description})`, check, logs, spec.health?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS, exited);
    return {
      description,
      url: hostPort === undefined ? undefined : `http://${host}:${hostPort}`,
      logs,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** SIGTERM to the command's process group, SIGKILL after 5 s; resolves once it exited. */
async function killTree(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited() || child.pid === undefined) return;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (process.platform === 'win32') child.kill(sig);
      else process.kill(-(child.pid as number), sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exit;
  clearTimeout(timer);
}
