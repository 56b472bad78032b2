/**
 * Type tests for request/reply (checked by `tsc --noEmit`, never executed): the reply the double
 * answers with is typed from the declaration, and verify() exists only once a reply is declared.
 */
import { expectTypeOf } from 'expect-type';
import { amqpQueue, consumer, m, replyFor } from 'herald';

const authorise = consumer('push-client')
  .expectsFrom('push-server')
  .request('an authorise request')
  .on(amqpQueue('auth.rpc'))
  .withHeaders({ 'client-version': '2.1' })
  .withPayload({ deviceId: m.string('dev-1') });

// @ts-expect-error verify() needs a declared reply
void authorise.verify;

const declared = authorise.withReply({ sessionId: m.uuid(), ok: m.boolean(true), scopes: m.eachLike(m.string('push')) }, { headers: { 'session-kind': m.regex(/^\w+$/, 'device') } });

void declared.verify(async (double) => {
  const reply = await double.request({ payload: { deviceId: 'dev-1' } });
  expectTypeOf(reply.payload.sessionId).toEqualTypeOf<string>();
  expectTypeOf(reply.payload.ok).toEqualTypeOf<boolean>();
  expectTypeOf(reply.payload.scopes).toEqualTypeOf<string[]>();
  expectTypeOf(reply.headers['session-kind']).toEqualTypeOf<string>();
  expectTypeOf(reply.key).toEqualTypeOf<undefined>();
  // @ts-expect-error the reply declares no such field
  void reply.payload.token;
});

expectTypeOf(declared.exampleRequest().payload).toEqualTypeOf<{ deviceId: string }>();
expectTypeOf(declared.exampleRequest().headers).toEqualTypeOf<{ 'client-version': '2.1' }>();

const noHeaders = authorise.withReply({ accepted: true });
void noHeaders.verify(async (double) => {
  const reply = await double.request({ payload: {} });
  expectTypeOf(reply.payload).toEqualTypeOf<{ accepted: true }>();
});

// A reply factory made with replyFor() receives the request typed from the declaration.
void replyFor(declared, (_params, request) => {
  expectTypeOf(request.payload.deviceId).toEqualTypeOf<string>();
  expectTypeOf(request.headers['client-version']).toEqualTypeOf<'2.1'>();
  // @ts-expect-error the request declares no such field
  void request.payload.token;
  return { sessionId: 's', ok: true, scopes: [] };
});
