/**
 * Type tests for flows (checked by `tsc --noEmit`, never executed): a later step's reference to an
 * earlier value is typed from the earlier declaration, a reference to a step or field that does not
 * exist does not compile, and each step's handler is typed from its own declaration.
 */
import { expectTypeOf } from 'expect-type';
import { amqpExchange, amqpQueue, consumer, m } from 'herald';

const pair = consumer('push-client').expectsFrom('push-server');

const flow = pair.flow('authorised push', (f) =>
  f
    .step('authorise', () =>
      pair
        .request('an authorise request in a flow')
        .on(amqpQueue('push.auth'))
        .withPayload({ deviceId: m.string('dev-1') })
        .withReply({ sessionId: m.uuid(), ok: m.boolean(true) }, { headers: { 'session-kind': m.string('device') } }),
    )
    .step('push', (from) => {
      const sessionId = from((s) => s.authorise.reply.payload.sessionId);
      expectTypeOf(sessionId).toEqualTypeOf<ReturnType<typeof m.uuid>>();
      // @ts-expect-error no such step
      from((s) => s.login.reply.payload.sessionId);
      // @ts-expect-error the reply declares no such field
      from((s) => s.authorise.reply.payload.token);
      return pair
        .message('a push for the session')
        .on(amqpExchange('push.out', 'device.dev-1'))
        .withHeaders({ 'session-id': sessionId, kind: from((s) => s.authorise.reply.headers['session-kind']) })
        .withPayload({ text: m.string('hello'), device: from((s) => s.authorise.request.payload.deviceId) });
    }),
);

void flow.verify({
  authorise: async (double) => {
    const reply = await double.request({ payload: { deviceId: 'dev-1' } });
    expectTypeOf(reply.payload.sessionId).toEqualTypeOf<string>();
  },
  push: (message) => {
    expectTypeOf(message.headers['session-id']).toEqualTypeOf<string>();
    expectTypeOf(message.payload.device).toEqualTypeOf<string>();
  },
});

// @ts-expect-error every step needs a handler
void flow.verify({ authorise: async () => undefined });

void flow.verify({ authorise: async () => undefined, push: () => undefined }).then((values) => {
  expectTypeOf(values.authorise.reply.payload.ok).toEqualTypeOf<boolean>();
  expectTypeOf(values.push.payload.text).toEqualTypeOf<string>();
});

pair.flow('twice', (f) =>
  f
    .step('a', () => pair.message('a').withPayload({ x: 1 }))
    // @ts-expect-error a step name is used once
    .step('a', () => pair.message('b').withPayload({ y: 2 })),
);

// A step's declaration is typed from the step: a typed reply factory takes its request type from it.
expectTypeOf(flow.declarationOf('authorise').exampleRequest().payload).toEqualTypeOf<{ deviceId: string }>();
expectTypeOf(flow.declarationOf('push').example().headers['session-id']).toEqualTypeOf<string>();
// @ts-expect-error the flow has no such step
flow.declarationOf('login');
