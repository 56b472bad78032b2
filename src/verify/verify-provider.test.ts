import type { JsonObject } from '../contract/json';
import type { Contract, MessageInteraction } from '../contract/model';
import { amqpExchange, consumer, kafkaTopic, m } from '../index';
import { message, provider } from './index';
import { verifyProvider } from './verify-provider';

const orders = consumer('shipping').expectsFrom('orders');
const placed = orders
  .message('an OrderPlaced event')
  .given('an order exists', { orderId: 'ord-7' })
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withPayload({ orderId: m.string('ord-1'), items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }) })
  .toInteraction();
const invoice = consumer('ledger')
  .expectsFrom('billing')
  .message('invoice.created')
  .on(amqpExchange('billing', 'invoice.created', { queue: 'ledger.invoices' }))
  .withPayload({ id: m.integer(1) })
  .toInteraction();

const contract = (consumerName: string, providerName: string, ...interactions: MessageInteraction[]): Contract => ({
  consumer: consumerName,
  provider: providerName,
  interactions,
  specVersion: '4.0',
  metadata: {},
  source: `contracts/${consumerName}-${providerName}.json`,
});

const key = '0e8400e2-29b4-41d4-a716-446655440000';

describe('verifyProvider', () => {
  it('passes a factory whose message satisfies the contract, passing state values to the factory', async () => {
    const seen: unknown[] = [];
    const report = await verifyProvider(
      [contract('shipping', 'orders', placed)],
      provider('orders', {
        states: { 'an order exists': ({ orderId }) => ({ order: { id: orderId, skus: ['XYZ-9', 'ABC-12'] } }) },
        messages: {
          'an OrderPlaced event': (params) => {
            seen.push(params);
            const order = params['order'] as { id: string; skus: string[] };
            return message({ orderId: order.id, items: order.skus.map((sku) => ({ sku, qty: 2 })) }, { key });
          },
        },
      }),
    );
    expect(report.summary).toMatchObject({ total: 1, passed: 0, failed: 1, ok: false });
    expect(seen[0]).toMatchObject({ orderId: 'ord-7', order: { id: 'ord-7' } });
    expect(report.results[0]?.notes[0]).toMatch(/channel \(kafka_topic\) was not checked/);
  });

  it('hands the factory "__proto__" keys of state params, state results and state names as keys, never as a prototype', async () => {
    const interaction: MessageInteraction = { ...invoice, description: 'keyed', providerStates: [{ name: '__proto__', params: JSON.parse('{"__proto__": {"from": "params"}}') as JsonObject }] };
    const result: unknown = JSON.parse('{"__proto__": {"from": "result"}}');
    const states = {};
    Object.defineProperty(states, '__proto__', { value: () => result, enumerable: true });
    const seen: { params?: object; values?: object } = {};
    const report = await verifyProvider([contract('ledger', 'billing', interaction)], {
      name: 'billing',
      states,
      messages: {
        keyed: (params, { states: values }) => {
          Object.assign(seen, { params, values });
          return message({ id: 3 }, { channel: amqpExchange('billing', 'invoice.created', { queue: 'ledger.invoices' }) });
        },
      },
    });
    expect(report.results[0]).toMatchObject({ status: 'passed' });
    expect(Object.getPrototypeOf(seen.params)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(seen.params, '__proto__')?.value).toEqual({ from: 'result' });
    expect(Object.getPrototypeOf(seen.values)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(seen.values, '__proto__')?.value).toBe(result);
  });

  it('fails an interaction whose factory does not say where it publishes, naming the channel and the fix', async () => {
    const report = await verifyProvider([contract('ledger', 'billing', invoice)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 3 }) } });
    expect(report.results[0]).toMatchObject({ status: 'failed', mismatches: [], error: { code: 'HERALD_CHANNEL_UNCHECKED' } });
    expect(report.results[0]?.error?.message).toContain('amqp_exchange "billing"');
    expect(report.results[0]?.error?.message).toContain('amqp_routing_key "invoice.created"');
    expect(report.results[0]?.error?.message).toMatch(/Pass `channel` to message\(\).*verify on a broker/);
    expect(report.summary.ok).toBe(false);
  });

  it('accepts an unchecked channel when asked, and still says it was not checked', async () => {
    const report = await verifyProvider([contract('ledger', 'billing', invoice)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 3 }) } }, { allowUncheckedChannel: true });
    expect(report.results[0]?.status).toBe('passed');
    expect(report.results[0]?.notes.join('\n')).toMatch(/channel \(amqp_exchange, amqp_exchange_type, amqp_routing_key\) was not checked.*Accepted by --allow-unchecked-channel/);
    const broken = await verifyProvider([contract('ledger', 'billing', invoice)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 'x' }) } }, { allowUncheckedChannel: true });
    expect(broken.results[0]?.mismatches.map((x) => x.path)).toEqual(['$.id']);
  });

  it('fails with mismatch paths when the producer changes a type', async () => {
    const report = await verifyProvider([contract('shipping', 'orders', placed)], {
      name: 'orders',
      states: { 'an order exists': () => undefined },
      messages: { 'an OrderPlaced event': () => message({ orderId: 'o', items: [{ sku: 'ABC-1', qty: '1' }] }, { key }) },
    });
    expect(report.summary.ok).toBe(false);
    expect(report.results[0]?.mismatches.map((x) => x.path)).toEqual(['$.items[0].qty']);
  });

  it('checks the channel when the factory says where it publishes, ignoring the consumer-side queue', async () => {
    const ok = await verifyProvider([contract('ledger', 'billing', invoice)], {
      name: 'billing',
      messages: { 'invoice.created': () => message({ id: 3 }, { channel: amqpExchange('billing', 'invoice.created') }) },
    });
    expect(ok.summary.ok).toBe(true);
    const wrong = await verifyProvider([contract('ledger', 'billing', invoice)], {
      name: 'billing',
      messages: { 'invoice.created': () => message({ id: 3 }, { channel: amqpExchange('billing', 'invoice.updated') }) },
    });
    expect(wrong.results[0]?.mismatches.map((x) => x.path)).toEqual(['amqp_routing_key']);
  });

  it('reports a missing key as a metadata mismatch', async () => {
    const report = await verifyProvider([contract('shipping', 'orders', placed)], {
      name: 'orders',
      states: { 'an order exists': () => undefined },
      messages: { 'an OrderPlaced event': () => ({ orderId: 'o', items: [{ sku: 'ABC-1', qty: 1 }] }) },
    });
    expect(report.results[0]?.mismatches[0]).toMatchObject({ part: 'metadata', path: 'kafka_key', code: 'missing' });
  });

  it('reports pending interactions without failing the run', async () => {
    const pending = { ...invoice, pending: true };
    const report = await verifyProvider([contract('ledger', 'billing', pending)], {
      name: 'billing',
      messages: { 'invoice.created': () => message({ id: 'x' }, { channel: amqpExchange('billing', 'invoice.created') }) },
    });
    expect(report.results[0]?.status).toBe('pending');
    expect(report.summary).toMatchObject({ pending: 1, ok: true });
  });

  it('runs teardown even when the factory throws, and names the factory error', async () => {
    const calls: string[] = [];
    const report = await verifyProvider([contract('shipping', 'orders', placed)], {
      name: 'orders',
      states: { 'an order exists': { setup: () => calls.push('setup'), teardown: () => calls.push('teardown') } },
      messages: {
        'an OrderPlaced event': () => {
          throw new Error('database is down');
        },
      },
    });
    expect(calls).toEqual(['setup', 'teardown']);
    expect(report.results[0]?.error).toMatchObject({ code: 'HERALD_FACTORY_FAILED' });
    expect(report.results[0]?.error?.message).toContain('database is down');
  });

  it('times out a hanging state handler, naming it', async () => {
    const report = await verifyProvider([contract('shipping', 'orders', placed)], {
      name: 'orders',
      stateTimeoutMs: 50,
      states: { 'an order exists': () => new Promise(() => undefined) },
      messages: { 'an OrderPlaced event': () => ({}) },
    });
    expect(report.results[0]).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_TIMEOUT' } });
    expect(report.results[0]?.error?.message).toContain('"an order exists" did not finish within 50 ms');
  });

  it('sets up states in order, plain and promised alike, each after the one before settled, merging params and results in that order', async () => {
    const calls: string[] = [];
    const seen: unknown[] = [];
    const interaction: MessageInteraction = {
      ...invoice,
      providerStates: [
        { name: 'first', params: { a: 1, b: 1 } },
        { name: 'second', params: { b: 2 } },
        { name: 'third', params: { c: 3 } },
      ],
    };
    const report = await verifyProvider([contract('ledger', 'billing', interaction)], {
      name: 'billing',
      states: {
        first: { setup: () => (calls.push('setup first'), { fromFirst: 1, a: 10 }), teardown: () => void calls.push('teardown first') },
        second: {
          setup: async () => {
            for (let i = 0; i < 3; i += 1) await Promise.resolve();
            calls.push('setup second');
            return { a: 20, fromSecond: 2 };
          },
          teardown: async () => void calls.push('teardown second'),
        },
        third: () => (calls.push('setup third'), 'plain'),
      },
      messages: {
        'invoice.created': (params, { states }) => {
          seen.push(params, states);
          return message({ id: 1 }, { channel: amqpExchange('billing', 'invoice.created') });
        },
      },
    });
    expect(report.results[0]?.status).toBe('passed');
    expect(calls).toEqual(['setup first', 'setup second', 'setup third', 'teardown second', 'teardown first']);
    expect(seen[0]).toEqual({ a: 20, b: 2, fromFirst: 1, fromSecond: 2, c: 3 });
    expect(seen[1]).toEqual({ first: { fromFirst: 1, a: 10 }, second: { a: 20, fromSecond: 2 }, third: 'plain' });
  });

  it.each([
    [
      'throws',
      (): never => {
        throw new Error('seed failed');
      },
    ],
    ['rejects', (): Promise<never> => Promise.reject(new Error('seed failed'))],
  ])('fails the states of a handler that %s, naming the state and the interaction, and tears down what was set up', async (_how, failing) => {
    const calls: string[] = [];
    const interaction: MessageInteraction = { ...invoice, providerStates: [{ name: 'first' }, { name: 'second' }, { name: 'third' }] };
    const report = await verifyProvider([contract('ledger', 'billing', interaction)], {
      name: 'billing',
      states: { first: { setup: () => undefined, teardown: () => void calls.push('teardown first') }, second: failing, third: () => void calls.push('setup third') },
      messages: { 'invoice.created': () => ({ id: 1 }) },
    });
    expect(report.results[0]).toMatchObject({
      status: 'state-failed',
      error: { code: 'HERALD_STATE_FAILED', message: 'The state handler "second" failed for "invoice.created" (ledger → billing, contracts/ledger-billing.json): seed failed' },
    });
    expect(calls).toEqual(['teardown first']);
  });

  it('fails the states when what a handler returned cannot be read', async () => {
    const unreadable = {
      get broken(): never {
        throw new Error('getter failed');
      },
    };
    const interaction: MessageInteraction = { ...invoice, providerStates: [{ name: 'first' }] };
    const report = await verifyProvider([contract('ledger', 'billing', interaction)], { name: 'billing', states: { first: () => unreadable }, messages: { 'invoice.created': () => ({ id: 1 }) } });
    expect(report.results[0]).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_FAILED' } });
    expect(report.results[0]?.error?.message).toContain('getter failed');
  });

  it('names the interaction in the message of a missing state handler and of a factory that throws', async () => {
    const interaction: MessageInteraction = { ...invoice, providerStates: [{ name: 'unknown state' }] };
    const missing = await verifyProvider([contract('ledger', 'billing', interaction)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 1 }) } });
    expect(missing.results[0]?.error?.message).toBe(
      'No state handler for the provider state "unknown state" needed by "invoice.created" (ledger → billing, contracts/ledger-billing.json). Add states["unknown state"] to the provider\'s factories.',
    );
    const threw = await verifyProvider([contract('ledger', 'billing', invoice)], {
      name: 'billing',
      messages: {
        'invoice.created': () => {
          throw new Error('boom');
        },
      },
    });
    expect(threw.results[0]?.error?.message).toBe('The factory for "invoice.created" (ledger → billing, contracts/ledger-billing.json) threw: boom');
  });

  it('lists unused factories and refuses an unknown provider', async () => {
    const report = await verifyProvider([contract('ledger', 'billing', invoice)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 1 }), 'invoice.voided': () => ({}) } });
    expect(report.summary.unusedFactories).toEqual(['invoice.voided']);
    await expect(verifyProvider([contract('ledger', 'billing', invoice)], { name: 'payments', messages: {} })).rejects.toThrow(/no contract names it as provider.*billing/);
  });
});

