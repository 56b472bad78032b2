/**
 * The push server's definition for `herald verify --transport amqp`: its request/reply interaction
 * is answered by the running AuthService (started beside the CLI), so there is nothing to trigger.
 */
import { providerTriggers } from 'herald';

export default providerTriggers('push-server', {
  // The running service registers devices itself; the CLI process has nothing to set up.
  states: { 'a device is registered': () => undefined },
  triggers: {},
});
