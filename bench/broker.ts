/**
 * Benchmark: verification on real brokers, against raw client round trips on the same broker.
 *
 *   npx tsx bench/broker.ts        (npm run bench:broker)
 *
 * Every client is connected before its measurement starts (Herald's transport, the provider's
 * producer / channel, the raw consumer's client); both sides get a warm-up run first.
 *
 * 1. Broker ready time: a Kafka and a RabbitMQ container started with startKafkaBroker /
 *    startRabbitMqBroker (HERALD_KAFKA_IMAGE / HERALD_RABBITMQ_IMAGE, defaulting to the local
 *    herald/kafka:3.9.2 and herald/rabbitmq:3.10-debian), from start() to answering.
 * 2. Per broker, N interactions (BENCH_N, default 50) verified by verifyProviderOnBroker: each
 *    trigger publishes one record with a raw client connected beforehand (kafkajs producer /
 *    amqplib confirm channel), Herald captures it on the run's topic / exchange, decodes and matches
 *    payload and metadata. Wall time of the whole call: run-topic creation, capture start, N
 *    interactions, cleanup.
 * 3. The baseline on the same broker, in the same run: the raw client alone, a consumer ready
 *    before the first produce (a fresh group positioned at the end / an exclusive bound queue, as
 *    Herald's capture), then N times produce → consume that record. Its own topic / exchange
 *    creation and consumer start are included too.
 *
 * On Kafka, Herald runs on both of its clients (kafkajs, herald/kafka; @platformatic/kafka,
 * herald/platformatic-kafka), each against its own raw baseline measured right after it on the
 * same broker. The load average (os.loadavg()) is printed with the results.
 *
 * Prints per-interaction times, the ratio (goal ≤ 1.5×) and steady-state numbers (the mean of
 * the interactions' own durations vs the mean round trip). Removes both containers, pass or fail.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { amqpExchange, consumer, kafkaTopic, m, providerTriggers, verifyProviderOnBroker, type Contract, type MessageInteraction, type TriggerContext } from '../src/index';
import type { TransportAdapter } from '../src/transport/types';
import { DEFAULT_SETTLE_MS } from '../src/verify/broker/verify-on-broker';
import { KAFKA_CLIENTS, createKafkaTransport, startKafkaBroker, type AnyKafkaTransport, type StartedKafkaBroker } from '../adapters/kafka/index';
import { AmqpTransport, startRabbitMqBroker, type StartedRabbitMqBroker } from '../adapters/amqp/index';

const N = Number(process.env['BENCH_N'] ?? 50);
/** The run's settleMs: without triggersAwaitPublish, the quiet period after each verdict before the next trigger on the channel. */
const SETTLE_MS = process.env['BENCH_SETTLE_MS'] === undefined ? undefined : Number(process.env['BENCH_SETTLE_MS']);
/** The bench's triggers await their sends (acks=all / confirms), so they may say so (default); BENCH_TRIGGERS_AWAIT_PUBLISH=0 measures the default run. */
const AWAITED = process.env['BENCH_TRIGGERS_AWAIT_PUBLISH'] !== '0';
const GOAL = 1.5;
const KAFKA_IMAGE = process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2';
const RABBITMQ_IMAGE = process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian';
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const payload = (i: number): string => JSON.stringify({ id: i, name: `item-${i}`, placedAt: new Date().toISOString() });

/** Fails loudly instead of hanging: every wait of the baseline is bounded. */
async function within<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- contracts ---------------------------------------------------------------------------------

function contractOf(channel: ReturnType<typeof kafkaTopic> | ReturnType<typeof amqpExchange>, withKey: boolean): Contract {
  const interactions: MessageInteraction[] = [];
  for (let i = 0; i < N; i += 1) {
    const declaration = consumer('bench')
      .expectsFrom('bench-provider')
      .message(`event ${i}`)
      .on(channel)
      .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{32}$/, TRACE) });
    const body = { id: m.integer(i), name: m.regex(/^item-\d+$/, `item-${i}`), placedAt: m.datetime() };
    interactions.push((withKey ? declaration.withKey(m.uuid()).withPayload(body) : declaration.withPayload(body)).toInteraction());
  }
  return { consumer: 'bench', provider: 'bench-provider', interactions, specVersion: '4.0', metadata: {} };
}

function triggersFor(publish: (ctx: TriggerContext, i: number) => Promise<void>) {
  const triggers: Record<string, (params: unknown, ctx: TriggerContext) => Promise<void>> = {};
  for (let i = 0; i < N; i += 1) triggers[`event ${i}`] = (_params, ctx) => publish(ctx, i);
  return providerTriggers('bench-provider', { triggers });
}

