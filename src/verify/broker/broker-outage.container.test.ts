/**
 * Brokers that die or stop answering mid-run, and signals to the CLI, on real containers: the
 * run ends within a bounded time with HERALD_TRANSPORT_DISCONNECTED for the interaction in
 * progress and "Not run" for the rest (issue 10, items 12–14), the report is written, and nothing
 * is left: containers (label dev.herald.test=broker-outage, or the CLI's
 * dev.herald.started-by=herald-cli), topics, groups, exchanges, queues. A Kafka container per
 * case, one RabbitMQ container for its cases; a paused container is unpaused in `finally`.
 * Timeouts are set small.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { amqpExchange, consumer, kafkaTopic, m, providerTriggers, serializeContract, verifyProviderOnBroker, type Contract, type MessageInteraction, type TriggerContext } from 'herald';
import { KAFKA_CLIENTS, KafkaBrokerContainer, createKafkaTransport, type StartedKafkaBroker } from 'herald/kafka';
import { AmqpTransport, RabbitMqBrokerContainer, type StartedRabbitMqBroker } from 'herald/amqp';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../../..');
const KAFKA_IMAGE = process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2';
const RABBITMQ_IMAGE = process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian';
const LABEL = { 'dev.herald.test': 'broker-outage' };
const TRIGGERS = 'src/verify/broker/__fixtures__/outage-triggers.ts';
const N = 40;
const AT = 5;
/** What used to take 156 s (stopped) and 375 s (paused). */
const BOUND_MS = 45_000;

/** Zero-padded, so that the contract file's order (sorted by description) is the numeric one. */
const name = (i: number): string => `event ${String(i).padStart(2, '0')}`;
const onTopic = (i: number): MessageInteraction =>
  consumer('faults')
    .expectsFrom('outage')
    .message(name(i))
    .on(kafkaTopic('outage.v1'))
    .withPayload({ n: m.integer(1) })
    .toInteraction();
const onExchange = (i: number): MessageInteraction =>
  consumer('faults')
    .expectsFrom('outage')
    .message(name(i))
    .on(amqpExchange('outage', 'outage.raised'))
    .withPayload({ n: m.integer(1) })
    .toInteraction();
const contractOf = (interactions: MessageInteraction[], source: string): Contract => ({ consumer: 'faults', provider: 'outage', interactions, specVersion: '4.0', metadata: {}, source });

const dir = mkdtempSync(path.join(tmpdir(), 'herald-outage-'));
const kafkaContract = contractOf(
  Array.from({ length: N }, (_, i) => onTopic(i)),
  path.join(dir, 'faults-outage-kafka.json'),
);
const amqpContract = contractOf(
  Array.from({ length: N }, (_, i) => onExchange(i)),
  path.join(dir, 'faults-outage-amqp.json'),
);
writeFileSync(kafkaContract.source ?? '', serializeContract(kafkaContract));
writeFileSync(amqpContract.source ?? '', serializeContract(amqpContract));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const containerExists = (id: string): boolean => docker('ps', '-aq', '--no-trunc', '--filter', `id=${id}`) !== '';
const unpause = (id: string): void => {
  try {
    docker('unpause', id);
  } catch {
    // Not paused (or already gone).
  }
};

/** What a run in progress looks like after the loss: AT passed, the one at AT lost, the rest not run. */
function expectLostAt(results: readonly { description: string; status: string; error?: { code: string; message: string; retriable?: boolean } }[], json = false): void {
  // The JSON report carries code and message only.
  const lost = json ? { code: 'HERALD_TRANSPORT_DISCONNECTED' } : { code: 'HERALD_TRANSPORT_DISCONNECTED', retriable: true };
  expect(results.slice(0, AT).map((r) => [r.status, r.error?.message])).toEqual(Array.from({ length: AT }, () => ['passed', undefined]));
  expect(results[AT]).toMatchObject({ status: 'failed', error: lost });
  for (const r of results.slice(AT + 1)) {
    expect(r.error).toMatchObject(lost);
    expect(r.error?.message).toMatch(new RegExp(`^Not run: the connection to the broker was lost while verifying "${name(AT)}" earlier in this run`));
  }
  expect(results).toHaveLength(N);
}

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs the real CLI; `onStderr` sees stderr as it grows (to send a signal at the right moment). */
function herald(args: readonly string[], env: Record<string, string>, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<CliRun> {
  const begun = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    const kill = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - begun });
    });
  });
}

