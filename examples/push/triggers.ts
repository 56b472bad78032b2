/**
 * The push server's definition for verifying the authorised push flow on RabbitMQ
 * (`verifyFlowsOnBroker`): its states set up the running AuthService, and the push step's trigger
 * calls the real PushService and publishes on the server's channel, given the session id the
 * authorise reply carried. The trigger is keyed by the flow's own push step (src/declarations.ts).
 * The CLI's one-at-a-time broker run does not verify flows: it fails their steps
 * (HERALD_FLOW_NOT_CHECKED), so this definition is for verifyFlowsOnBroker only.
 */
import type * as Amqp from 'amqplib';
import type { FlowProvider } from 'herald';
import type { AuthService } from './src/auth-service';
import { push } from './src/declarations';
import { publishPush, type PushService } from './src/push-service';

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
