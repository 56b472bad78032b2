import { InMemoryTransport, amqpExchange, amqpQueue, m, message, verifyProvider, verifyProviderOnBroker, verifyRepliesOnBroker, type ProviderDefinition } from '../index';
import { authoriseStep, pushContract, pushPair, pushStep } from '../__fixtures__/push-flow';
import { flowsOf } from '../contract/flow';
import { verifyFlow } from './flow';
import { factoryStepRunner } from './flow-factories';
import { verifyInteraction } from './verify-provider';

const pair = pushPair();
const flow = pair.flow('authorised push', (f) =>
  f
    .step('authorise', () => authoriseStep(pair))
    .step('push', (from) =>
      pushStep(pair)
        .given('a push is queued', { text: 'hello' })
        .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
        .withPayload({ text: m.string('hello') }),
    )
    .step('ack', (from) =>
      pair
        .request('an ack request')
        .on(amqpQueue('push.ack'))
        .withPayload({ session: from((s) => s.authorise.reply.payload.sessionId), text: from((s) => s.push.payload.text) })
        .withReply({ acked: m.boolean(true) }),
    ),
);
const contractOf = pushContract;

/** The push server: opens sessions, pushes to them, acks pushes; `defect` breaks one step. */
function server(defect?: 'push-session' | 'ack-throws') {
  const log: string[] = [];
  const sessions = new Set<string>();
  const definition: ProviderDefinition = {
    name: 'push-server',
    states: {
      'a device is registered': { setup: () => log.push('setup device'), teardown: () => log.push('teardown device') },
      'a push is queued': { setup: () => log.push('setup push'), teardown: () => log.push('teardown push') },
    },
    messages: {
      'a push for the session': ({ sessionId, text }) => {
        log.push(`push ${String(sessionId)}`);
        return message(
          { text: text ?? null },
          { headers: { 'session-id': defect === 'push-session' ? '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11' : (sessionId ?? null) }, channel: amqpExchange('push.out', 'device.dev-1') },
        );
      },
    },
    replies: {
      'an authorise request': () => {
        const sessionId = '11111111-2222-4333-8444-555555555555';
        sessions.add(sessionId);
        return { sessionId, ok: true };
      },
      'an ack request': (params, request) => {
        if (defect === 'ack-throws') throw new Error('ack store down');
        log.push(`ack ${JSON.stringify(request.payload)} ${String(params['sessionId'])}`);
        return { acked: sessions.has(String((request.payload as { session: string }).session)) };
      },
    },
  };
  return { definition, log };
}

