/**
 * Type tests (checked by `tsc --noEmit`, never executed): handler types are inferred from the
 * declaration, with no casts, and wrong field access does not compile.
 */
import { expectTypeOf } from 'expect-type';
import { amqpExchange, consumer, kafkaTopic, m } from 'herald';

const pair = consumer('shipping').expectsFrom('orders');

const orderPlaced = pair
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{32}$/, '4bf92f3577b34da6a3ce929d0e0e4736'), version: '2' })
  .withPayload({
    orderId: m.uuid(),
    total: m.decimal(12.5),
    paid: m.boolean(true),
    note: m.null(),
    kind: 'OrderPlaced',
    items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }, { min: 1 }),
    address: m.like({ city: 'Leeds', lines: ['1 Main St'] }),
    tags: m.eachValue(m.string('x'), ['a']),
    status: m.oneOf(['NEW', 'PAID']),
    either: m.or(m.integer(1), m.null()),
  });

void orderPlaced.verify((message) => {
  expectTypeOf(message.payload.orderId).toEqualTypeOf<string>();
  expectTypeOf(message.payload.total).toEqualTypeOf<number>();
  expectTypeOf(message.payload.paid).toEqualTypeOf<boolean>();
  expectTypeOf(message.payload.note).toEqualTypeOf<null>();
  expectTypeOf(message.payload.kind).toEqualTypeOf<'OrderPlaced'>();
  expectTypeOf(message.payload.items).toEqualTypeOf<{ sku: string; qty: number }[]>();
  expectTypeOf(message.payload.address).toEqualTypeOf<{ city: string; lines: string[] }>();
  expectTypeOf(message.payload.tags).toEqualTypeOf<Record<string, string>>();
  expectTypeOf(message.payload.status).toEqualTypeOf<'NEW' | 'PAID'>();
  expectTypeOf(message.payload.either).toEqualTypeOf<number | null>();
  expectTypeOf(message.key).toEqualTypeOf<string>();
  expectTypeOf(message.headers['trace-id']).toEqualTypeOf<string>();
  expectTypeOf(message.headers.version).toEqualTypeOf<'2'>();

  // @ts-expect-error: the payload has no such field
  void message.payload.orderID;
  // @ts-expect-error: items are objects, not strings
  void message.payload.items[0]?.toUpperCase();
  // @ts-expect-error: total is a number
  void message.payload.total.toUpperCase();
  // @ts-expect-error: no such header was declared
  void message.headers['x-missing'];
  // @ts-expect-error: AMQP properties were not declared
  void message.properties.correlationId;
});

const noKey = pair.message('no key').withPayload({ id: m.integer(1) });
void noKey.verify((message) => {
  expectTypeOf(message.key).toEqualTypeOf<undefined>();
});

const invoice = consumer('ledger')
  .expectsFrom('billing')
  .message('invoice.created')
  .on(amqpExchange('billing', 'invoice.created'))
  .withProperties({ correlationId: m.uuid(), priority: m.integer(1) })
  .withPayload({ invoiceId: m.string('INV-1') });
void invoice.verify((message) => {
  expectTypeOf(message.properties.correlationId).toEqualTypeOf<string>();
  expectTypeOf(message.properties.priority).toEqualTypeOf<number>();
});

// prettier-ignore
// @ts-expect-error: verify() is not available before a payload is declared
void pair.message('incomplete').on(kafkaTopic('t')).verify(() => undefined);

// @ts-expect-error: matchers only accept their own example types
m.integer('1');

// @ts-expect-error: unknown AMQP property names are refused at compile time
pair.message('x').withProperties({ colour: 'red' });
