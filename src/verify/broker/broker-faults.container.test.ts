/**
 * Faults at verification level, on real brokers of their own (they are stopped on purpose):
 * a broker stopped mid-run, an unreachable broker, refused credentials, a missing topic or
 * exchange, a message that never arrives, and what the run leaves behind. Triggers publish with
 * raw kafkajs / amqplib, as a provider's own client would. Without Docker this fails, never skips.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import amqp from 'amqplib';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { amqpExchange, consumer, kafkaTopic, m, providerTriggers, verifyConsumerOnBroker, verifyProviderOnBroker, type Contract, type MessageInteraction, type TriggerContext } from 'herald';
import { KAFKA_CLIENTS, KafkaBrokerContainer, createKafkaTransport, type AnyKafkaTransport, type StartedKafkaBroker } from 'herald/kafka';
import { AmqpTransport, RabbitMqBrokerContainer, type StartedRabbitMqBroker } from 'herald/amqp';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../../..');
const KAFKA_IMAGE = process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2';
const RABBITMQ_IMAGE = process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian';

const contract = (providerName: string, interactions: MessageInteraction[]): Contract => ({
  consumer: 'faults',
  provider: providerName,
  interactions,
  specVersion: '4.0',
  metadata: {},
  source: `contracts/faults-${providerName}.json`,
});
const onTopic = (description: string): MessageInteraction =>
  consumer('faults')
    .expectsFrom('svc')
    .message(description)
    .on(kafkaTopic('faults.v1'))
    .withKey(m.string('k-1'))
    .withPayload({ n: m.integer(1) })
    .toInteraction();
const onExchange = (description: string): MessageInteraction =>
  consumer('faults')
    .expectsFrom('svc')
    .message(description)
    .on(amqpExchange('faults', 'fault.raised'))
    .withPayload({ n: m.integer(1) })
    .toInteraction();

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function herald(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe.each(KAFKA_CLIENTS)('verification on a Kafka broker of its own (no automatic topic creation; stopped at the end), on the %s client', (client) => {
  let kafka: StartedKafkaBroker;
  let transport: AnyKafkaTransport;
  let producer: Producer;

  beforeAll(async () => {
    kafka = await new KafkaBrokerContainer(KAFKA_IMAGE).withAutoCreateTopics(false).start();
    transport = createKafkaTransport({ brokers: kafka.brokers, cleanupTimeoutMs: 2_000, client });
  }, 300_000);

  // The provider's producer, per test: a kafkajs producer keeps asking for the topics it wrote to, which each run deletes.
  beforeEach(async () => {
    producer = new Kafka({ clientId: 'svc', brokers: [...kafka.brokers], logLevel: logLevel.NOTHING, retry: { retries: 1 } }).producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterEach(async () => {
    await producer.disconnect().catch(() => undefined);
  });

  afterAll(async () => {
    await transport?.close();
    await kafka?.stop();
  });

  const publish = async (_params: unknown, ctx: TriggerContext): Promise<void> => {
    await producer.send({ topic: ctx.topic ?? '', messages: [{ key: 'k-1', value: '{"n":3}', headers: { 'content-type': 'application/json' } }] });
  };

  it('fails with HERALD_TRANSPORT_TOPIC_MISSING when namespacing is off and the topic does not exist', async () => {
    const report = await verifyProviderOnBroker([contract('svc', [onTopic('a missing topic')])], providerTriggers('svc', { triggers: { 'a missing topic': publish } }), {
      transport,
      connection: kafka,
      namespace: false,
    });
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TOPIC_MISSING', retriable: false } });
    expect(report.results[0]?.error?.message).toContain('Kafka topic "faults.v1"');
  });

  it('creates the run topic itself (namespaced), verifies, and removes topic and consumer group', async () => {
    const report = await verifyProviderOnBroker([contract('svc', [onTopic('an event')])], providerTriggers('svc', { triggers: { 'an event': publish } }), {
      transport,
      connection: kafka,
      timeoutMs: 20_000,
    });
    expect(report.results.map((r) => [r.status, r.error?.message])).toEqual([['passed', undefined]]);
    for (const group of report.broker.resources.groups) expect(await transport.hasGroup(group)).toBe(false);
    for (const topic of report.broker.resources.topics) expect(await transport.hasTopic(topic)).toBe(false);
  });

  it('rejects at once with a retriable HERALD_TRANSPORT_CONNECT_FAILED when the brokers cannot be reached; the CLI exits 2', async () => {
    const port = await closedPort();
    await using unreachable = createKafkaTransport({ brokers: [`127.0.0.1:${port}`], retries: 1, client });
    const begun = Date.now();
    const error = await verifyProviderOnBroker([contract('svc', [onTopic('an event')])], providerTriggers('svc', { triggers: { 'an event': publish } }), {
      transport: unreachable,
      connection: { brokers: [`127.0.0.1:${port}`] },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HERALD_TRANSPORT_CONNECT_FAILED', retriable: true });
    expect(Date.now() - begun).toBeLessThan(15_000);
    const run = await herald([
      'verify',
      '-c',
      'contracts/shipping-orders.json',
      '--transport',
      'kafka',
      '--brokers',
      `127.0.0.1:${port}`,
      '--kafka-client',
      client,
      '--triggers',
      'examples/orders-provider/triggers.ts',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^Error HERALD_TRANSPORT_CONNECT_FAILED: Failed to connect: no Kafka broker answered at 127\\.0\\.0\\.1:${port}`));
  });

  it('a broker stopped mid-run fails the interaction in progress and all remaining ones with a retriable error, and the run ends', async () => {
    const triggered: string[] = [];
    const definition = providerTriggers('svc', {
      triggers: {
        'first event': publish,
        'second event': async () => {
          triggered.push('second');
          await kafka.stop();
        },
        'third event': async (params, ctx) => {
          triggered.push('third');
          await publish(params, ctx);
        },
      },
    });
    const begun = Date.now();
    const report = await verifyProviderOnBroker([contract('svc', [onTopic('first event'), onTopic('second event'), onTopic('third event')])], definition, {
      transport,
      connection: kafka,
      timeoutMs: 60_000,
      cleanupTimeoutMs: 2_000,
    });
    const elapsed = Date.now() - begun;
    expect(triggered).toEqual(['second']);
    expect(report.results.map((r) => [r.description, r.status, r.error?.code, r.error?.retriable])).toEqual([
      ['first event', 'passed', undefined, undefined],
      ['second event', 'failed', 'HERALD_TRANSPORT_DISCONNECTED', true],
      ['third event', 'failed', 'HERALD_TRANSPORT_DISCONNECTED', true],
    ]);
    expect(report.results[2]?.error?.message).toMatch(/^Not run: the connection to the broker was lost while verifying "second event"/);
    expect(report.broker.notes).toEqual([expect.stringMatching(/^The broker connection was lost: the run could not delete the topic\(s\) "faults\.v1\.herald-/)]);
    expect(elapsed).toBeLessThan(60_000);
  });
});

describe('verification on a RabbitMQ of its own (stopped at the end)', () => {
  let rabbit: StartedRabbitMqBroker;
  let transport: AmqpTransport;
  let connection: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;

  beforeAll(async () => {
    rabbit = await new RabbitMqBrokerContainer(RABBITMQ_IMAGE).start();
    transport = new AmqpTransport({ url: rabbit.url, cleanupTimeoutMs: 2_000 });
    connection = await amqp.connect(rabbit.url);
    connection.on('error', () => undefined);
    channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
  }, 300_000);

  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await transport?.close();
    await rabbit?.stop();
  });

  const publish = async (_params: unknown, ctx: TriggerContext): Promise<void> => {
    channel.publish(ctx.exchange ?? '', ctx.routingKey ?? '', Buffer.from('{"n":3}'), { contentType: 'application/json' });
    await channel.waitForConfirms();
  };

  it('refuses wrong credentials before verifying anything (HERALD_TRANSPORT_AUTH_FAILED, not retriable); the CLI exits 2', async () => {
    const wrong = rabbit.url.replace('guest:guest@', 'guest:wrong@');
    await using refused = new AmqpTransport({ url: wrong });
    const error = await verifyProviderOnBroker([contract('svc', [onExchange('an event')])], providerTriggers('svc', { triggers: { 'an event': publish } }), {
      transport: refused,
      connection: { url: wrong },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HERALD_TRANSPORT_AUTH_FAILED', retriable: false });
    const run = await herald(['verify', '-c', 'contracts/ledger-billing.json', '--transport', 'amqp', '--amqp-url', wrong, '--triggers', 'examples/billing-provider/triggers.ts']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error HERALD_TRANSPORT_AUTH_FAILED: Failed to connect to RabbitMQ at amqp:\/\/guest:\*\*\*@/);
  });

  it('fails with HERALD_TRANSPORT_EXCHANGE_MISSING when namespacing is off and the exchange does not exist', async () => {
    const report = await verifyProviderOnBroker([contract('svc', [onExchange('an event')])], providerTriggers('svc', { triggers: { 'an event': publish } }), {
      transport,
      connection: rabbit,
      namespace: false,
    });
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_EXCHANGE_MISSING', retriable: false } });
    expect(report.results[0]?.error?.message).toContain('exchange "faults"');
  });

  it('reports a message that never arrives within the timeout, naming exchange, routing key and trigger, and leaves nothing behind', async () => {
    const begun = Date.now();
    const report = await verifyProviderOnBroker([contract('svc', [onExchange('a silent event')])], providerTriggers('svc', { triggers: { 'a silent event': () => undefined } }), {
      transport,
      connection: rabbit,
      timeoutMs: 1_500,
    });
    expect(Date.now() - begun).toBeLessThan(10_000);
    expect(report.results[0]?.error).toMatchObject({ code: 'HERALD_TRANSPORT_TIMEOUT', retriable: true });
    expect(report.results[0]?.error?.message).toMatch(
      /^Failed to receive the message of "a silent event" \(faults → svc, contracts\/faults-svc\.json\) on AMQP topic exchange "faults\.herald-[0-9a-f]{8}" \(routing key "fault\.raised"\) \(the contract's "faults" in this run's namespace herald-[0-9a-f]{8}\) within 1500 ms of calling its trigger/,
    );
    expect(report.results[0]?.error?.message).toContain('with the routing key "fault.raised"');
    for (const queue of report.broker.resources.queues) expect(await transport.hasQueue(queue)).toBe(false);
    for (const exchange of report.broker.resources.exchanges) expect(await transport.hasExchange(exchange)).toBe(false);
  });

  it('a broker stopped during a consumer run fails the remaining examples with retriable errors, and the run ends', async () => {
    const interactions = [onExchange('first event'), onExchange('second event'), onExchange('third event')];
    const handled: string[] = [];
    let queue = '';
    const begun = Date.now();
    const report = await verifyConsumerOnBroker(contract('svc', interactions), {
      transport,
      connection: rabbit,
      timeoutMs: 30_000,
      cleanupTimeoutMs: 2_000,
      consumer: async (ctx) => {
        const own = await amqp.connect(ctx.amqpUrl());
        own.on('error', () => undefined);
        const ch = await own.createChannel();
        ch.on('error', () => undefined);
        queue = ctx.queue('faults.q');
        await ch.assertQueue(queue, { durable: true });
        await ch.bindQueue(queue, ctx.exchange('faults'), 'fault.raised');
        await ch.consume(queue, async (message) => {
          if (message === null) return;
          handled.push(String(message.properties.headers?.['herald-probe-id']));
          // The broker goes away while the first example is being handled.
          if (handled.length === 1) await rabbit.stop();
          ctx.probe.handled(message.properties.headers);
        });
        return { stop: () => own.close().catch(() => undefined) };
      },
    });
    expect(Date.now() - begun).toBeLessThan(60_000);
    expect(report.results.map((r) => [r.status, r.error?.code, r.error?.retriable])).toEqual([
      ['handled', undefined, undefined],
      ['error', expect.stringMatching(/^HERALD_TRANSPORT_(DISCONNECTED|CONNECT_FAILED)$/), true],
      ['error', expect.stringMatching(/^HERALD_TRANSPORT_(DISCONNECTED|CONNECT_FAILED)$/), true],
    ]);
    expect(queue).toMatch(/^faults\.q\.herald-[0-9a-f]{8}$/);
    expect(report.broker.notes).toEqual(expect.arrayContaining([expect.stringContaining('The broker connection was lost: the run could not delete the queue(s)')]));
  });
});
