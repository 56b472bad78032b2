import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consumer } from '../dsl/consumer';
import { writeContracts } from '../dsl/session';
import { kafkaTopic } from '../contract/channel';
import { hasErrorCode } from '../errors/herald-error';
import { m } from '../matchers/index';
import type { UsageReport } from './hook';
import { flushUsageWarnings, takeUnusedWarning } from './hook';
import { unusedFields, usageOf } from './usage';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'herald-usage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const order = () =>
  consumer('shipping')
    .expectsFrom('orders')
    .message(`an OrderPlaced event ${Math.random()}`)
    .on(kafkaTopic('orders.v1'))
    .withKey(m.uuid())
    .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{4}$/, 'beef'), source: 'web' })
    .writeTo(dir)
    .withPayload({
      orderId: m.uuid(),
      total: m.decimal(12.5),
      placedAt: m.datetime(),
      items: m.eachLike({ sku: m.string('ABC-1'), qty: m.integer(1) }, { min: 2 }),
      address: { city: 'Leeds', country: 'GB' },
      tags: m.eachValue(m.string('x'), ['a', 'b']),
    });

/** Runs `handler` and returns the usage report of the run. */
async function usageOfRun(handler: Parameters<ReturnType<typeof order>['verify']>[0], options: { strictUsage?: boolean } = {}): Promise<UsageReport> {
  let report: UsageReport | undefined;
  await order().verify(handler, { ...options, onUsage: (r) => (report = r) });
  if (report === undefined) throw new Error('no usage report');
  return report;
}

