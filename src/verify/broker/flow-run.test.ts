import { InMemoryTransport, m, providerTriggers, verifyProviderOnBroker, type Contract, type TriggerDefinition } from '../../index';
import { SESSION, authoriseStep, pushContract, pushPair, pushStep } from '../../__fixtures__/push-flow';
import type { BrokerReply, RequestReplyClient } from '../reply-broker';
import { HeraldError } from '../../errors/herald-error';

const pair = pushPair();
const flow = pair.flow('authorised push', (f) =>
  f
    .step('authorise', () => authoriseStep(pair))
    .step('push', (from) =>
      pushStep(pair)
        .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
        .withPayload({ text: m.string('hello') }),
    ),
);
const contract = (): Contract => pushContract(flow.toInteractions());

/** A running auth service as the broker run sees it: it answers with `sessionId`, echoing the correlation id unless told not to. */
function authService(sessionId: string, echo = true): RequestReplyClient & { readonly requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    describeReplyAddress: () => 'a test reply queue',
    request: async (r): Promise<BrokerReply> => {
      requests.push(r.body.toString('utf8'));
      return {
        body: Buffer.from(JSON.stringify({ sessionId, ok: true })),
        contentType: 'application/json',
        headers: {},
        properties: {},
        correlationId: echo ? r.correlationId : undefined,
        address: 'a test reply queue',
      };
    },
  };
}

/** The push trigger publishes on the channel its context names, with the session it is given (or another). */
function triggers(log: string[], session?: string): TriggerDefinition {
  return providerTriggers('push-server', {
    states: { 'a device is registered': { setup: () => void log.push('setup'), teardown: () => void log.push('teardown') } },
    triggers: {
      'a push for the session': async ({ sessionId }, ctx) => {
        log.push(`push to ${String(ctx.exchange)} ${String(ctx.routingKey)}`);
        await ctx.transport.publish({ channel: ctx.channel, headers: { 'session-id': session ?? String(sessionId) }, contentType: 'application/json', body: Buffer.from('{"text":"hi"}') });
      },
    },
  });
}

describe('verifyProviderOnBroker: flows with a request/reply client', () => {
  it('runs the flow in order: the request, then the push triggered with the session of the reply', async () => {
    await using transport = new InMemoryTransport();
    const log: string[] = [];
    const client = authService(SESSION.replace('6f', '7a'));
    const report = await verifyProviderOnBroker([contract()], triggers(log), { transport, replies: { client }, timeoutMs: 2_000 });
    expect(report.results.map((r) => [r.description, r.status, r.error?.code])).toEqual([
      ['an authorise request', 'passed', undefined],
      ['a push for the session', 'passed', undefined],
    ]);
    expect(client.requests).toEqual(['{"deviceId":"dev-1"}']);
    // The push is captured on the contract's own exchange, not a run-scoped one.
    expect(log).toEqual(['setup', 'push to push.out device.dev-1', 'teardown']);
    expect(report.summary).toMatchObject({ ok: true, passed: 2, unusedFactories: [] });
  });

  it('fails the push step naming the flow and step when it goes to another session', async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([contract()], triggers([], '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11'), { transport, replies: { client: authService(SESSION) }, timeoutMs: 2_000 });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['passed', undefined],
      ['failed', 'HERALD_FLOW_STEP_FAILED'],
    ]);
    expect(report.results[1]?.error?.message).toContain('flow "authorised push", step 2 of 2 "push"');
    expect(report.summary.ok).toBe(false);
  });

  it('fails a reply without the correlation id at step 1 and does not run the push', async () => {
    await using transport = new InMemoryTransport();
    const log: string[] = [];
    const report = await verifyProviderOnBroker([contract()], triggers(log), { transport, replies: { client: authService(SESSION, false) }, timeoutMs: 2_000 });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_REPLY_UNCORRELATED'],
      ['failed', 'HERALD_FLOW_STEP_NOT_RUN'],
    ]);
    expect(log).toEqual(['setup', 'teardown']);
  });

  it('fails every step without a request/reply client, rather than pass them unseen', async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([contract()], triggers([]), { transport });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_FLOW_NOT_CHECKED'],
      ['failed', 'HERALD_FLOW_NOT_CHECKED'],
    ]);
  });

  it('ends the flow at once when the run is interrupted while a step waits for its trigger, tearing its states down', async () => {
    await using transport = new InMemoryTransport();
    const log: string[] = [];
    const interrupt = new AbortController();
    const definition = providerTriggers('push-server', {
      states: { 'a device is registered': { setup: () => void log.push('setup'), teardown: () => void log.push('teardown') } },
      triggers: {
        // A trigger that hangs until the run tells it to stop (its context's signal).
        'a push for the session': (_params, ctx) =>
          new Promise<void>((resolve) => {
            ctx.signal.addEventListener('abort', () => {
              log.push('trigger aborted');
              resolve();
            });
            interrupt.abort(new HeraldError('HERALD_INTERRUPTED', 'SIGTERM'));
          }),
      },
    });
    // Far beyond jest's own test timeout: only the interrupt can end this run in time.
    const report = await verifyProviderOnBroker([contract()], definition, { transport, replies: { client: authService(SESSION), timeoutMs: 60_000 }, timeoutMs: 60_000, signal: interrupt.signal });
    expect(report.results.map((r) => [r.description, r.status, r.error?.code])).toEqual([
      ['an authorise request', 'passed', undefined],
      ['a push for the session', 'failed', 'HERALD_INTERRUPTED'],
    ]);
    expect(report.results[1]?.error?.message).toContain('SIGTERM');
    expect(log).toEqual(['setup', 'trigger aborted', 'teardown']);
  });

  it('ends the flow at once when the run is interrupted while a request waits for its reply; later steps are not run', async () => {
    await using transport = new InMemoryTransport();
    const log: string[] = [];
    const interrupt = new AbortController();
    const silent: RequestReplyClient = {
      describeReplyAddress: () => 'a test reply queue',
      request: () => {
        interrupt.abort(new HeraldError('HERALD_INTERRUPTED', 'SIGINT'));
        return new Promise<BrokerReply>(() => undefined);
      },
    };
    const report = await verifyProviderOnBroker([contract()], triggers(log), { transport, replies: { client: silent, timeoutMs: 60_000 }, timeoutMs: 60_000, signal: interrupt.signal });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_INTERRUPTED'],
      ['failed', 'HERALD_FLOW_STEP_NOT_RUN'],
    ]);
    expect(log).toEqual(['setup', 'teardown']);
  });

  it("counts flow steps in the run's progress: each step as it starts, the flow's steps when it ends", async () => {
    await using transport = new InMemoryTransport();
    const progress: string[] = [];
    await verifyProviderOnBroker([contract()], triggers([]), {
      transport,
      replies: { client: authService(SESSION) },
      timeoutMs: 2_000,
      onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.passed} passed${p.current === undefined ? '' : ` ${p.current.description}`}`),
    });
    expect(progress).toEqual(['0/2 0 passed an authorise request', '0/2 0 passed a push for the session', '2/2 2 passed']);
  });
});
