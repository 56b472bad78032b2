/**
 * The push client authorises a device with the push server over RabbitMQ RPC (request on the
 * `push.auth` queue, reply by direct reply-to), then receives pushes for that session on the
 * `push.out` exchange: one flow, whose push carries the session id of the authorise reply.
 * The flow is declared in src/declarations.ts; this test writes contracts/push-client-push-server.json.
 */
import { AuthClient } from './src/auth-client';
import { authorisedPush } from './src/declarations';

describe('push client: authorise, then receive pushes for the session', () => {
  it('opens a session from the authorise reply and accepts the push for it', async () => {
    let client: AuthClient | undefined;
    let shown = '';
    const values = await authorisedPush.verify({
      authorise: async (double) => {
        client = new AuthClient(double);
        const session = await client.authorise('dev-1', 'secret');
        expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      },
      // The same client receives the push: it carries the session id the authorise reply gave.
      push: (push) => {
        if (client === undefined) throw new Error('the push arrived before authorisation');
        shown = client.onPush(push);
      },
    });
    expect(shown).toBe('hello');
    expect(values.push.headers['session-id']).toBe(values.authorise.reply.payload.sessionId);
  });
});
