/**
 * The push client authorises a device with the push server over RabbitMQ RPC (request on the
 * `push.auth` queue, reply by direct reply-to). Writes contracts/push-client-push-server.json.
 */
import { AuthClient } from './src/auth-client';
import { authorise } from './src/declarations';

describe('push client authorises with the push server', () => {
  it('opens a session from the authorise reply', async () => {
    const reply = await authorise.verify(async (double) => {
      const session = await new AuthClient(double).authorise('dev-1', 'secret');
      expect(session.deviceId).toBe('dev-1');
      expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect(reply.payload.ok).toBe(true);
  });
});
