import { readFileSync } from 'node:fs';
import { amqpExchange, amqpQueue, consumer, m, writeContracts } from '../index';
import { flowBlockOf } from '../contract/flow';
import { isSyncInteraction } from '../contract/model';
import { parseContract } from '../contract/reader';
import { parseJsonText } from '../contract/safe-json';
import { contractFilePath } from '../contract/store';
import { hasErrorCode } from '../errors/herald-error';
import { defaultContractsDir } from './session';
import { SESSION, authoriseStep, pushPair, pushStep } from '../__fixtures__/push-flow';
import { capture } from '../__fixtures__/capture-error';

function declare(consumerName: string) {
  const pair = pushPair(consumerName);
  return pair.flow('authorised push', (f) =>
    f
      .step('authorise', () => authoriseStep(pair))
      .step('push', (from) =>
        pushStep(pair)
          .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
          .withPayload({ device: from((s) => s.authorise.request.payload.deviceId), text: m.string('hello') }),
      ),
  );
}

describe('flow declarations', () => {
  it('writes each step as a normal interaction with its flow block and bindings in comments.herald.flow', () => {
    const [authorise, push] = declare('flow-shape').toInteractions();
    expect(authorise && isSyncInteraction(authorise)).toBe(true);
    expect(flowBlockOf(authorise!)).toEqual({ name: 'authorised push', index: 0, steps: ['authorise', 'push'], step: 'authorise', bind: [] });
    expect(flowBlockOf(push!)).toEqual({
      name: 'authorised push',
      index: 1,
      steps: ['authorise', 'push'],
      step: 'push',
      bind: [
        { name: 'sessionId', to: ['headers', 'session-id'], from: { step: 'authorise', path: ['reply', 'payload', 'sessionId'] } },
        { name: 'deviceId', to: ['payload', 'device'], from: { step: 'authorise', path: ['request', 'payload', 'deviceId'] } },
      ],
    });
    // A bound value is matched with the rules of the value it copies, and marked as a provider-state value for Pact tools.
    if (push === undefined || isSyncInteraction(push)) throw new Error('push is a message');
    expect(push.metadata['session-id']).toBe(SESSION);
    expect(push.matchingRules.metadata['session-id']?.matchers[0]).toMatchObject({ match: 'regex' });
    expect(push.generators.metadata['session-id']).toEqual({ type: 'ProviderState', expression: '${sessionId}' });
  });

  it('gives a step its declaration as the flow writes it, and refuses a step it does not have', async () => {
    const flow = declare('flow-declaration-of');
    const [authorise, push] = flow.toInteractions();
    expect(flow.declarationOf('authorise').toInteraction()).toEqual(authorise);
    expect(flow.declarationOf('push').toInteraction()).toEqual(push);
    expect(flow.declarationOf('authorise').exampleRequest().payload).toEqual({ deviceId: 'dev-1' });
    const error = await capture(() => flow.declarationOf('login' as 'push'));
    expect(hasErrorCode(error, 'HERALD_DSL_INVALID') && error.message).toContain('it has no step "login"; its steps are "authorise", "push"');
  });

  it('refuses a selector that does not name a value of an earlier step', () => {
    const pair = consumer('flow-bad').expectsFrom('push-server');
    const error = (() => {
      try {
        pair.flow('broken', (f) =>
          f.step('a', () => pair.message('a').withPayload({ x: 1 })).step('b', (from) => pair.message('b').withPayload({ y: from((s) => (s as unknown as { c: { payload: number } }).c.payload) })),
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(hasErrorCode(error, 'HERALD_DSL_INVALID')).toBe(true);
    expect((error as Error).message).toContain('not a value of an earlier step');
  });

  it("runs the consumer's code through the steps in order, with the earlier step's actual values bound in later ones", async () => {
    const order: string[] = [];
    let session = '';
    const values = await declare('flow-run').verify({
      authorise: async (double) => {
        order.push('authorise');
        session = (await double.request({ payload: { deviceId: 'dev-1' } })).payload.sessionId;
      },
      push: (message) => {
        order.push('push');
        if (message.headers['session-id'] !== session) throw new Error(`push for an unknown session ${message.headers['session-id']}`);
        expect(message.metadata['session-id']).toBe(session);
        expect(message.payload.device).toBe('dev-1');
      },
    });
    expect(order).toEqual(['authorise', 'push']);
    // The uuid generator gave a fresh session id; the push carried that one, not the declared example.
    expect(session).not.toBe(SESSION);
    expect(values.push.headers['session-id']).toBe(session);
    const written = await writeContracts();
    const file = contractFilePath(defaultContractsDir(), 'flow-run', 'push-server');
    expect(written).toContain(file);
    const contract = parseContract(parseJsonText(readFileSync(file, 'utf8'), file), file);
    expect([...contract.interactions, ...(contract.synchronous ?? [])].map((i) => i.description).sort()).toEqual(['a push for the session', 'an authorise request']);
  });

  it('fails at the first failing step, naming the flow and the step, and writes none of its steps', async () => {
    const error = await capture(() =>
      declare('flow-fail').verify({
        authorise: async (double) => {
          await double.request({ payload: { deviceId: 'dev-1' } });
        },
        push: () => {
          throw new Error('the client lost its session');
        },
      }),
    );
    expect(hasErrorCode(error, 'HERALD_HANDLER_FAILED')).toBe(true);
    expect((error as Error).message).toContain('flow "authorised push"');
    expect((error as Error).message).toContain('step 2 of 2 "push"');
    const written = await writeContracts();
    expect(written).not.toContain(contractFilePath(defaultContractsDir(), 'flow-fail', 'push-server'));
  });

  it('fails a request that does not carry a value bound from an earlier step, even when the client swallows the rejection', async () => {
    const pair = consumer('flow-ack').expectsFrom('push-server');
    const flow = pair.flow('ack', (f) =>
      f
        .step('push', () => pair.message('a push to ack').withPayload({ pushId: m.string('p-1') }))
        .step('ack', (from) =>
          pair
            .request('an ack request')
            .on(amqpQueue('push.ack'))
            .withPayload({ pushId: from((s) => s.push.payload.pushId) })
            .withReply({ ok: m.boolean(true) }),
        ),
    );
    const error = await capture(() =>
      flow.verify({
        push: () => undefined,
        ack: async (double) => {
          await double.request({ payload: { pushId: 'p-2' } }).catch(() => undefined);
        },
      }),
    );
    expect(hasErrorCode(error, 'HERALD_REQUEST_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain('payload.pushId must be "p-1"');
  });
});
