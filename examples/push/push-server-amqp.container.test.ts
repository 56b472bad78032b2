/**
 * The push server's real AuthService, served over RabbitMQ RPC, verified against the push client's
 * contract: Herald publishes the authorise request with direct reply-to and a correlation id and
 * checks the reply. A service that drops the correlation id fails.
 */
import { execFile } from 'node:child_process';
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

const ROOT = path.resolve(__dirname, '../..');

/** Runs the real CLI from the repository root. */
function herald(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
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

  it('passes through the real CLI with --transport amqp, and fails there when the service drops the correlation id', async () => {
    if (broker === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
    const args = [
      'verify',
      '--contracts',
      path.relative(ROOT, path.join(defaultContractsDir(), 'push-client-push-server.json')),
      '--transport',
      'amqp',
      '--amqp-url',
      broker.url,
      '--triggers',
      'examples/push/triggers.ts',
      '--timeout',
      '5000',
    ];
    const good = await serve();
    try {
      const run = await herald(args);
      expect(run.stdout.split('\n')[0]).toBe('✓ push-client → push-server  1 passed');
      expect(run.code).toBe(0);
    } finally {
      await good.stop();
    }
    const defective = await serve({ echoCorrelationId: false });
    try {
      const run = await herald(args);
      expect(run.stdout).toContain('HERALD_REPLY_UNCORRELATED');
      expect(run.code).toBe(1);
    } finally {
      await defective.stop();
    }
  }, 120_000);
});