// ---- measurements ------------------------------------------------------------------------------

interface Measured {
  readonly totalMs: number;
  /** Mean of the steady-state per-interaction (or per-round-trip) times. */
  readonly steadyMs: number;
  /** Herald only: mean time of a capture's drain (the barrier before each next trigger) and how many ran. */
  readonly drain?: { readonly meanMs: number; readonly count: number };
}

/** Times every drain of the captures `transport` starts from now on. */
function timeDrains(transport: TransportAdapter): number[] {
  const times: number[] = [];
  const start = transport.startCapture.bind(transport);
  transport.startCapture = async (channel) => {
    const capture = await start(channel);
    const drain = capture.drain?.bind(capture);
    if (drain !== undefined) {
      capture.drain = async (options) => {
        const began = performance.now();
        try {
          await drain(options);
        } finally {
          times.push(performance.now() - began);
        }
      };
    }
    return capture;
  };
  return times;
}

async function heraldOn(
  contract: Contract,
  transport: AnyKafkaTransport | AmqpTransport,
  connection: { brokers: readonly string[] } | { url: string },
  publish: (ctx: TriggerContext, i: number) => Promise<void>,
): Promise<Measured> {
  // Connected beforehand, as the raw clients are.
  await transport.connect();
  const drains = timeDrains(transport);
  const started = performance.now();
  const report = await verifyProviderOnBroker([contract], triggersFor(publish), {
    transport,
    connection,
    timeoutMs: 30_000,
    triggersAwaitPublish: AWAITED,
    ...(SETTLE_MS === undefined ? {} : { settleMs: SETTLE_MS }),
  });
  const totalMs = performance.now() - started;
  if (report.summary.passed !== N) {
    const first = report.results.find((r) => r.status !== 'passed');
    throw new Error(`Herald verified ${report.summary.passed}/${N}: ${first?.error?.message ?? JSON.stringify(first?.mismatches)}`);
  }
  // The first interaction also starts the capture: steady state is the others.
  const steady = report.results.slice(1).map((r) => r.durationMs);
  const drain = drains.length === 0 ? undefined : { meanMs: drains.reduce((a, b) => a + b, 0) / drains.length, count: drains.length };
  return { totalMs, steadyMs: steady.reduce((a, b) => a + b, 0) / steady.length, ...(drain === undefined ? {} : { drain }) };
}