describe('field usage recorded by verify()', () => {
  it('records the leaves a handler reads as Pact paths', async () => {
    const report = await usageOfRun(({ payload }) => {
      if (payload.total <= 0) throw new Error('no total');
    });
    expect(report.usage).toEqual({ payload: ['$.total'], headers: [], key: false });
  });

  it('normalises array indexes to [*] for index access, iteration, map, forEach, reduce and length', async () => {
    const index = await usageOfRun(({ payload }) => payload.items[1]?.qty);
    expect(index.usage.payload).toEqual(['$.items', '$.items[*]', '$.items[*].qty']);
    const iterated = await usageOfRun(({ payload }) => {
      for (const item of payload.items) void item.sku;
      payload.items.forEach((item) => item.sku);
      return payload.items.map((i) => i.sku).join(',');
    });
    expect(iterated.usage.payload).toEqual(['$.items', '$.items[*]', '$.items[*].sku']);
    const reduced = await usageOfRun(({ payload }) => payload.items.reduce((sum, i) => sum + i.qty, 0));
    expect(reduced.usage.payload).toEqual(['$.items', '$.items[*]', '$.items[*].qty']);
    const length = await usageOfRun(({ payload }) => payload.items.length);
    expect(length.usage.payload).toEqual(['$.items']);
    expect(length.unused.payload).toEqual(['$.orderId', '$.total', '$.placedAt', '$.items[*]', '$.address', '$.tags']);
  });

  it('records destructured fields, and map entries as *', async () => {
    const report = await usageOfRun(
      ({
        payload: {
          orderId,
          address: { city },
          tags,
        },
      }) => `${orderId} ${city} ${tags['a'] ?? ''}`,
    );
    expect(report.usage.payload).toEqual(['$.address', '$.address.city', '$.orderId', '$.tags', '$.tags.*']);
  });

  it('counts a spread as reading every key at that level, and keeps nested objects tracked in the copy', async () => {
    const report = await usageOfRun(({ payload }) => {
      const copy = { ...payload };
      return copy.address.city;
    });
    expect(report.usage.payload).toEqual(expect.arrayContaining(['$.orderId', '$.total', '$.placedAt', '$.items', '$.address', '$.address.city', '$.tags']));
    expect(report.usage.payload).not.toContain('$.address.country');
    expect(report.unused.payload).toEqual(['$.address.country']);
  });

  it('counts JSON.stringify and structuredClone as reading everything, and both give plain copies', async () => {
    const all = ['$.address', '$.address.city', '$.address.country', '$.items', '$.items[*]', '$.items[*].qty', '$.items[*].sku', '$.orderId', '$.placedAt', '$.tags', '$.tags.*', '$.total'];
    let cloned: unknown;
    const json = await usageOfRun(({ payload }) => JSON.parse(JSON.stringify(payload)));
    expect(json.usage.payload).toEqual(all);
    const clone = await usageOfRun(({ payload }) => {
      cloned = structuredClone(payload);
    });
    expect(clone.usage.payload).toEqual(all);
    expect(cloned).toMatchObject({ address: { city: 'Leeds', country: 'GB' }, tags: { a: 'x', b: 'x' } });
  });

  it('counts Object.keys as reading names only, and `in` / Object.hasOwn as reading the field', async () => {
    const keys = await usageOfRun(({ payload }) => Object.keys(payload.address).length);
    expect(keys.usage.payload).toEqual(['$.address']);
    const presence = await usageOfRun(({ payload }) => 'city' in payload.address && Object.hasOwn(payload, 'total') && Object.prototype.hasOwnProperty.call(payload, 'placedAt'));
    expect(presence.usage.payload).toEqual(['$.address', '$.address.city', '$.placedAt', '$.total']);
    const filtered = await usageOfRun(({ payload }) => payload.items.filter((i) => i.qty > 1).length);
    expect(filtered.usage.payload).toEqual(['$.items', '$.items[*]', '$.items[*].qty']);
  });

  it('counts an object taken but never looked into as read whole', async () => {
    const saved: unknown[] = [];
    const report = await usageOfRun(({ payload }) => {
      saved.push(payload.address);
    });
    expect(report.usage.payload).toEqual(['$.address', '$.address.city', '$.address.country']);
  });

  it('counts reading the raw body as reading the whole payload', async () => {
    const report = await usageOfRun((message) => JSON.parse(message.body.toString('utf8')));
    expect(report.usage.payload).toHaveLength(12);
  });

  it('does not count fields the handler wrote before reading', async () => {
    const report = await usageOfRun(({ payload }) => {
      payload.total = 3;
      return payload.total;
    });
    expect(report.usage.payload).toEqual([]);
  });

  it('gives the handler values that behave like plain JSON', async () => {
    const declaration = order();
    const plain = declaration.example().payload;
    await declaration.verify(({ payload }) => {
      expect(Array.isArray(payload.items)).toBe(true);
      // Same prototypes as the plain example (under jest the example may come from another realm).
      expect(payload.items instanceof plain.items.constructor).toBe(true);
      expect(Object.getPrototypeOf(payload.address)).toBe(Object.getPrototypeOf(plain.address));
      expect(payload.items).toBe(payload.items);
      expect(payload.address).toEqual({ city: 'Leeds', country: 'GB' });
      expect(Number.isNaN(Date.parse(payload.placedAt))).toBe(false);
      expect(`${payload.address.city}/${payload.items.length}`).toBe('Leeds/2');
      expect([...payload.items]).toHaveLength(2);
      expect(Object.entries(payload.tags)).toEqual([
        ['a', 'x'],
        ['b', 'x'],
      ]);
      expect(structuredClone(payload.items)).toEqual(payload.items.map((i) => ({ ...i })));
    });
  });

  it('records headers and the key by name, through headers, metadata and key', async () => {
    const viaHeaders = await usageOfRun((message) => message.headers['trace-id']);
    expect(viaHeaders.usage).toEqual({ payload: [], headers: ['trace-id'], key: false });
    const viaMetadata = await usageOfRun((message) => `${String(message.metadata['source'])}${String(message.metadata['kafka_key'])}`);
    expect(viaMetadata.usage).toEqual({ payload: [], headers: ['source'], key: true });
    const viaKey = await usageOfRun(({ key }) => key.length);
    expect(viaKey.usage.key).toBe(true);
    expect(viaKey.unused.headers).toEqual(['source', 'trace-id']);
  });

  it('records reads through a copy of the message, an object inheriting from it, and structuredClone of it', async () => {
    // A copy reads every field of the message, the raw body too: the whole payload.
    const spread = await usageOfRun((message) => ({ ...message }).payload.total);
    expect(spread.usage).toEqual({ payload: expect.arrayContaining(['$.total', '$.address.country', '$.items[*].qty']) as unknown, headers: [], key: true });
    const inherited = await usageOfRun((message) => (Object.create(message) as typeof message).payload.total);
    expect(inherited.usage.payload).toEqual(['$.total']);
    let cloned: unknown;
    const whole = await usageOfRun((message) => {
      cloned = structuredClone(message);
    });
    expect(whole.usage.payload).toContain('$.address.country');
    expect(cloned).toMatchObject({ payload: { total: 12.5 }, headers: { source: 'web' } });
  });

  it('records reads through a Proxy the handler puts over the message (a getter run with that proxy as receiver)', async () => {
    let total: unknown;
    const wrapped = await usageOfRun((message) => {
      const proxy = new Proxy(message, { get: (target, prop, receiver: unknown) => Reflect.get(target, prop, receiver) });
      total = proxy.payload.total;
    });
    expect(total).toBe(12.5);
    expect(wrapped.usage.payload).toEqual(['$.total']);
  });

  it('wraps the global structuredClone only while a handler runs, after a failing handler too', async () => {
    const before = globalThis.structuredClone;
    const during: unknown[] = [];
    await usageOfRun(() => void during.push(globalThis.structuredClone));
    expect(globalThis.structuredClone).toBe(before);
    await expect(
      order().verify(() => {
        during.push(globalThis.structuredClone);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(globalThis.structuredClone).toBe(before);
    expect(during).toHaveLength(2);
    for (const wrapper of during) expect(wrapper).not.toBe(before);
  });

  it('reports reads of fields and headers the declaration does not hold', async () => {
    const report = await usageOfRun((message) => {
      const loose = message.payload as unknown as Record<string, unknown>;
      return [loose['discount'], (message.headers as Record<string, unknown>)['tenant']];
    });
    expect(report.undeclared).toEqual({ payload: ['$.discount'], headers: ['tenant'], key: false });
  });

  it('fails the test in strict mode when declared fields are never read, naming them', async () => {
    const error = await order()
      .verify(({ payload }) => payload.total, { strictUsage: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(hasErrorCode(error, 'HERALD_USAGE_UNREAD_FIELDS')).toBe(true);
    expect((error as Error).message).toContain('$.orderId, $.placedAt, $.items, $.address, $.tags, header source, header trace-id, the key');
  });

  it('passes strict mode when everything declared is read', async () => {
    await expect(order().verify((message) => JSON.stringify([message.payload, message.headers, message.key]), { strictUsage: true })).resolves.toBeDefined();
  });
});

describe('field usage in the contract file', () => {
  it('writes herald.usage sorted, identical from run to run even with random generators', async () => {
    const pair = consumer('odd-jobs').expectsFrom('contractors');
    const declaration = pair
      .message('a ContractorUpdated event')
      .writeTo(dir)
      .withPayload({ available: m.boolean(), stock: m.string('12'), rating: m.integer() });
    const handler = ({ payload }: { payload: { available: boolean; stock: string; rating: number } }): string => (payload.available ? `${payload.rating}` : payload.stock);
    const runs: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      await declaration.verify(handler);
      await writeContracts();
      const file = JSON.parse(readFileSync(path.join(dir, 'odd-jobs-contractors.json'), 'utf8')) as { interactions: { comments: { herald: { usage: unknown } } }[] };
      runs.push(file.interactions[0]?.comments.herald.usage);
    }
    expect(runs[0]).toEqual({ payload: ['$.available', '$.rating'], headers: [], key: false });
    expect(new Set(runs.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('adds up the usage of several verify() calls of one interaction, without a duplicate-interaction error', async () => {
    const declaration = consumer('materials').expectsFrom('contractors').message('a ContractorUpdated event').writeTo(dir).withPayload({ available: true, stock: '12' });
    await declaration.verify(({ payload }) => payload.stock);
    await declaration.verify(({ payload }) => payload.available);
    await writeContracts();
    const contract = JSON.parse(readFileSync(path.join(dir, 'materials-contractors.json'), 'utf8')) as { interactions: { comments: { herald: { usage: unknown } } }[] };
    expect(contract.interactions[0]?.comments.herald.usage).toEqual({ payload: ['$.available', '$.stock'], headers: [], key: false });
  });

  it('writes no usage when recording is off', async () => {
    const declaration = consumer('quiet').expectsFrom('contractors').message('a ContractorUpdated event').writeTo(dir).withPayload({ available: true });
    await declaration.verify(() => undefined, { usage: false });
    await writeContracts();
    const contract = JSON.parse(readFileSync(path.join(dir, 'quiet-contractors.json'), 'utf8')) as { interactions: { comments: { herald: Record<string, unknown> } }[] };
    expect(contract.interactions[0]?.comments.herald['usage']).toBeUndefined();
  });
});

describe('unused-field warnings', () => {
  it('are computed once per test file from the union of the handlers', async () => {
    const declaration = consumer('warned').expectsFrom('contractors').message('a ContractorUpdated event').writeTo(dir).withPayload({ available: true, stock: '1', name: 'x' });
    await declaration.verify(({ payload }) => payload.available);
    await declaration.verify(({ payload }) => payload.name);
    const owner = declaration.toInteraction().herald?.owner as string;
    const warning = takeUnusedWarning(owner) ?? '';
    expect(warning).toContain(`never read`);
    expect(warning).toContain('warned → contractors "a ContractorUpdated event": $.stock');
    expect(warning).not.toContain('$.available');
    expect(takeUnusedWarning(owner)).toBeUndefined();
  });

  it('are written to stderr naming the test file, not through console.warn (jest would frame a line inside Herald)', async () => {
    const declaration = consumer('framed').expectsFrom('contractors').message('a ContractorUpdated event').writeTo(dir).withPayload({ available: true, stock: '1' });
    await declaration.verify(({ payload }) => payload.available);
    const owner = declaration.toInteraction().herald?.owner as string;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const written: string[] = [];
    try {
      flushUsageWarnings((text) => written.push(text));
    } finally {
      warn.mockRestore();
    }
    expect(warn).not.toHaveBeenCalled();
    expect(written.join('')).toContain(`Herald: declared fields the handlers in ${owner} never read:\n  framed → contractors "a ContractorUpdated event": $.stock`);
  });

  it('unusedFields() lists top-most unread paths of a stored usage', () => {
    const interaction = consumer('x')
      .expectsFrom('y')
      .message('m')
      .withPayload({ a: { b: 1, c: 2 }, d: 3 })
      .toInteraction();
    const withUsage = { ...interaction, herald: { ...interaction.herald, usage: { payload: ['$.d'], headers: [], key: false } } };
    const usage = usageOf(withUsage);
    expect(usage).toEqual({ payload: ['$.d'], headers: [], key: false });
    expect(unusedFields(withUsage, usage ?? { payload: [], headers: [], key: false })).toEqual({ payload: ['$.a'], headers: [], key: false });
    expect(usageOf({ ...interaction, herald: { usage: { payload: 'nope' } } })).toBeUndefined();
  });
});
