import { consumer, kafkaTopic, m } from '../index';
import { hasErrorCode } from '../errors/herald-error';
import { interactionJson } from '../contract/serialize';
import { compileTemplate, leafRules } from '../matchers/compile';
import { matcherNode, type Template } from '../matchers/node';
import { hasShape, shapeOf } from './shape';

const pair = consumer('shape-consumer').expectsFrom('shape-provider');

const order = (i: number): Template => ({
  orderId: m.uuid(),
  customerId: m.string(`cust-${i}`),
  total: m.decimal(12.5 + i),
  items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, `ABC-${i}`), qty: m.integer(i + 1) }, { min: 1 }),
  address: m.like({ city: i % 2 === 0 ? 'Leeds' : 'York', postcode: 'LS1 4AP' }),
  tags: ['a', `t${i}`],
  note: null,
});

const declare = (description: string, payload: Template, header: Template = m.regex(/^[0-9a-f]{4}$/, 'beef')) =>
  pair.message(description).on(kafkaTopic('orders.v1')).withKey(m.uuid()).withHeaders({ 'trace-id': header, source: 'web' }).withPayload(payload);

describe('template shapes', () => {
  it('gives templates differing only in example values the same shape', () => {
    const shape = shapeOf(order(1));
    expect(shape).toBeDefined();
    expect(hasShape(order(2), shape!)).toBe(true);
  });

  it('tells apart key order, array lengths, value kinds and matcher options', () => {
    const shape = shapeOf({ a: 1, b: 'x', c: [1, 2], d: m.integer(1), e: m.eachLike({ q: 1 }, { min: 1 }) })!;
    expect(hasShape({ b: 'x', a: 1, c: [1, 2], d: m.integer(1), e: m.eachLike({ q: 1 }, { min: 1 }) }, shape)).toBe(false);
    expect(hasShape({ a: 1, b: 'x', c: [1], d: m.integer(1), e: m.eachLike({ q: 1 }, { min: 1 }) }, shape)).toBe(false);
    expect(hasShape({ a: '1', b: 'x', c: [1, 2], d: m.integer(1), e: m.eachLike({ q: 1 }, { min: 1 }) }, shape)).toBe(false);
    expect(hasShape({ a: 1, b: 'x', c: [1, 2], d: m.decimal(1.5), e: m.eachLike({ q: 1 }, { min: 1 }) }, shape)).toBe(false);
    expect(hasShape({ a: 1, b: 'x', c: [1, 2], d: m.integer(1), e: m.eachLike({ q: 1 }, { min: 2 }) }, shape)).toBe(false);
    expect(hasShape({ a: 1, b: 'x', c: [1, 2], d: m.integer(1), e: m.eachLike({ q: { r: 1 } }, { min: 1 }) }, shape)).toBe(false);
    expect(hasShape({ a: 1, b: 'x', c: [1, 2], d: m.integer(1), e: m.eachLike({ q: 1 }, { min: 1 }), f: 1 }, shape)).toBe(false);
  });

  it('tells apart regexes and generators', () => {
    const shape = shapeOf({ id: m.regex(/^a+$/, 'aa'), at: m.datetime() })!;
    expect(hasShape({ id: m.regex(/^a+$/, 'aaa'), at: m.datetime() }, shape)).toBe(true);
    expect(hasShape({ id: m.regex(/^b+$/, 'bb'), at: m.datetime() }, shape)).toBe(false);
    expect(hasShape({ id: m.regex(/^a+$/, 'aa'), at: m.datetime("yyyy-MM-dd'T'HH:mm:ss") }, shape)).toBe(false);
  });

  it('gives no shape to what the compiler must see itself, and never matches it', () => {
    const shape = shapeOf({ n: 1 })!;
    expect(shapeOf({ n: Number.NaN })).toBeUndefined();
    expect(hasShape({ n: Number.NaN }, shape)).toBe(false);
    expect(hasShape({ n: Number.POSITIVE_INFINITY }, shape)).toBe(false);
    expect(shapeOf({ at: new Date() } as unknown as Template)).toBeUndefined();
    expect(hasShape({ n: new Date() } as unknown as Template, shape)).toBe(false);
    expect(shapeOf({ n: undefined } as unknown as Template)).toBeUndefined();
    expect(shapeOf(m.arrayContains([{ a: 1 }]))).toBeUndefined();
    const malformed = { a: { ...m.like({ q: 1 }), array: {} } } as unknown as Template;
    expect(shapeOf(malformed)).toBeUndefined();
    expect(hasShape(malformed, shapeOf({ a: m.like({ q: 1 }) })!)).toBe(false);
  });
});

describe('declarations of one shape', () => {
  it('write what each would compile to on its own', () => {
    for (let i = 0; i < 3; i++) {
      const payload = order(i);
      const header = m.regex(/^[0-9a-f]{4}$/, ['beef', 'cafe', 'f00d'][i] ?? 'beef');
      const interaction = declare(`an order #${i}`, payload, header).toInteraction();
      const body = compileTemplate(payload, 'the payload');
      expect(interaction.contents.content).toEqual(body.content);
      expect(interaction.matchingRules.body).toEqual(body.rules);
      expect(Object.keys(interaction.generators.body)).toEqual(body.generators.map((g) => g.path));
      expect(interaction.metadata['trace-id']).toBe(leafRules(header).value);
      expect(interaction.matchingRules.metadata['trace-id']).toEqual(leafRules(header).rules);
    }
  });

  it('reuse the rules compiled for the first one', () => {
    const first = declare('a reused order #1', order(1)).toInteraction();
    const second = declare('a reused order #2', order(2)).toInteraction();
    const third = declare('a reused order #3', order(3)).toInteraction();
    expect(third.matchingRules.body).toBe(second.matchingRules.body);
    expect(interactionJson(second).matchingRules).toEqual(interactionJson(first).matchingRules);
  });

  it('are not changed by later edits to the first declaration’s matcher objects', () => {
    // Built by hand: m.regex() may share its rule objects between calls.
    const rule: { match: string; regex: string } = { match: 'regex', regex: '^a+$' };
    const id = matcherNode<string>([rule], 'aa');
    declare('an edited matcher #1', { id }).toInteraction();
    // A regex the next example also satisfies: the engine's own rule cache is not under test here.
    rule.regex = '^[ab]+$';
    const next = declare('an edited matcher #2', { id: matcherNode<string>([{ match: 'regex', regex: '^a+$' }], 'aaa') }).toInteraction();
    expect(next.matchingRules.body['$.id']).toEqual({ combine: 'AND', matchers: [{ match: 'regex', regex: '^a+$' }] });
  });

  it('still check each example against the rules', () => {
    // Built by hand: m.regex() refuses an example that fails its regex.
    const digits = (example: string) => matcherNode<string>([{ match: 'regex', regex: '^\\d+$' }], example);
    declare('a checked example #1', { id: digits('1') }).toInteraction();
    let error: unknown;
    try {
      declare('a checked example #2', { id: digits('x') }).toInteraction();
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_DSL_INVALID')).toBe(true);
    expect(String(error)).toContain('does not satisfy its own matchers');
  });

  it('still reject a non-JSON number in a later example', () => {
    declare('a number #1', { n: 1 }).toInteraction();
    let error: unknown;
    try {
      declare('a number #2', { n: Number.NaN }).toInteraction();
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_MATCHER_INVALID')).toBe(true);
  });
});
