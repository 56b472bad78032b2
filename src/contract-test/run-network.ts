/**
 * The one Docker network of a contract-test run: the Kafka / RabbitMQ broker, the provider's
 * dependencies and the provider image join it, so the provider reaches each of them by name
 * (`kafka:9093`, `store:7070`) while Herald reaches them at their host-mapped ports. The network
 * carries the run label, so a leftover one is found with
 * `docker network ls --filter label=dev.herald.contract-test`.
 */
import { randomBytes } from 'node:crypto';
import { HeraldError } from '../errors/herald-error';
import { loadPeer } from '../transport/peer';

export type Testcontainers = typeof import('testcontainers');

/** The label on every container and network a contract-test run starts. */
export const RUN_LABEL = 'dev.herald.contract-test';

/** A run's network, up: join containers to it by name, remove it when the run ends. */
export interface StartedRunNetwork extends AsyncDisposable {
  /** The Docker network's name (what `withNetworkMode` takes). */
  readonly name: string;
  /** Connects a running container (the broker) under `aliases`. */
  connect(containerId: string, aliases: readonly string[]): Promise<void>;
  /** Removes the network. Idempotent. */
  stop(): Promise<void>;
}

/** The container's own hostname (what Kafka advertises on its in-network listener). */
export async function containerHostname(containerId: string, loader?: () => unknown): Promise<string> {
  const tc = loadPeer<Testcontainers>('testcontainers', 'herald contract-test', loader);
  const client = await tc.getContainerRuntimeClient();
  const inspect = await client.container.inspect(client.container.getById(containerId));
  return inspect.Config.Hostname;
}

/**
 * Removes every container labelled with the run, running or not: a container whose start failed
 * (a port never bound, a wait strategy timed out) is left by testcontainers, and a network cannot
 * be removed while a container is attached to it.
 */
export async function removeRunContainers(runId: string, loader?: () => unknown): Promise<void> {
  const tc = loadPeer<Testcontainers>('testcontainers', 'herald contract-test', loader);
  const docker = (await tc.getContainerRuntimeClient()).container.dockerode;
  const left = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
  for (const info of left) await docker.getContainer(info.Id).remove({ force: true, v: true });
}

/**
 * Creates a labelled bridge network for the run `runId`.
 *
 * @example
 * await using network = await startRunNetwork('ct-1a2b3c4d');
 * await network.connect(broker.containerId, ['kafka']);
 */
export async function startRunNetwork(runId: string, loader?: () => unknown): Promise<StartedRunNetwork> {
  const tc = loadPeer<Testcontainers>('testcontainers', 'herald contract-test', loader);
  const client = await tc.getContainerRuntimeClient();
  const name = `herald-${runId}-${randomBytes(3).toString('hex')}`;
  let network;
  try {
    network = await client.network.create({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [RUN_LABEL]: runId } });
  } catch (error) {
    throw new HeraldError(
      'HERALD_PROVIDER_START_FAILED',
      `Failed to create the Docker network ${name} for the run: ${error instanceof Error ? error.message : String(error)}. Check that Docker is running.`,
      {
        cause: error,
      },
    );
  }
  const created = network;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= client.network.remove(created));
  return {
    name,
    connect: (containerId, aliases) => client.container.connectToNetwork(client.container.getById(containerId), created, [...aliases]),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