describe.each(KAFKA_CLIENTS)('Kafka that stops answering or stops, mid-run (40 interactions, at interaction 5), on the %s client', (client) => {
  // A broker of its own for each case: a broker paused past its session timeout (9 s) is fenced and
  // unfenced by its controller once it is back, which would be a confounder for the next case.
  const brokers: StartedKafkaBroker[] = [];
  const startKafka = async (): Promise<StartedKafkaBroker> => {
    const kafka = await new KafkaBrokerContainer(KAFKA_IMAGE).withLabels(LABEL).start();
    brokers.push(kafka);
    return kafka;
  };

  afterAll(async () => {
    for (const kafka of brokers) {
      if (kafka.containerId !== undefined) unpause(kafka.containerId);
      await kafka.stop();
    }
    expect(docker('ps', '-aq', '--filter', 'label=dev.herald.test=broker-outage')).toBe('');
  });

  const transportOptions = { livenessIntervalMs: 500, livenessTimeoutMs: 3_000, requestTimeoutMs: 5_000, cleanupTimeoutMs: 2_000, retries: 1 } as const;

  /** The provider's triggers, with a producer of their own (`producer.current`, disconnected by the case). */
  const triggers = (kafka: StartedKafkaBroker, producer: { current?: Producer }, onAt: () => Promise<void> | void): ReturnType<typeof providerTriggers> =>
    providerTriggers('outage', {
      triggers: Object.fromEntries(
        Array.from({ length: N }, (_, i) => [
          name(i),
          async (_params: unknown, ctx: TriggerContext) => {
            if (i === AT) await onAt();
            const own = (producer.current ??= new Kafka({ clientId: 'outage', brokers: [...kafka.brokers], logLevel: logLevel.NOTHING, requestTimeout: 3_000, retry: { retries: 5 } }).producer());
            await own.connect();
            // Each its own n: identical bytes from a later trigger would be a late duplicate of the first (captures.ts).
            await own.send({ topic: ctx.topic ?? '', messages: [{ key: 'k', value: JSON.stringify({ n: i }), headers: { 'content-type': 'application/json' } }] });
          },
        ]),
      ),
    });

  it('paused (docker pause): the liveness probe notices within its timeout; the run ends well under the bound, and nothing is left once it is back', async () => {
    const kafka = await startKafka();
    const id = kafka.containerId ?? '';
    const producer: { current?: Producer } = {};
    const transport = createKafkaTransport({ brokers: kafka.brokers, ...transportOptions, client });
    try {
      const begun = Date.now();
      const report = await verifyProviderOnBroker(
        [kafkaContract],
        triggers(kafka, producer, () => void docker('pause', id)),
        { transport, connection: kafka, timeoutMs: 60_000, cleanupTimeoutMs: 2_000 },
      );
      const ms = Date.now() - begun;
      console.log(`Kafka (${client}) paused at interaction ${AT} of ${N}: verdict in ${ms} ms`);
      expect(ms).toBeLessThan(BOUND_MS);
      expectLostAt(report.results);
      expect(report.results[AT]?.error?.message).toMatch(/the connection to the broker was lost while it ran/);
      expect(report.broker.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^The broker connection was lost: the run could not delete the topic\(s\) "outage\.v1\.herald-/)]));
      unpause(id);
      // Back again: what the note names is all there is to remove, and it can be removed.
      await using fresh = createKafkaTransport({ brokers: kafka.brokers, client });
      for (const topic of report.broker.resources.topics) await fresh.deleteTopic(topic);
      // Kafka deletes a topic asynchronously: poll its metadata until it is gone (bounded).
      for (const topic of report.broker.resources.topics) {
        const until = Date.now() + 15_000;
        while ((await fresh.hasTopic(topic)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await fresh.hasTopic(topic)).toBe(false);
      }
    } finally {
      unpause(id);
      await producer.current?.disconnect().catch(() => undefined);
      await transport.close();
      await kafka.stop();
    }
  });

  it('stopped: every interaction gets its verdict well under the bound (it took 156 s), and the container is gone', async () => {
    const kafka = await startKafka();
    const producer: { current?: Producer } = {};
    const transport = createKafkaTransport({ brokers: kafka.brokers, ...transportOptions, client });
    try {
      const begun = Date.now();
      let stopping: Promise<void> | undefined;
      const report = await verifyProviderOnBroker(
        [kafkaContract],
        triggers(kafka, producer, () => (stopping = kafka.stop())),
        { transport, connection: kafka, timeoutMs: 60_000, cleanupTimeoutMs: 2_000 },
      );
      const ms = Date.now() - begun;
      console.log(`Kafka (${client}) stopped at interaction ${AT} of ${N}: verdict in ${ms} ms`);
      expect(ms).toBeLessThan(BOUND_MS);
      expectLostAt(report.results);
      await stopping;
      expect(containerExists(kafka.containerId ?? '')).toBe(false);
    } finally {
      await producer.current?.disconnect().catch(() => undefined);
      await transport.close();
    }
  });
});

describe('RabbitMQ that stops answering or stops, mid-run (40 interactions, at interaction 5)', () => {
  let rabbit: StartedRabbitMqBroker;

  beforeAll(async () => {
    rabbit = await new RabbitMqBrokerContainer(RABBITMQ_IMAGE).withLabels(LABEL).start();
  }, 300_000);

  afterAll(async () => {
    if (rabbit?.containerId !== undefined) unpause(rabbit.containerId);
    await rabbit?.stop();
    expect(docker('ps', '-aq', '--filter', 'label=dev.herald.test=broker-outage')).toBe('');
  });

  it("paused, through the CLI: the provider client's uncaught heartbeat error and Herald's heartbeat become the disconnected verdict, with progress lines, the report written and exit 1", async () => {
    const id = rabbit.containerId ?? '';
    const output = path.join(dir, 'amqp-paused.json');
    try {
      const run = await herald(['verify', '-c', amqpContract.source ?? '', '-t', 'amqp', '--amqp-url', rabbit.url, '--triggers', TRIGGERS, '--reporter', 'json', '--output', output], {
        OUTAGE_PAUSE_AT: String(AT),
        OUTAGE_CONTAINER: id,
        HERALD_PROGRESS_INTERVAL_MS: '1000',
      });
      console.log(`RabbitMQ paused at interaction ${AT} of ${N}, CLI: exit ${run.code} after ${run.ms} ms`);
      expect(run.stderr).not.toMatch(/crashed|uncaught|unhandled/i);
      expect(run.code).toBe(1);
      expect(run.ms).toBeLessThan(BOUND_MS);
      expect(run.stderr).toMatch(/^herald: \d+\/40 interactions done \(\d+ passed, \d+ failed\) in \d+ s; now "event 05" \(faults\), for \d+ s$/m);
      expect(existsSync(output)).toBe(true);
      const report = JSON.parse(readFileSync(output, 'utf8')) as { results: { description: string; status: string; error?: { code: string; message: string; retriable?: boolean } }[] };
      expectLostAt(report.results, true);
      unpause(id);
      // Back again: the exchange the note names is what is left, and it can be removed; the capture queue went with the connection.
      const exchanges = [...run.stderr.matchAll(/"(outage\.herald-[0-9a-f]{8})"/g)].map((x) => x[1] ?? '');
      expect(exchanges.length).toBeGreaterThan(0);
      await using fresh = new AmqpTransport({ url: rabbit.url });
      for (const exchange of new Set(exchanges)) {
        await fresh.deleteExchange(exchange);
        expect(await fresh.hasExchange(exchange)).toBe(false);
      }
    } finally {
      unpause(id);
    }
  });

  it('stopped: every interaction gets its verdict well under the bound, and the container is gone', async () => {
    const transport = new AmqpTransport({ url: rabbit.url, cleanupTimeoutMs: 2_000, heartbeatSeconds: 1 });
    const connection = await amqp.connect(rabbit.url);
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    try {
      let stopping: Promise<void> | undefined;
      const definition = providerTriggers('outage', {
        triggers: Object.fromEntries(
          Array.from({ length: N }, (_, i) => [
            name(i),
            async (_params: unknown, ctx: TriggerContext) => {
              if (i === AT) await (stopping = rabbit.stop());
              channel.publish(ctx.exchange ?? '', ctx.routingKey ?? '', Buffer.from(JSON.stringify({ n: i })), { contentType: 'application/json' });
              await channel.waitForConfirms();
            },
          ]),
        ),
      });
      const begun = Date.now();
      const report = await verifyProviderOnBroker([amqpContract], definition, { transport, connection: rabbit, timeoutMs: 60_000, cleanupTimeoutMs: 2_000 });
      const ms = Date.now() - begun;
      console.log(`RabbitMQ stopped at interaction ${AT} of ${N}: verdict in ${ms} ms`);
      expect(ms).toBeLessThan(BOUND_MS);
      expectLostAt(report.results);
      // The verdict does not wait for docker to finish removing the container.
      await stopping;
      expect(containerExists(rabbit.containerId ?? '')).toBe(false);
    } finally {
      await connection.close().catch(() => undefined);
      await transport.close();
    }
  });
});

describe.each(KAFKA_CLIENTS)('signals to herald verify --start-broker, on the %s client', (client) => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s after the broker started: the run ends with a report, the container is removed, exit %i', async (signal, status) => {
    const output = path.join(dir, `signal-${client}-${signal}.json`);
    let containerId: string | undefined;
    let sent = false;
    try {
      const run = await herald(
        ['verify', '-c', kafkaContract.source ?? '', '-t', 'kafka', '--kafka-client', client, '--start-broker', '--triggers', TRIGGERS, '--reporter', 'json', '--output', output],
        { OUTAGE_HANG: '1' },
        (stderr, child) => {
          const started = /^Started .* container ([0-9a-f]{12})\)/m.exec(stderr);
          if (started !== null && !sent) {
            containerId = started[1];
            sent = true;
            // Once the first trigger runs: the run is in progress.
            setTimeout(() => child.kill(signal), 3_000);
          }
        },
      );
      expect(containerId).toBeDefined();
      expect(run.stderr).toContain(`Interrupted by ${signal}: ending the run, writing the report and stopping what Herald started.`);
      expect(run.code).toBe(status);
      expect(containerExists(containerId ?? '')).toBe(false);
      const report = JSON.parse(readFileSync(output, 'utf8')) as { results: { status: string; error?: { code: string } }[] };
      expect(report.results).toHaveLength(N);
      expect(report.results.every((r) => r.status === 'failed' && r.error?.code === 'HERALD_INTERRUPTED')).toBe(true);
      expect(docker('ps', '-aq', '--filter', 'label=dev.herald.started-by=herald-cli')).toBe('');
    } finally {
      if (containerId !== undefined && containerExists(containerId)) docker('rm', '-f', containerId);
    }
  });
});