async function rawKafka(brokers: readonly string[], producer: Producer): Promise<Measured> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const started = performance.now();
  const topic = `bench.raw.${randomUUID()}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic }] });
  const groupId = `bench-raw-${randomUUID()}`;
  const reader: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  let waiting: ((m: KafkaMessage) => void) | undefined;
  const queued: KafkaMessage[] = [];
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  let joined = false;
  reader.on(reader.events.GROUP_JOIN, () => void (joined = true));
  reader.on(reader.events.FETCH_START, () => joined && ready());
  await reader.connect();
  // The topic is new and empty: reading from its beginning is reading from its end, without
  // kafkajs' race of resolving "latest" after the first record was produced.
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const w = waiting;
      waiting = undefined;
      if (w !== undefined) w(message);
      else queued.push(message);
    },
  });
  await within(isReady, 'the raw Kafka consumer to join');
  const times: number[] = [];
  try {
    for (let i = 0; i < N; i += 1) {
      const t0 = performance.now();
      const received = new Promise<KafkaMessage>((resolve) => {
        const early = queued.shift();
        if (early !== undefined) resolve(early);
        else waiting = resolve;
      });
      await producer.send({ topic, acks: -1, messages: [{ key: randomUUID(), value: payload(i), headers: { 'trace-id': TRACE, 'content-type': 'application/json' } }] });
      const message = await within(received, `raw Kafka record ${i}`);
      JSON.parse(message.value?.toString('utf8') ?? 'null');
      times.push(performance.now() - t0);
    }
  } finally {
    await reader.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  const steady = times.slice(1);
  return { totalMs: performance.now() - started, steadyMs: steady.reduce((a, b) => a + b, 0) / steady.length };
}

/** Raw amqplib: `channel` is the provider's (publishing), the consumer has a connection of its own, as a consumer does. */
async function rawAmqp(url: string, channel: amqp.ConfirmChannel): Promise<Measured> {
  const consumerConnection = await amqp.connect(url);
  const ch = await consumerConnection.createChannel();
  const started = performance.now();
  const exchange = `bench.raw.${randomUUID()}`;
  await ch.assertExchange(exchange, 'topic', { durable: true });
  const reader = await ch.assertQueue('', { exclusive: true, autoDelete: true });
  await ch.bindQueue(reader.queue, exchange, '#');
  let waiting: ((m: amqp.ConsumeMessage) => void) | undefined;
  const queued: amqp.ConsumeMessage[] = [];
  const { consumerTag } = await ch.consume(
    reader.queue,
    (message) => {
      if (message === null) return;
      const w = waiting;
      waiting = undefined;
      if (w !== undefined) w(message);
      else queued.push(message);
    },
    { noAck: true },
  );
  const times: number[] = [];
  try {
    for (let i = 0; i < N; i += 1) {
      const t0 = performance.now();
      const received = new Promise<amqp.ConsumeMessage>((resolve) => {
        const early = queued.shift();
        if (early !== undefined) resolve(early);
        else waiting = resolve;
      });
      channel.publish(exchange, 'bench.event', Buffer.from(payload(i)), { contentType: 'application/json', correlationId: randomUUID(), headers: { 'trace-id': TRACE } });
      await channel.waitForConfirms();
      JSON.parse((await within(received, `raw AMQP message ${i}`)).content.toString('utf8'));
      times.push(performance.now() - t0);
    }
  } finally {
    await ch.cancel(consumerTag);
    await ch.deleteQueue(reader.queue);
    await ch.deleteExchange(exchange);
  }
  const totalMs = performance.now() - started;
  await consumerConnection.close();
  const steady = times.slice(1);
  return { totalMs, steadyMs: steady.reduce((a, b) => a + b, 0) / steady.length };
}

// ---- main --------------------------------------------------------------------------------------

interface Row {
  readonly broker: string;
  readonly herald: Measured;
  readonly raw: Measured;
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  let kafka: StartedKafkaBroker | undefined;
  let rabbit: StartedRabbitMqBroker | undefined;
  const rows: Row[] = [];
  // Interrupted (Ctrl-C, timeout): remove the containers before exiting.
  const interrupted = (signal: NodeJS.Signals): void => {
    void Promise.allSettled([rabbit?.stop(), kafka?.stop()]).then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    kafka = await startKafkaBroker({ external: false, image: KAFKA_IMAGE });
    console.log(`Kafka ${KAFKA_IMAGE} ready in ${kafka.readyMs} ms (${kafka.brokers.join(',')})`);
    rabbit = await startRabbitMqBroker({ external: false, image: RABBITMQ_IMAGE });
    console.log(`RabbitMQ ${RABBITMQ_IMAGE} ready in ${rabbit.readyMs} ms`);

    // Kafka: the provider's producer is connected before each measurement (one per measurement:
    // a kafkajs producer keeps asking for topics it wrote to, and each measurement deletes its topic).
    const brokers = kafka.brokers;
    const connectProducer = async (): Promise<Producer> => {
      const producer = new Kafka({ clientId: 'bench-provider', brokers: [...brokers], logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    };
    const producers: Producer[] = [];
    try {
      // Warm-up of the raw side: connections, metadata, JIT (not measured).
      producers.push(await connectProducer());
      await rawKafka(brokers, producers[0] as Producer);
      for (const client of KAFKA_CLIENTS) {
        const kafkaTransport = createKafkaTransport({ brokers, client });
        try {
          const warm = await connectProducer();
          producers.push(warm);
          await heraldOn(contractOf(kafkaTopic(`bench.warm.${client}`), true), kafkaTransport, { brokers }, async (ctx, i) => {
            await warm.send({ topic: ctx.topic ?? '', acks: -1, messages: [{ key: randomUUID(), value: payload(i), headers: { 'trace-id': TRACE, 'content-type': 'application/json' } }] });
          });
          const forHerald = await connectProducer();
          producers.push(forHerald);
          const herald = await heraldOn(contractOf(kafkaTopic(`bench.v1.${client}`), true), kafkaTransport, { brokers }, async (ctx, i) => {
            await forHerald.send({ topic: ctx.topic ?? '', acks: -1, messages: [{ key: randomUUID(), value: payload(i), headers: { 'trace-id': TRACE, 'content-type': 'application/json' } }] });
          });
          const forRaw = await connectProducer();
          producers.push(forRaw);
          const raw = await rawKafka(brokers, forRaw);
          rows.push({ broker: `Kafka (${client})`, herald, raw });
        } finally {
          await kafkaTransport.close();
        }
      }
    } finally {
      for (const p of producers) await p.disconnect().catch(() => undefined);
    }

    const url = rabbit.url;
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    const amqpTransport = new AmqpTransport({ url });
    try {
      const publish = async (ctx: TriggerContext, i: number): Promise<void> => {
        channel.publish(ctx.exchange ?? '', ctx.routingKey ?? '', Buffer.from(payload(i)), { contentType: 'application/json', correlationId: randomUUID(), headers: { 'trace-id': TRACE } });
        await channel.waitForConfirms();
      };
      await rawAmqp(url, channel);
      await heraldOn(contractOf(amqpExchange('bench.warm', 'bench.event'), false), amqpTransport, { url }, publish);
      const herald = await heraldOn(contractOf(amqpExchange('bench', 'bench.event'), false), amqpTransport, { url }, publish);
      const raw = await rawAmqp(url, channel);
      rows.push({ broker: 'RabbitMQ', herald, raw });
    } finally {
      await amqpTransport.close();
      await connection.close();
    }

    console.log(
      `\nReal-broker verification, ${N} interactions per broker, triggersAwaitPublish ${AWAITED} (BENCH_TRIGGERS_AWAIT_PUBLISH), settleMs ${SETTLE_MS ?? DEFAULT_SETTLE_MS}${AWAITED ? ' (only after a non-matching message)' : ' (also the quiet period before each next trigger)'} (BENCH_SETTLE_MS) (per interaction; whole run incl. set-up and cleanup):\n`,
    );
    const header = ['broker', 'Herald verify', 'raw produce→consume', 'ratio', `goal ≤ ${GOAL}×`, 'Herald steady', 'raw steady', 'steady ratio', 'drain (mean, count)'];
    const lines = rows.map((r) => {
      const ratio = r.herald.totalMs / r.raw.totalMs;
      const steady = r.herald.steadyMs / r.raw.steadyMs;
      return [
        r.broker,
        fmt(r.herald.totalMs / N),
        fmt(r.raw.totalMs / N),
        `${ratio.toFixed(2)}×`,
        ratio <= GOAL ? 'met' : 'MISSED',
        fmt(r.herald.steadyMs),
        fmt(r.raw.steadyMs),
        `${steady.toFixed(2)}×`,
        r.herald.drain === undefined ? '-' : `${fmt(r.herald.drain.meanMs)} (${r.herald.drain.count})`,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
    const row = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
    console.log(row(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const l of lines) console.log(row(l));
    // A missed goal with its cause: Herald's time over the raw round trip, and the barrier's share of it.
    for (const r of rows.filter((row) => row.herald.totalMs / row.raw.totalMs > GOAL)) {
      const over = (r.herald.totalMs - r.raw.totalMs) / N;
      const drained = r.herald.drain === undefined ? 0 : (r.herald.drain.meanMs * r.herald.drain.count) / N;
      const quiet = AWAITED
        ? ''
        : `; without triggersAwaitPublish the barrier first waits a quiet period of settleMs (${SETTLE_MS ?? DEFAULT_SETTLE_MS} ms) with nothing new after each verdict, which is most of the rest, by design: a trigger that returns before its message is published must not pass the next interaction (attribution.test.ts)`;
      console.log(
        `${r.broker} misses ${GOAL}×: Herald takes ${fmt(over)} more per interaction than the raw round trip; the drain before each next trigger is ${fmt(drained)} of it (${drainCause(r.broker)})${quiet}.`,
      );
    }
    console.log(`\nBroker ready: Kafka ${kafka.readyMs} ms, RabbitMQ ${rabbit.readyMs} ms.`);
    const perInteraction = (broker: string): number | undefined => rows.find((row) => row.broker === broker)?.herald.totalMs;
    const [onKafkajs, onPlatformatic] = [perInteraction('Kafka (kafkajs)'), perInteraction('Kafka (platformatic)')];
    if (onKafkajs !== undefined && onPlatformatic !== undefined) console.log(`Kafka clients, Herald verify: platformatic / kafkajs = ${(onPlatformatic / onKafkajs).toFixed(2)}×.`);
    console.log(
      `Load average (1, 5, 15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')} on ${cpus().length} cores.`,
    );
    if (rows.some((r) => r.herald.totalMs / r.raw.totalMs > GOAL)) process.exitCode = 1;
  } finally {
    await rabbit?.stop().catch(() => undefined);
    await kafka?.stop().catch(() => undefined);
  }
}

/** What the drain before each next trigger waits for, on `broker` (a row's name). */
function drainCause(broker: string): string {
  if (broker === 'Kafka (kafkajs)') return "the end offsets of the run's topic, which kafkajs' admin reads with two ListOffsets requests in sequence (no public single-request call)";
  if (broker === 'RabbitMQ') return 'a passive declare of the capture queue (one more round trip) until it holds no undelivered message';
  return "the end offsets of the run's topic, one ListOffsets request";
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
