/**
 * A port that accepts connections and never answers (a wrong service, a hung proxy): connecting
 * fails with HERALD_TRANSPORT_CONNECT_FAILED within the connect timeout, not a request timeout
 * reported as a lost connection, (silent-port.integration.test.ts: the CLI exits 2). No broker needed.
 */
import { startSilentPort, type SilentPort } from './__fixtures__/silent-port';
import { KAFKA_CLIENTS, createKafkaTransport } from './client';
import { AmqpTransport } from '../amqp/transport';

jest.setTimeout(60_000);

let silent: SilentPort;
let port: number;

beforeAll(async () => {
  silent = await startSilentPort();
  ({ port } = silent);
});

afterAll(async () => {
  await silent.close();
});

it.each(KAFKA_CLIENTS)('Kafka on the %s client: rejects with a retriable HERALD_TRANSPORT_CONNECT_FAILED within connectTimeoutMs × (retries + 1)', async (client) => {
  await using transport = createKafkaTransport({ brokers: [`127.0.0.1:${port}`], connectTimeoutMs: 500, retries: 1, client });
  const error = await transport.connect().catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'HERALD_TRANSPORT_CONNECT_FAILED', retriable: true });
  expect((error as Error).message).toContain(`no Kafka broker answered at 127.0.0.1:${port}`);
  expect((error as Error).message).toContain('did not answer within 1000 ms (is it a Kafka port?)');
});

it('AMQP: rejects with HERALD_TRANSPORT_CONNECT_FAILED within connectTimeoutMs', async () => {
  await using transport = new AmqpTransport({ url: `amqp://guest:guest@127.0.0.1:${port}/`, connectTimeoutMs: 1_000 });
  const error = await transport.connect().catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'HERALD_TRANSPORT_CONNECT_FAILED', retriable: true });
});
