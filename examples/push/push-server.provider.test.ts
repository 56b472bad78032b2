/**
 * The push server verifies the push client's authorise request with a reply factory that calls its
 * real AuthService; a service that answers with a non-UUID session id fails.
 */
import path from 'node:path';
import { defaultContractsDir, loadContracts, message, provider, replyFor, verifyProvider, type Contract } from 'herald';
import { AuthService, type AuthoriseRequest } from './src/auth-service';
import { authorise } from './src/declarations';

let contracts: Contract[];
beforeAll(async () => {
  contracts = await loadContracts([path.join(defaultContractsDir(), 'push-client-push-server.json')]);
});

function definition(service: AuthService) {
  return provider('push-server', {
    states: { 'a device is registered': ({ deviceId }) => service.register(String(deviceId)) },
    messages: {},
    // The request's type comes from the client's declaration: no cast.
    replies: replyFor(authorise, (_params, request) => message(service.authorise(request.payload), { headers: { 'session-kind': 'device' } })),
  });
}

describe('push server answers authorise requests', () => {
  it('replies with a session the client accepts', async () => {
    const report = await verifyProvider(contracts, definition(new AuthService()));
    expect(report.results.map((r) => [r.description, r.status, r.mismatches])).toEqual([['an authorise request', 'passed', []]]);
  });

  it('fails a service whose session id is not a UUID', async () => {
    class ShortSessions extends AuthService {
      override authorise(request: AuthoriseRequest) {
        return { ...super.authorise(request), sessionId: 'session-1' };
      }
    }
    const report = await verifyProvider(contracts, definition(new ShortSessions()));
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((m) => m.path)).toEqual(['$.sessionId']);
  });
});
