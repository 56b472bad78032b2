/**
 * The push server verifies the push client's flow (authorise → push) with factories that call its
 * real services: the authorise reply factory opens a session, the push factory receives that
 * session id (bound from the authorise reply) and must push to it. A service whose session id is
 * not a UUID fails at the first step; one that pushes to another session fails at the second.
 */
import path from 'node:path';
import { amqpExchange, defaultContractsDir, loadContracts, message, provider, replyFor, verifyProvider, type Contract } from 'herald';
import { AuthService, type AuthoriseRequest } from './src/auth-service';
import { authorise } from './src/declarations';
import { PUSH_EXCHANGE, PushService } from './src/push-service';

let contracts: Contract[];
beforeAll(async () => {
  contracts = await loadContracts([path.join(defaultContractsDir(), 'push-client-push-server.json')]);
});

function definition(auth: AuthService, pushes: PushService) {
  return provider('push-server', {
    states: {
      'a device is registered': ({ deviceId }) => auth.register(String(deviceId)),
      'a push is waiting for the device': () => undefined,
    },
    messages: {
      // sessionId is the authorise step's actual reply value; deviceId and text come from the state.
      'a push for the session': ({ deviceId, sessionId, text }) => {
        const push = pushes.push(String(deviceId), String(sessionId), String(text));
        return message(push.payload, { headers: push.headers, channel: amqpExchange(PUSH_EXCHANGE, push.routingKey, { type: 'topic' }) });
      },
    },
    // The request's type comes from the flow's authorise step: no cast.
    replies: replyFor(authorise, (_params, request) => message(auth.authorise(request.payload), { headers: { 'session-kind': 'device' } })),
  });
}

describe('push server serves the authorised push flow', () => {
  it('replies with a session and pushes to that session', async () => {
    const report = await verifyProvider(contracts, definition(new AuthService(), new PushService()));
    expect(report.results.map((r) => [r.description, r.status, r.mismatches])).toEqual([
      ['an authorise request', 'passed', []],
      ['a push for the session', 'passed', []],
    ]);
  });

  it('fails a service whose session id is not a UUID at the first step, and does not push', async () => {
    class ShortSessions extends AuthService {
      override authorise(request: AuthoriseRequest) {
        return { ...super.authorise(request), sessionId: 'session-1' };
      }
    }
    const report = await verifyProvider(contracts, definition(new ShortSessions(), new PushService()));
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((m) => m.path)).toEqual(['$.sessionId']);
    expect(report.results[1]?.error?.code).toBe('HERALD_FLOW_STEP_NOT_RUN');
  });

  it('fails a push service that pushes to another session than the one the client authorised', async () => {
    class StaleSessions extends PushService {
      override push(deviceId: string, _sessionId: string, text: string) {
        return super.push(deviceId, '00000000-0000-4000-8000-000000000000', text);
      }
    }
    const report = await verifyProvider(contracts, definition(new AuthService(), new StaleSessions()));
    expect(report.results[0]?.status).toBe('passed');
    expect(report.results[1]).toMatchObject({ status: 'failed', error: { code: 'HERALD_FLOW_STEP_FAILED' } });
    expect(report.results[1]?.error?.message).toContain('flow "authorised push", step 2 of 2 "push"');
    expect(report.results[1]?.mismatches.map((m) => m.path)).toEqual(['session-id']);
  });
});
