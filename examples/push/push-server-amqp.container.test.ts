/**
 * The push server's real AuthService, served over RabbitMQ RPC, verified against the push client's
 * contract: Herald publishes the authorise request with direct reply-to and a correlation id and
 * checks the reply. A service that drops the correlation id fails.
 */
import path from 'node:path';
import type * as Amqp from 'amqplib';
import { defaultContractsDir, loadContracts, verifyRepliesOnBroker, type Contract } from 'herald';
import { AmqpRequestReplyClient, loadAmqplib, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';
import { AuthService, serveOnAmqp } from './src/auth-service';

let broker: StartedRabbitMqBroker | undefined;
let contracts: Contract[];
const connections = new Set<Amqp.ChannelModel>();

beforeAll(async () => {
  contracts = await loadContracts([path.join(defaultContractsDir(), 'push-client-push-server.json')]);
  broker = await startRabbitMqBroker();
}, 180_000);

afterAll(async () => {
  for (const c of connections) await c.close().catch(() => undefined);
  connections.clear();
  await broker?.[Symbol.asyncDispose]();
});

async function serve(options: { echoCorrelationId?: boolean } = {}): Promise<{ service: AuthService; stop: () => Promise<void> }> {
  if (broker === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const connection = await loadAmqplib().connect(broker.url);
  connections.add(connection);
  const service = new AuthService();
  await serveOnAmqp(await connection.createChannel(), 'push.auth', service, options);
  return {
    service,
    stop: async () => {
      connections.delete(connection);
      await connection.close();
    },
  };
}

async function verify(service: AuthService) {
  if (broker === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const client = new AmqpRequestReplyClient({ url: broker.url });
  try {
    return await verifyRepliesOnBroker(
      contracts,
      { name: 'push-server', states: { 'a device is registered': ({ deviceId }) => service.register(String(deviceId)) } },
      { client, replyTimeoutMs: 3_000 },
    );
  } finally {
    await client.close();
  }
}

describe('push server on RabbitMQ', () => {
  it('answers the authorise request with a correlated, matching reply', async () => {
    const running = await serve();
    try {
      const report = await verify(running.service);
      expect(report.results.map((r) => [r.status, r.error?.code, r.mismatches])).toEqual([['passed', undefined, []]]);
    } finally {
      await running.stop();
    }
  });

  it('fails a service that does not echo the correlation id', async () => {
    const running = await serve({ echoCorrelationId: false });
    try {
      const report = await verify(running.service);
      expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNCORRELATED' } });
    } finally {
      await running.stop();
    }
  });
});