describe('flow verification with factories', () => {
  const contract = contractOf(flow.toInteractions());

  it("passes a provider that carries each bound value into later steps, giving factories the earlier steps' actual values", async () => {
    const { definition, log } = server();
    const report = await verifyProvider([contract], definition);
    expect(report.results.map((r) => [r.description, r.status, r.error?.code])).toEqual([
      ['an authorise request', 'passed', undefined],
      ['a push for the session', 'passed', undefined],
      ['an ack request', 'passed', undefined],
    ]);
    // Bound values are the provider's actual ones (its session id), not the contract's examples; states stay up until the flow ends.
    expect(log).toEqual([
      'setup device',
      'setup push',
      'push 11111111-2222-4333-8444-555555555555',
      'ack {"session":"11111111-2222-4333-8444-555555555555","text":"hello"} 11111111-2222-4333-8444-555555555555',
      'teardown push',
      'teardown device',
    ]);
    expect(report.summary.unusedFactories).toEqual([]);
  });

  it('fails a middle step that does not carry the bound value, names the flow and the step, skips the rest and tears every state down', async () => {
    const { definition, log } = server('push-session');
    const report = await verifyProvider([contract], definition);
    const [authorise, push, ack] = report.results;
    expect(authorise?.status).toBe('passed');
    expect(push).toMatchObject({ status: 'failed', error: { code: 'HERALD_FLOW_STEP_FAILED' } });
    expect(push?.error?.message).toContain('flow "authorised push", step 2 of 3 "push"');
    expect(push?.mismatches.map((mm) => [mm.part, mm.path, mm.expected])).toEqual([['metadata', 'session-id', '11111111-2222-4333-8444-555555555555']]);
    expect(ack).toMatchObject({ status: 'failed', error: { code: 'HERALD_FLOW_STEP_NOT_RUN' } });
    expect(ack?.error?.message).toContain('step 2 "push", which failed');
    expect(log.filter((l) => l.startsWith('teardown'))).toEqual(['teardown push', 'teardown device']);
    expect(report.summary.ok).toBe(false);
  });

  it("keeps a step's own error code and names the flow and step in its message", async () => {
    const { definition, log } = server('ack-throws');
    const report = await verifyProvider([contract], definition);
    expect(report.results[2]).toMatchObject({ status: 'failed', error: { code: 'HERALD_FACTORY_FAILED' } });
    expect(report.results[2]?.error?.message).toContain('step 3 of 3 "ack"');
    expect(log.slice(-2)).toEqual(['teardown push', 'teardown device']);
  });

  it('fails every step of a flow whose contract lacks a step, rather than verify part of it', async () => {
    const [authorise, push] = flow.toInteractions();
    const report = await verifyProvider([contractOf([authorise!, push!])], server().definition);
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_FLOW_INVALID'],
      ['failed', 'HERALD_FLOW_INVALID'],
    ]);
    expect(report.results[0]?.error?.message).toContain('step 3 "ack" is missing from the contract');
  });

  it('fails a step whose state handler is missing, and does not run the rest', async () => {
    const { definition } = server();
    const report = await verifyProvider([contract], { ...definition, states: { 'a device is registered': () => ({}) } });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['passed', undefined],
      ['state-failed', 'HERALD_STATE_MISSING'],
      ['failed', 'HERALD_FLOW_STEP_NOT_RUN'],
    ]);
  });

  it('fails flow steps in runs that check interactions one at a time, rather than pass them with bound values unchecked', async () => {
    const requests: unknown[] = [];
    const replies = await verifyRepliesOnBroker([contract], { name: 'push-server' }, { client: { describeReplyAddress: () => 'nowhere', request: async (r) => void requests.push(r) } });
    expect(replies.results.map((r) => [r.description, r.status, r.error?.code])).toEqual([
      ['an ack request', 'failed', 'HERALD_FLOW_NOT_CHECKED'],
      ['an authorise request', 'failed', 'HERALD_FLOW_NOT_CHECKED'],
    ]);
    expect(requests).toEqual([]);
    await using transport = new InMemoryTransport();
    const oneWay = await verifyProviderOnBroker([contract], { name: 'push-server', triggers: {} }, { transport });
    expect(oneWay.results.filter((r) => r.description === 'a push for the session').map((r) => [r.status, r.error?.code])).toEqual([['failed', 'HERALD_FLOW_NOT_CHECKED']]);
    expect(oneWay.summary.ok).toBe(false);
  });

  it('fails a step whose runner throws (a broker gone away), names the flow and step, and still tears the states down', async () => {
    const { definition, log } = server();
    const [flowInContract] = flowsOf(contract);
    if (flowInContract === undefined) throw new Error('the contract has the flow');
    const run = factoryStepRunner(contract, definition, (c, i, d) => verifyInteraction(c, i, d));
    const results = await verifyFlow(contract, flowInContract, definition, async (step, params, states, bound) => {
      if (step.name === 'push') throw new Error('connection reset');
      return run(step, params, states, bound);
    });
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['passed', undefined],
      ['failed', 'HERALD_FLOW_STEP_FAILED'],
      ['failed', 'HERALD_FLOW_STEP_NOT_RUN'],
    ]);
    expect(results[1]?.error?.message).toContain('flow "authorised push", step 2 of 3 "push" failed: connection reset');
    expect(log.filter((l) => l.startsWith('teardown'))).toEqual(['teardown push', 'teardown device']);
  });
});
