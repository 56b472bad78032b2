import { runInNewContext } from 'node:vm';
import { isHeraldError, type HeraldError } from '../errors/herald-error';
import { assertSafeJson, locateSyntaxError, MAX_JSON_DEPTH, parseJsonText } from './safe-json';

function thrown(fn: () => unknown): HeraldError {
  try {
    fn();
  } catch (error) {
    if (isHeraldError(error)) return error;
    throw error;
  }
  throw new Error('expected a HeraldError');
}

const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseJsonText', () => {
  it('parses valid JSON and ignores a byte-order mark', () => {
    expect(parseJsonText('\ufeff{"a": [1, "x", null]}', 'a.json')).toEqual({ a: [1, 'x', null] });
  });

  it('names file, line and column of a trailing comma, and how to fix it', () => {
    const error = thrown(() => parseJsonText('{\n  "a": 1,\n  "b": 2,\n}', 'pacts/x.json'));
    expect(error.code).toBe('HERALD_CONTRACT_JSON');
    expect(error.contractFile).toBe('pacts/x.json');
    expect(error.message).toContain('pacts/x.json:4:1');
    expect(error.message).toContain('trailing comma');
    expect(error.message).toContain('Fix the JSON at line 4, column 1');
  });

  it.each([
    ['{"a": 1', 'unexpected end of input', '1:8'],
    ['{"a": "x\n"}', 'control character', '1:9'],
    ["{'a': 1}", 'double quotes', '1:2'],
    ['[1, 2] x', 'after the end of the JSON value', '1:8'],
    ['{"a" 1}', "expected ':'", '1:6'],
    ['[01]', "expected ',' or ']'", '1:3'],
    ['[tru]', 'expected a value', '1:2'],
    ['', 'unexpected end of input', '1:1'],
  ])('locates the syntax error in %j', (text, reason, position) => {
    const error = thrown(() => parseJsonText(text, 'f.json'));
    expect(error.code).toBe('HERALD_CONTRACT_JSON');
    expect(error.message).toContain(`f.json:${position}`);
    expect(error.message).toContain(reason);
  });

  it('finds no error where JSON.parse finds none', () => {
    for (const text of ['0', '-1.5e+10', '"\\u00e9\\n\\"\\\\"', '{"a":{"b":[true,false,null,{}]}}', ' [ ] ', nestedArrays(10_000)]) {
      expect(() => JSON.parse(text) as unknown).not.toThrow();
      expect(locateSyntaxError(text)).toBeUndefined();
    }
  });

  it('parses 10 000 levels of nesting without overflowing the stack (V8 parses iteratively)', () => {
    // Depth is then refused by assertSafeJson; the parser itself must not throw a RangeError.
    expect(Array.isArray(parseJsonText(nestedArrays(10_000), 'deep.json'))).toBe(true);
  });
});

