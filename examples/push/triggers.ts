/**
 * The push server's definitions for verifying the authorised push flow on RabbitMQ. Its states set
 * up the running AuthService, and the push step's trigger calls the real PushService and publishes
 * on the server's channel, given the session id the authorise reply carried. The trigger is keyed
 * by the flow's own push step (src/declarations.ts).
 *
 * - `pushServerTriggers(server)`: for verifyFlowsOnBroker, around a server the caller runs.
 * - the default export, for the CLI: it runs the push server itself on the broker of
 *   HERALD_AMQP_URL (started at the first state set-up, closed by `cleanup`):
 *
 *     HERALD_AMQP_URL=amqp://guest:guest@localhost:5672 npx herald verify --transport amqp \
 *       --contracts contracts/push-client-push-server.json --triggers examples/push/triggers.ts
 */
import type * as Amqp from 'amqplib';
import { providerTriggers, type FlowProvider, type TriggerDefinition } from 'herald';
import { loadAmqplib } from 'herald/amqp';
import { AuthService, serveOnAmqp } from './src/auth-service';
import { push } from './src/declarations';
import { PUSH_EXCHANGE, PushService, publishPush } from './src/push-service';

/** The push server as it runs: its auth service answering on `push.auth`, and its push service's channel. */
export interface RunningPushServer {
  readonly auth: AuthService;
  readonly pushes: PushService;
  readonly channel: Amqp.Channel;
}

/** The flow definition for `server`; `onTeardown` hears each state torn down, by name. */
export function pushServerTriggers(server: RunningPushServer, onTeardown: (state: string) => void = () => undefined): FlowProvider {
  return {
    name: 'push-server',
    states: {
      'a device is registered': {
        setup: ({ deviceId }) => server.auth.register(String(deviceId)),
        teardown: ({ deviceId }) => {
          server.auth.unregister(String(deviceId));
          onTeardown('a device is registered');
        },
      },
      'a push is waiting for the device': { teardown: () => onTeardown('a push is waiting for the device') },
    },
    triggers: {
      // sessionId is the authorise reply's actual value; deviceId and text come from the state.
      [push.toInteraction().description]: ({ deviceId, sessionId, text }) => publishPush(server.channel, server.pushes.push(String(deviceId), String(sessionId), String(text))),
    },
  };
}

export interface PushServerOptions {
  /** The broker the server connects to (default: HERALD_AMQP_URL, as the CLI reads it). */
  readonly url?: () => string;
  /** The push service (tests pass a defective one). */
  readonly pushes?: PushService;
  /** false: the auth service answers without the request's correlation id (a defect). */
  readonly echoCorrelationId?: boolean;
}

const urlFromEnv = (): string => {
  const url = process.env['HERALD_AMQP_URL'];
  if (url === undefined || url.trim() === '') throw new Error('the push server needs the broker: set HERALD_AMQP_URL (amqp://user:pass@host:5672)');
  return url.trim();
};

/** Triggers for `herald verify --transport amqp`: the push server runs in the CLI's process, on the broker, for the run. */
export function pushServerCliTriggers(options: PushServerOptions = {}): TriggerDefinition {
  let running: Promise<{ server: RunningPushServer; connection: Amqp.ChannelModel }> | undefined;
  const start = async (): Promise<{ server: RunningPushServer; connection: Amqp.ChannelModel }> => {
    const connection = await loadAmqplib().connect((options.url ?? urlFromEnv)());
    const auth = new AuthService();
    await serveOnAmqp(await connection.createChannel(), 'push.auth', auth, options.echoCorrelationId === undefined ? {} : { echoCorrelationId: options.echoCorrelationId });
    const channel = await connection.createChannel();
    await channel.assertExchange(PUSH_EXCHANGE, 'topic', { durable: false });
    return { server: { auth, pushes: options.pushes ?? new PushService(), channel }, connection };
  };
  const server = async (): Promise<RunningPushServer> => (await (running ??= start())).server;
  // The flow definition around the server, once it runs: its states and its push trigger.
  const flow = async (): Promise<FlowProvider> => pushServerTriggers(await server());
  const registered = 'a device is registered';
  return providerTriggers('push-server', {
    states: {
      [registered]: {
        setup: async ({ deviceId }) => (await server()).auth.register(String(deviceId)),
        teardown: async ({ deviceId }) => (await server()).auth.unregister(String(deviceId)),
      },
      'a push is waiting for the device': () => undefined,
    },
    triggers: {
      [push.toInteraction().description]: async (params) => {
        const trigger = (await flow()).triggers?.[push.toInteraction().description];
        if (trigger === undefined) throw new Error('the push server has no push trigger');
        await trigger(params);
      },
    },
    cleanup: async () => {
      const started = running;
      running = undefined;
      await (await started?.catch(() => undefined))?.connection.close();
    },
  });
}

export default pushServerCliTriggers();
