/**
 * The push server's real services on RabbitMQ, verified against the push client's flow
 * (authorise → push): Herald publishes the authorise request with direct reply-to and a
 * correlation id and checks the reply, then captures the push on `push.out` while the push
 * service, triggered with the session id of that reply, publishes it. A service that drops the
 * correlation id fails at the first step; one that pushes to another session fails at the second.
 */
import path from 'node:path';
import type * as Amqp from 'amqplib';
import { defaultContractsDir, loadContracts, verifyFlowsOnBroker, type Contract, type TransportAdapter } from 'herald';
import { AmqpRequestReplyClient, AmqpTransport, loadAmqplib, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';
import { AuthService, serveOnAmqp } from './src/auth-service';
import { PUSH_EXCHANGE, PushService } from './src/push-service';
import { pushServerTriggers } from './triggers';

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

interface Running {
  readonly auth: AuthService;
  readonly channel: Amqp.Channel;
  stop(): Promise<void>;
}

/** The push server: its auth service answering on `push.auth`, and a channel its push service publishes on. */
async function serve(options: { echoCorrelationId?: boolean } = {}): Promise<Running> {
  if (broker === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const connection = await loadAmqplib().connect(broker.url);
  connections.add(connection);
  const auth = new AuthService();
  await serveOnAmqp(await connection.createChannel(), 'push.auth', auth, options);
  const channel = await connection.createChannel();
  await channel.assertExchange(PUSH_EXCHANGE, 'topic', { durable: false });
  return {
    auth,
    channel,
    stop: async () => {
      connections.delete(connection);
      await connection.close();
    },
  };
}

/** Herald's side, with a count of the captures it started and stopped. */
async function verify(running: Running, pushes: PushService, log: string[]) {
  if (broker === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const client = new AmqpRequestReplyClient({ url: broker.url });
  const amqp = new AmqpTransport({ url: broker.url });
  await amqp.connect();
  const transport: TransportAdapter = {
    name: amqp.name,
    connect: () => amqp.connect(),
    publish: (m) => amqp.publish(m),
    subscribe: (c, h) => amqp.subscribe(c, h),
    close: () => amqp.close(),
    [Symbol.asyncDispose]: () => amqp.close(),
    startCapture: async (channel) => {
      const capture = await amqp.startCapture(channel);
      log.push('capture started');
      const stop = async (): Promise<void> => {
        log.push('capture stopped');
        await capture.stop();
      };
      return { channel: capture.channel, next: (o) => capture.next(o), captured: () => capture.captured(), stop, [Symbol.asyncDispose]: stop };
    },
  };
  try {
    return await verifyFlowsOnBroker(
      contracts,
      pushServerTriggers({ auth: running.auth, pushes, channel: running.channel }, (state) => void log.push(`torn down: ${state}`)),
      { client, transport, timeoutMs: 5_000 },
    );
  } finally {
    await client.close();
    await amqp.close();
  }
}

describe('push server on RabbitMQ: the authorised push flow', () => {
  it('answers the authorise request and pushes to the session it opened', async () => {
    const running = await serve();
    const log: string[] = [];
    try {
      const report = await verify(running, new PushService(), log);
      expect(report.results.map((r) => [r.description, r.status, r.error?.code, r.mismatches])).toEqual([
        ['an authorise request', 'passed', undefined, []],
        ['a push for the session', 'passed', undefined, []],
      ]);
      expect(log).toEqual(['capture started', 'capture stopped', 'torn down: a push is waiting for the device', 'torn down: a device is registered']);
    } finally {
      await running.stop();
    }
  });

  it('fails a push to another session at step 2, naming the flow and step, and tears everything down', async () => {
    class StaleSessions extends PushService {
      override push(deviceId: string, _sessionId: string, text: string) {
        return super.push(deviceId, '00000000-0000-4000-8000-000000000000', text);
      }
    }
    const running = await serve();
    const log: string[] = [];
    try {
      const report = await verify(running, new StaleSessions(), log);
      expect(report.results[0]?.status).toBe('passed');
      expect(report.results[1]).toMatchObject({ status: 'failed', error: { code: 'HERALD_FLOW_STEP_FAILED' } });
      expect(report.results[1]?.error?.message).toContain('flow "authorised push", step 2 of 2 "push"');
      expect(report.results[1]?.mismatches.map((m) => m.path)).toEqual(['session-id']);
      expect(log).toEqual(['capture started', 'capture stopped', 'torn down: a push is waiting for the device', 'torn down: a device is registered']);
    } finally {
      await running.stop();
    }
  });

  it('fails a service that does not echo the correlation id at step 1, and does not run the push', async () => {
    const running = await serve({ echoCorrelationId: false });
    const log: string[] = [];
    try {
      const report = await verify(running, new PushService(), log);
      expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
        ['failed', 'HERALD_REPLY_UNCORRELATED'],
        ['failed', 'HERALD_FLOW_STEP_NOT_RUN'],
      ]);
      expect(report.results[0]?.error?.message).toContain('step 1 of 2 "authorise"');
      expect(log).toEqual(['torn down: a device is registered']);
    } finally {
      await running.stop();
    }
  });
});
