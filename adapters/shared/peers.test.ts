/**
 * The adapters without their optional peers: a missing kafkajs, amqplib or testcontainers is a
 * HERALD_PEER_MISSING error with the install command, raised on first use (importing the
 * adapter never needs the peer). External-mode brokers need no testcontainers at all.
 */
import { createServer, type Server } from 'node:net';
import { isHeraldError, kafkaTopic, amqpExchange } from 'herald';
import { AmqpTransport, RabbitMqBrokerContainer, startRabbitMqBroker } from 'herald/amqp';
import { KafkaBrokerContainer, KafkaTransport, createKafkaTransport, startKafkaBroker } from 'herald/kafka';
import { PlatformaticKafkaTransport } from 'herald/platformatic-kafka';

const missing = (name: string) => (): never => {
  throw Object.assign(new Error(`Cannot find module '${name}' from 'adapters'`), { code: 'MODULE_NOT_FOUND' });
};

async function errorOf(run: () => Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await run();
  } catch (error) {
    return { code: isHeraldError(error) ? error.code : error, message: String((error as Error).message) };
  }
  throw new Error('expected a failure');
}

describe('optional peers', () => {
  it('KafkaTransport without kafkajs fails on first use with the install command', async () => {
    await using t = new KafkaTransport({ brokers: ['localhost:9092'], loadKafkajs: missing('kafkajs') });
    const e = await errorOf(() => t.publish({ channel: kafkaTopic('orders'), body: Buffer.from('x') }));
    expect(e.code).toBe('HERALD_PEER_MISSING');
    expect(e.message).toContain('npm install --save-dev kafkajs');
  });

  it('PlatformaticKafkaTransport without @platformatic/kafka fails on first use with the install command', async () => {
    await using t = new PlatformaticKafkaTransport({ brokers: ['localhost:9092'], loadPlatformaticKafka: missing('@platformatic/kafka') });
    const e = await errorOf(() => t.publish({ channel: kafkaTopic('orders'), body: Buffer.from('x') }));
    expect(e.code).toBe('HERALD_PEER_MISSING');
    expect(e.message).toContain('npm install --save-dev @platformatic/kafka');
  });

  it('createKafkaTransport picks the client: kafkajs by default, platformatic when asked; an unknown one is HERALD_USAGE', async () => {
    await using byDefault = createKafkaTransport({ brokers: ['localhost:9092'] });
    await using platformatic = createKafkaTransport({ brokers: ['localhost:9092'], client: 'platformatic' });
    expect([byDefault.client, platformatic.client]).toEqual(['kafkajs', 'platformatic']);
    expect(platformatic).toBeInstanceOf(PlatformaticKafkaTransport);
    const e = await errorOf(async () => createKafkaTransport({ brokers: ['localhost:9092'], client: 'rdkafka' as 'kafkajs' }));
    expect(e.code).toBe('HERALD_USAGE');
    expect(e.message).toContain('use kafkajs or platformatic');
  });

  it('AmqpTransport without amqplib fails on first use with the install command', async () => {
    await using t = new AmqpTransport({ url: 'amqp://localhost', loadAmqplib: missing('amqplib') });
    const e = await errorOf(() => t.startCapture(amqpExchange('orders', 'k')));
    expect(e.code).toBe('HERALD_PEER_MISSING');
    expect(e.message).toContain('npm install --save-dev amqplib');
  });

  it('broker containers without testcontainers fail with the install command', async () => {
    for (const container of [
      new KafkaBrokerContainer('apache/kafka:3.9.1').withTestcontainersLoader(missing('testcontainers')),
      new RabbitMqBrokerContainer('rabbitmq:3.13').withTestcontainersLoader(missing('testcontainers')),
    ]) {
      const e = await errorOf(() => container.start());
      expect(e.code).toBe('HERALD_PEER_MISSING');
      expect(e.message).toContain('npm install --save-dev testcontainers');
    }
  });

  // A fresh module registry where `require('kafkajs')` fails, as in a project without it.
  let Isolated: (typeof import('herald/kafka'))['KafkaTransport'] | undefined;
  jest.isolateModules(() => {
    jest.doMock('kafkajs', missing('kafkajs'));
    Isolated = (require('herald/kafka') as typeof import('herald/kafka')).KafkaTransport;
  });
  afterAll(() => {
    jest.dontMock('kafkajs');
  });

  it('a module registry without kafkajs (jest.doMock) gives the same error; importing the adapter does not need it', async () => {
    if (Isolated === undefined) throw new Error('the isolated import failed');
    await using t = new Isolated({ brokers: ['localhost:9092'] });
    const e = await errorOf(() => t.connect());
    expect(e.code).toBe('HERALD_PEER_MISSING');
  });
});

describe('external brokers', () => {
  let server: Server;
  let port: number;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('HERALD_KAFKA_BROKERS starts nothing and gives those brokers; stop is a no-op', async () => {
    process.env['HERALD_KAFKA_BROKERS'] = `127.0.0.1:${port}, other:9092`;
    await using broker = await startKafkaBroker();
    expect(broker).toMatchObject({ external: true, image: undefined, brokers: [`127.0.0.1:${port}`, 'other:9092'], containerId: undefined });
    expect(broker.readyMs).toBeGreaterThanOrEqual(0);
    await broker.stop();
    await broker.stop();
  });

  it('HERALD_AMQP_URL starts nothing and gives that URL', async () => {
    process.env['HERALD_AMQP_URL'] = `amqp://guest:guest@127.0.0.1:${port}`;
    await using broker = await startRabbitMqBroker();
    expect(broker).toMatchObject({ external: true, url: `amqp://guest:guest@127.0.0.1:${port}` });
  });

  it('an external broker that does not answer fails loudly with HERALD_BROKER_START_FAILED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await errorOf(() => startKafkaBroker({ external: [`127.0.0.1:${closedPort}`], startupTimeoutMs: 500 }));
    expect(e.code).toBe('HERALD_BROKER_START_FAILED');
    expect(e.message).toContain('HERALD_KAFKA_BROKERS');
    const a = await errorOf(() => startRabbitMqBroker({ external: `amqp://u:secret@127.0.0.1:${closedPort}`, startupTimeoutMs: 500 }));
    expect(a.code).toBe('HERALD_BROKER_START_FAILED');
    expect(a.message).not.toContain('secret');
  });
});