describe('assertSafeJson', () => {
  it('accepts plain JSON, null-prototype objects and objects from another realm', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare['a'] = 1;
    expect(() => assertSafeJson({ a: [1, 'x', true, null, { b: bare }] })).not.toThrow();
    expect(() => assertSafeJson(runInNewContext('({ a: [1, { b: 2 }] })'))).not.toThrow();
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(() => assertSafeJson(JSON.parse(nestedArrays(MAX_JSON_DEPTH)))).not.toThrow();
    const error = thrown(() => assertSafeJson(JSON.parse(nestedArrays(MAX_JSON_DEPTH + 1))));
    expect(error.code).toBe('HERALD_PAYLOAD_TOO_DEEP');
    expect(error.pointer).toBe('/0'.repeat(MAX_JSON_DEPTH));
  });

  it('refuses 10 000 levels of nesting with a coded error, not a stack overflow', () => {
    const deepObject = JSON.parse(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`) as unknown;
    const error = thrown(() => assertSafeJson(deepObject, { file: 'deep.json', interaction: 'a deep event', pointer: '/contents/content' }));
    expect(error.code).toBe('HERALD_PAYLOAD_TOO_DEEP');
    expect(error.pointer).toBe(`/contents/content${'/a'.repeat(MAX_JSON_DEPTH)}`);
    expect(error.contractFile).toBe('deep.json');
    expect(error.interaction).toBe('a deep event');
    expect(error.message).toContain('interaction "a deep event" of contract file deep.json');
    expect(error.message).toContain('Flatten the payload');
    expect(error.message.length).toBeLessThan(600);
  });

  it('honours maxDepth', () => {
    expect(thrown(() => assertSafeJson([[1]], {}, { maxDepth: 1 })).pointer).toBe('/0');
  });

  it('refuses an own "__proto__" key created by JSON.parse, with its pointer', () => {
    const value = JSON.parse('{"order": {"lines": [{"__proto__": {"admin": true}}]}}') as unknown;
    const error = thrown(() => assertSafeJson(value, { file: 'x.json' }));
    expect(error.code).toBe('HERALD_UNSAFE_KEY');
    expect(error.pointer).toBe('/order/lines/0/__proto__');
    expect(error.message).toContain('x.json');
    expect(error.message).toContain('Rename the key');
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it.each(['constructor', 'prototype'])('refuses the key "%s" and escapes pointer segments', (key) => {
    const error = thrown(() => assertSafeJson({ 'a/b': { '~c': { [key]: 1 } } }));
    expect(error.code).toBe('HERALD_UNSAFE_KEY');
    expect(error.pointer).toBe(`/a~1b/~0c/${key}`);
  });

  class Money {
    constructor(readonly amount: number) {}
  }

  it.each<[string, unknown, string]>([
    ['a function', { f: () => 1 }, 'function'],
    ['undefined', { u: undefined }, 'undefined'],
    ['an array hole', [1, , 3], 'undefined'], // eslint-disable-line no-sparse-arrays
    ['NaN', { n: Number.NaN }, 'NaN'],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, 'Infinity'],
    ['a bigint', { n: 1n }, 'bigint'],
    ['a symbol', { s: Symbol('s') }, 'symbol'],
    ['a Date', { d: new Date(0) }, 'toISOString'],
    ['a Map', { m: new Map() }, 'Map'],
    ['a class instance', { m: new Money(1) }, 'Money'],
    ['a Buffer', { b: Buffer.from('x') }, 'base64'],
  ])('refuses %s with HERALD_NOT_JSON', (_name, value, mention) => {
    const error = thrown(() => assertSafeJson(value, { interaction: 'an order created event' }));
    expect(error.code).toBe('HERALD_NOT_JSON');
    expect(error.pointer).toMatch(/^\/[a-z0-9]$/);
    expect(error.message).toContain(mention);
    expect(error.message).toContain('interaction "an order created event"');
  });

  it('refuses a non-JSON root value', () => {
    expect(thrown(() => assertSafeJson(undefined)).message).toContain('at the root');
  });

  it('reports a circular reference where it starts', () => {
    const order: Record<string, unknown> = { id: 1 };
    order['self'] = { back: order };
    const error = thrown(() => assertSafeJson({ order }));
    expect(error.code).toBe('HERALD_NOT_JSON');
    expect(error.message).toContain('circular');
    expect(error.pointer).toBe('/order/self/back');
  });

  it('asks interactionAt for the interaction of a failing pointer', () => {
    const error = thrown(() =>
      assertSafeJson({ interactions: [{ a: 1 }, { constructor: 1 }] }, { file: 'f.json' }, { interactionAt: (p) => (p.startsWith('/interactions/1') ? 'second' : undefined) }),
    );
    expect(error.interaction).toBe('second');
    expect(error.message).toContain('interaction "second" of contract file f.json');
  });

  it('accepts a large payload (50 000 items)', () => {
    const payload = { items: Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) };
    // Its speed is measured against JSON.stringify by `npm run bench:hot-paths`.
    expect(() => assertSafeJson(payload)).not.toThrow();
  });
});