describe('verifyProvider on hostile user code and names', () => {
  const never = { then: (): void => undefined };

  it('times out a factory returning a thenable that never settles, instead of waiting forever', async () => {
    const report = await verifyProvider([contract('ledger', 'billing', invoice)], { name: 'billing', factoryTimeoutMs: 50, messages: { 'invoice.created': () => never } });
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_FACTORY_FAILED' } });
    expect(report.results[0]?.error?.message).toContain('did not finish within 50 ms');
  }, 2_000);

  it('times out a state handler and a teardown returning a never-settling thenable', async () => {
    const report = await verifyProvider([contract('shipping', 'orders', placed)], {
      name: 'orders',
      stateTimeoutMs: 50,
      states: { 'an order exists': { setup: () => never, teardown: () => never } },
      messages: { 'an OrderPlaced event': () => ({}) },
    });
    expect(report.results[0]).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_TIMEOUT' } });
    expect(report.results[0]?.notes.join('\n')).toContain('Teardown of the state "an order exists" failed: timed out after 50 ms');
  }, 2_000);

  it('uses the value a thenable settles with', async () => {
    const thenable = { then: (resolve: (v: unknown) => void): void => resolve(message({ id: 3 }, { channel: amqpExchange('billing', 'invoice.created') })) };
    const report = await verifyProvider([contract('ledger', 'billing', invoice)], { name: 'billing', messages: { 'invoice.created': () => thenable } });
    expect(report.results[0]?.status).toBe('passed');
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('finds no factory for an interaction described %j unless the provider defines one', async (description) => {
    const interaction = { ...invoice, description };
    const report = await verifyProvider([contract('ledger', 'billing', interaction)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 1 }) } });
    expect(report.results[0]).toMatchObject({ status: 'no-factory', error: { code: 'HERALD_NO_FACTORY' } });
    expect(report.summary.ok).toBe(false);
  });

  it.each(['constructor', 'toString', '__proto__'])('finds no state handler for a provider state named %j unless the provider defines one', async (name) => {
    const interaction = { ...invoice, providerStates: [{ name }] };
    const report = await verifyProvider([contract('ledger', 'billing', interaction)], { name: 'billing', states: { other: () => undefined }, messages: { 'invoice.created': () => ({ id: 1 }) } });
    expect(report.results[0]).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_MISSING' } });
  });

  it('keeps a "__proto__" state parameter as a parameter, not a prototype', async () => {
    const seen: Record<string, unknown>[] = [];
    const interaction = { ...invoice, providerStates: [{ name: 's', params: JSON.parse('{"__proto__": {"polluted": true}, "id": 1}') as Record<string, never> }] };
    await verifyProvider([contract('ledger', 'billing', interaction)], {
      name: 'billing',
      states: { s: () => undefined },
      messages: {
        'invoice.created': (params) => {
          seen.push(params);
          return { id: 1 };
        },
      },
    });
    expect(Object.getPrototypeOf(seen[0])).toBe(Object.prototype);
    expect(Object.hasOwn(seen[0] ?? {}, '__proto__')).toBe(true);
  });

  it('filters descriptions in linear time: a catastrophic-backtracking RegExp does not hang', async () => {
    const hostile = { ...invoice, description: `${'a'.repeat(40)}!` };
    // Backtracking would take hours on 40 a's; `npm run bench:hot-paths` measures it against a plain filter.
    const report = await verifyProvider([contract('ledger', 'billing', invoice, hostile)], { name: 'billing', messages: { 'invoice.created': () => ({ id: 1 }) } }, { description: /^(a+)+$/ }).catch(
      (e: unknown) => e,
    );
    expect(report).toMatchObject({ summary: { total: 0 } });
  }, 10_000);
});
