/**
 * What the Kafka and RabbitMQ broker helpers share: loading testcontainers lazily (an optional
 * peer), external mode (a broker given by environment variable, nothing started), readiness
 * timing, and turning Docker failures into HERALD_BROKER_START_FAILED with a remedy.
 */
import { createConnection } from 'node:net';
import { HeraldError } from 'herald';
import { loadPeer, reasonOf } from 'herald/adapter-kit';

export type Testcontainers = typeof import('testcontainers');

/** Loads testcontainers (an optional peer dependency). */
export function loadTestcontainers(load?: () => unknown): Testcontainers {
  return loadPeer<Testcontainers>('testcontainers', 'starting brokers in containers (startKafkaBroker, startRabbitMqBroker)', load);
}

/** Values of environment variables the broker helpers read, in one place. */
export function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A started broker: what the Kafka and RabbitMQ helpers return. */
export interface StartedBroker extends AsyncDisposable {
  /** True when the broker was given (HERALD_KAFKA_BROKERS / HERALD_AMQP_URL) and nothing was started. */
  readonly external: boolean;
  /** The image started, when one was. */
  readonly image: string | undefined;
  /** Milliseconds from start() to ready (broker answering). */
  readonly readyMs: number;
  /** Stops and removes the container; a no-op in external mode. Idempotent. */
  stop(): Promise<void>;
}

/** Waits until a TCP port accepts connections, or throws after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = createConnection({ host, port });
        const done = (error?: Error): void => {
          socket.removeAllListeners();
          socket.destroy();
          if (error === undefined) resolve();
          else reject(error);
        };
        socket.setTimeout(Math.max(100, Math.min(2_000, deadline - Date.now())), () => done(new Error('connection timed out')));
        socket.once('connect', () => done());
        socket.once('error', done);
      });
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${host}:${port} did not accept connections within ${timeoutMs} ms (${reasonOf(last)})`);
}

/** Parses "host:port" (IPv6 in brackets allowed). */
export function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(address) ?? /^([^:]+)(?::(\d+))?$/.exec(address);
  if (m === null) throw new Error(`"${address}" is not host:port`);
  return { host: m[1] as string, port: m[2] === undefined ? defaultPort : Number(m[2]) };
}

const PULL_FAILURE = /pull|no such image|not found|manifest|registry|getaddrinfo|no such host/i;

/**
 * Why a container did not start, when Docker's message is ambiguous: a failed pull may be the
 * Ryuk reaper's image (testcontainers starts it first) rather than the broker's.
 */
export async function diagnoseStart(tc: Testcontainers, what: string, image: string, imageVariable: string, externalVariable: string, error: unknown): Promise<HeraldError> {
  if (PULL_FAILURE.test(reasonOf(error)) && process.env['TESTCONTAINERS_RYUK_DISABLED'] !== 'true') {
    try {
      const client = await tc.getContainerRuntimeClient();
      if (await client.image.exists(tc.ImageName.fromString(image))) {
        const reaper = process.env['RYUK_CONTAINER_IMAGE'] ?? 'testcontainers/ryuk';
        return startFailed(what, image, imageVariable, externalVariable, new Error(`${reasonOf(error)} (the broker image is present: the pull that failed is the ${reaper} reaper's)`));
      }
    } catch {
      // Docker itself is unreachable: the original message says so
    }
  }
  return startFailed(what, image, imageVariable, externalVariable, error);
}

/** HERALD_BROKER_START_FAILED with a remedy that fits the failure. */
export function startFailed(what: string, image: string, imageVariable: string, externalVariable: string, error: unknown): HeraldError {
  const reason = reasonOf(error);
  let remedy: string;
  if (/ryuk/i.test(reason)) {
    remedy = 'The Ryuk reaper image is not available: set TESTCONTAINERS_RYUK_DISABLED=true (Herald always stops its containers itself).';
  } else if (/container runtime|docker.sock|ENOENT|ECONNREFUSED.*docker|Cannot connect to the Docker daemon/i.test(reason)) {
    remedy = `Docker is not answering: start the Docker daemon (e.g. \`sudo systemctl start docker\`; \`docker info\` must answer), or set ${externalVariable} to use a running broker.`;
  } else if (PULL_FAILURE.test(reason)) {
    remedy = `The image ${image} is not available locally and cannot be pulled: make an image available to Docker (\`docker load\`, \`docker build\`, or a reachable registry) and set ${imageVariable} to its name, or set ${externalVariable} to use a running broker.`;
  } else {
    remedy = `Read the container logs; raise the startup timeout on slow machines, or set ${externalVariable} to use a running broker.`;
  }
  return new HeraldError('HERALD_BROKER_START_FAILED', `Failed to start ${what} (${image}): ${reason}. ${remedy}`, { retriable: true, cause: error });
}

/** A started-broker object for an externally managed broker: stop is a no-op. */
export function externalBroker<T extends object>(details: T, readyMs: number): T & StartedBroker {
  return {
    ...details,
    external: true,
    image: undefined,
    readyMs,
    stop: async () => undefined,
    [Symbol.asyncDispose]: async () => undefined,
  };
}

/** Stops a container once, however often `stop()` is called. */
export function stopOnce(container: { stop(options?: { timeout?: number }): Promise<unknown> }): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= container.stop({ timeout: 0 }).then(() => undefined));
}
