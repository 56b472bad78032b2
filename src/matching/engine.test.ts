import type { JsonObject, JsonValue } from '../contract/json';
import type { MessageInteraction, RuleJson, RuleList, RuleMap } from '../contract/model';
import { compileTemplate } from '../matchers/compile';
import { m } from '../matchers';
import { matchBody, matchMessage, matchMetadata } from './engine';
import type { Mismatch } from '../matchers/mismatch';

/** Rule map from `path → matchers` (AND) or full rule lists. */
function rules(spec: Record<string, readonly RuleJson[] | RuleList>): RuleMap {
  const out: Record<string, RuleList> = {};
  for (const [path, value] of Object.entries(spec)) out[path] = Array.isArray(value) ? { combine: 'AND', matchers: value } : (value as RuleList);
  return out;
}

const brief = (ms: readonly Mismatch[]): { code: string; path: string }[] => ms.map(({ code, path }) => ({ code, path }));

describe('matchBody: structure without rules', () => {
  it('passes an identical body and tolerates extra keys', () => {
    expect(matchBody({ a: 1, b: { c: 'x' } }, { b: { c: 'x', extra: true }, a: 1, more: null }, {})).toEqual([]);
  });

  it('reports a missing key at its path', () => {
    const ms = matchBody({ alligator: { name: 'Mary', age: 3 } }, { alligator: { age: 3 } }, {});
    expect(ms).toEqual([{ code: 'missing', part: 'body', path: '$.alligator.name', expected: 'Mary', actual: undefined, message: 'Expected the key "name" but it is missing' }]);
  });

  it('reports a different value and a different type', () => {
    expect(brief(matchBody({ a: 'Mary', b: 4 }, { a: 'Fred', b: '4' }, {}))).toEqual([
      { code: 'value', path: '$.a' },
      { code: 'type', path: '$.b' },
    ]);
  });

  it('requires arrays of the same length, item by item', () => {
    expect(brief(matchBody({ tags: ['a', 'b'] }, { tags: ['a'] }, {}))).toEqual([{ code: 'missing', path: '$.tags[1]' }]);
    expect(brief(matchBody({ tags: ['a', 'b'] }, { tags: ['a', 'b', 'c'] }, {}))).toEqual([{ code: 'unexpected', path: '$.tags[2]' }]);
    expect(brief(matchBody({ tags: ['a', 'b'] }, { tags: ['b', 'a'] }, {}))).toEqual([
      { code: 'value', path: '$.tags[0]' },
      { code: 'value', path: '$.tags[1]' },
    ]);
  });

  it('caps unexpected-item reports on a long array', () => {
    const ms = matchBody(
      [],
      Array.from({ length: 50 }, (_, i) => i),
      {},
    );
    expect(ms).toHaveLength(11);
    expect(ms[10]?.message).toContain('40 more unexpected item(s)');
  });

  it('quotes keys that are not identifiers in paths', () => {
    expect(brief(matchBody({ 'a b': { "it's": 1 } }, { 'a b': { "it's": 2 } }, {}))).toEqual([{ code: 'value', path: "$['a b']['it\\'s']" }]);
  });

  it('reports an object where an array was expected', () => {
    expect(brief(matchBody({ a: [1] }, { a: { 0: 1 } }, {}))).toEqual([{ code: 'type', path: '$.a' }]);
  });
});

describe('matchBody: body states', () => {
  it('passes anything when the contract expects no body', () => {
    expect(matchBody(undefined, { any: 1 }, {})).toEqual([]);
  });

  it('accepts only an empty body when the contract expects one', () => {
    expect(matchBody(null, undefined, {})).toEqual([]);
    expect(matchBody(null, null, {})).toEqual([]);
    expect(matchBody('', '', {})).toEqual([]);
    expect(brief(matchBody(null, { a: 1 }, {}))).toEqual([{ code: 'unexpected', path: '$' }]);
  });

  it('reports a missing or empty body', () => {
    expect(brief(matchBody({ a: 1 }, undefined, {}))).toEqual([{ code: 'missing', path: '$' }]);
    expect(matchBody({ a: 1 }, '', {})[0]?.message).toBe('Expected an object but got a string ("")');
  });

  it('reads "" as a JSON string, and as no text only in a text body (issue 9.19)', () => {
    const type = rules({ $: [{ match: 'type' }] });
    expect(matchBody('hello', '', type, { contentType: 'text/plain' })).toEqual([]);
    expect(matchBody('hello', '', type)).toEqual([]);
    expect(brief(matchBody('', 'x', {}))).toEqual([{ code: 'value', path: '$' }]);
    expect(brief(matchBody('', 'x', {}, { contentType: 'text/plain' }))).toEqual([{ code: 'unexpected', path: '$' }]);
  });

  it('compares text bodies as one value, with the $ rule', () => {
    const regex = rules({ $: [{ match: 'regex', regex: 'alligator named .{4}' }] });
    expect(matchBody('alligator named mary', 'alligator named fred', regex, { contentType: 'text/plain' })).toEqual([]);
    expect(brief(matchBody('alligator named mary', 'alligator named brent', regex, { contentType: 'text/plain' }))).toEqual([{ code: 'regex', path: '$' }]);
    expect(brief(matchBody('order 42', 'order 43', {}, { contentType: 'text/plain; charset=utf-8' }))).toEqual([{ code: 'value', path: '$' }]);
  });

  it('reports XML content as unsupported, never as a pass', () => {
    const ms = matchBody('<a/>', '<a/>', {}, { contentType: 'application/xml' });
    expect(brief(ms)).toEqual([{ code: 'unsupported', path: '$' }]);
    expect(ms[0]?.message).toMatch(/XML/);
  });
});

describe('matchBody: eachLike and array rules', () => {
  const eachLike = rules({
    '$.items': [{ match: 'type', min: 1 }],
    '$.items[*].qty': [{ match: 'integer' }],
    '$.items[*].sku': [{ match: 'regex', regex: '[A-Z]{3}-\\d+' }],
  });
  const expected = { items: [{ qty: 1, sku: 'ABC-1', name: 'x' }] };

  it('compares every item with the example item', () => {
    const actual = {
      items: [
        { qty: 5, sku: 'XYZ-9', name: 'other' },
        { qty: 2, sku: 'DEF-22', name: 'more' },
      ],
    };
    expect(matchBody(expected, actual, eachLike)).toEqual([]);
  });

  it('names the item and field that fail', () => {
    const actual = {
      items: [
        { qty: 1, sku: 'ABC-1', name: 'a' },
        { qty: '2', sku: 'abc', name: 'b' },
      ],
    };
    const ms = matchBody(expected, actual, eachLike);
    expect(brief(ms)).toEqual([
      { code: 'type', path: '$.items[1].qty' },
      { code: 'regex', path: '$.items[1].sku' },
    ]);
    expect(ms[0]?.rule).toEqual({ match: 'integer' });
  });

  it('cascades the array rule to item fields without their own rule (type matching)', () => {
    const ms = matchBody(expected, { items: [{ qty: 1, sku: 'ABC-1', name: 42 }] }, eachLike);
    expect(brief(ms)).toEqual([{ code: 'type', path: '$.items[0].name' }]);
  });

  it('checks min and max lengths where the rule is written', () => {
    const bounded = rules({ $: [{ match: 'type', min: 2, max: 3 }] });
    expect(brief(matchBody([1, 2], [1], bounded))).toEqual([{ code: 'length', path: '$' }]);
    expect(brief(matchBody([1, 2], [1, 2, 3, 4], bounded))).toEqual([{ code: 'length', path: '$' }]);
    expect(matchBody([1, 2], [7, 8, 9], bounded)).toEqual([]);
  });

  it('does not cascade min/max to nested arrays', () => {
    const nested = rules({ '$.rows': [{ match: 'type', min: 2 }] });
    expect(matchBody({ rows: [[1], [2]] }, { rows: [[1, 2, 3], [4]] }, nested)).toEqual([]);
  });

  it('handles eachLike inside eachLike', () => {
    const compiled = compileTemplate({ orders: m.eachLike({ id: m.uuid(), lines: m.eachLike({ qty: m.integer(1) }, { min: 1 }) }) }, 'test');
    const good = { orders: [{ id: 'e2490de5-5bd3-43d5-b7c4-526e33f71304', lines: [{ qty: 3 }, { qty: 4 }] }] };
    expect(matchBody(compiled.content, good, compiled.rules)).toEqual([]);
    const bad = { orders: [good.orders[0] as JsonValue, { id: 'nope', lines: [] }] };
    expect(brief(matchBody(compiled.content, bad, compiled.rules))).toEqual([
      { code: 'regex', path: '$.orders[1].id' },
      { code: 'length', path: '$.orders[1].lines' },
    ]);
  });

  it('verifies a wide array (10 000 items) against one eachLike template', () => {
    const actual = { items: Array.from({ length: 10_000 }, (_, i) => ({ qty: i, sku: `ABC-${i}`, name: 'n' })) };
    expect(matchBody(expected, actual, eachLike)).toEqual([]);
    // Its speed is measured against a peer by `npm run bench:hot-paths`.
  });
});

describe('matchBody: rule kinds', () => {
  it('applies a type rule at $ to the whole document', () => {
    const r = rules({ $: [{ match: 'type' }] });
    expect(matchBody({ name: 'Mary', tags: ['a'], n: 1 }, { name: 'Fred', tags: ['b', 'c'], n: 2.5, extra: 1 }, r)).toEqual([]);
    expect(brief(matchBody({ name: 'Mary' }, { name: 1 }, r))).toEqual([{ code: 'type', path: '$.name' }]);
  });

  it('matches a regex against the whole text, including the text of numbers whose example is a number', () => {
    const r = rules({ '$.code': [{ match: 'regex', regex: '\\d{3}' }] });
    expect(matchBody({ code: 200 }, { code: 404 }, r)).toEqual([]);
    expect(brief(matchBody({ code: '200' }, { code: '4040' }, r))).toEqual([{ code: 'regex', path: '$.code' }]);
    // A string example means the consumer reads a string: the number 404 is the wrong type.
    expect(brief(matchBody({ code: '200' }, { code: 404 }, r))).toEqual([{ code: 'type', path: '$.code' }]);
  });

  it('checks dates, times and datetimes against their format', () => {
    const r = rules({ '$.on': [{ match: 'date', format: 'yyyy-MM-dd' }], '$.at': [{ match: 'datetime', format: "yyyy-MM-dd'T'HH:mm:ssXXX" }], '$.t': [{ match: 'time' }] });
    const expected = { on: '2024-01-15', at: '2024-01-15T09:30:00Z', t: '09:30:00' };
    expect(matchBody(expected, { on: '2024-02-29', at: '2024-05-01T10:00:00+02:00', t: '23:59:59' }, r)).toEqual([]);
    expect(brief(matchBody(expected, { on: '2023-02-29', at: '2024-05-01 10:00', t: '24:00:00' }, r))).toEqual([
      { code: 'format', path: '$.on' },
      { code: 'format', path: '$.at' },
      { code: 'format', path: '$.t' },
    ]);
  });

  it('combines rules with AND (all must pass) and OR (one must pass)', () => {
    const and = rules({
      '$.v': [
        { match: 'regex', regex: '[a-z]+-\\d+' },
        { match: 'include', value: 'order' },
      ],
    });
    expect(matchBody({ v: 'order-1' }, { v: 'order-2' }, and)).toEqual([]);
    expect(brief(matchBody({ v: 'order-1' }, { v: 'item-2' }, and))).toEqual([{ code: 'include', path: '$.v' }]);
    expect(brief(matchBody({ v: 'order-1' }, { v: 'X' }, and))).toEqual([
      { code: 'regex', path: '$.v' },
      { code: 'include', path: '$.v' },
    ]);

    const or = rules({ '$.v': { combine: 'OR', matchers: [{ match: 'null' }, { match: 'integer' }] } });
    expect(matchBody({ v: 1 }, { v: null }, or)).toEqual([]);
    expect(matchBody({ v: 1 }, { v: 7 }, or)).toEqual([]);
    const ms = matchBody({ v: 1 }, { v: 'x' }, or);
    expect(brief(ms)).toEqual([{ code: 'null', path: '$.v' }]);
    expect(ms[0]?.message).toMatch(/No alternative matched: .*null.*; or .*integer/);
  });

  it('checks null, notEmpty, semver, number kinds and boolean', () => {
    const r = rules({
      '$.gone': [{ match: 'null' }],
      '$.name': [{ match: 'notEmpty' }],
      '$.version': [{ match: 'semver' }],
      '$.price': [{ match: 'decimal' }],
      '$.count': [{ match: 'number' }],
      '$.ok': [{ match: 'boolean' }],
    });
    const expected = { gone: null, name: 'x', version: '1.0.0', price: 1.5, count: 1, ok: true };
    expect(matchBody(expected, { gone: null, name: 'y', version: '2.10.3-rc.1', price: 9.99, count: 2.5, ok: false }, r)).toEqual([]);
    expect(brief(matchBody(expected, { gone: 0, name: '', version: '1.0', price: 10, count: '1', ok: 'yes' }, r))).toEqual([
      { code: 'null', path: '$.gone' },
      { code: 'length', path: '$.name' },
      { code: 'format', path: '$.version' },
      { code: 'type', path: '$.price' },
      { code: 'type', path: '$.count' },
      { code: 'type', path: '$.ok' },
    ]);
  });

  it('reads V2 rules that name no matcher, and Pact aliases', () => {
    const r = { '$.a': { matchers: [{ min: 1 }] }, '$.b': { matchers: [{ regex: '\\d+' }] }, '$.c': { matchers: [{ match: 'min-type', min: 2 }] } } as unknown as RuleMap;
    expect(matchBody({ a: [1], b: '1', c: [1, 2] }, { a: [5, 6], b: '22', c: [3, 4, 5] }, r)).toEqual([]);
    expect(brief(matchBody({ a: [1], b: '1', c: [1, 2] }, { a: [], b: 'x', c: [3] }, r))).toEqual([
      { code: 'length', path: '$.a' },
      { code: 'regex', path: '$.b' },
      { code: 'length', path: '$.c' },
    ]);
  });

  it('reports an unsupported matcher instead of passing it', () => {
    const ms = matchBody({ a: 1 }, { a: 1 }, rules({ '$.a': [{ match: 'statusCode' }] }));
    expect(brief(ms)).toEqual([{ code: 'unsupported', path: '$.a' }]);
    expect(ms[0]?.message).toMatch(/statusCode/);
  });

  it('reports a bad regex once, naming it and HERALD_REGEX_INVALID', () => {
    const r = rules({ $: [{ match: 'type' }], '$[*]': [{ match: 'regex', regex: '(a' }] });
    const ms = matchBody(
      ['a'],
      Array.from({ length: 100 }, () => 'a'),
      r,
    );
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ code: 'unsupported', path: '$[0]', rule: { match: 'regex', regex: '(a' } });
    expect(ms[0]?.message).toMatch(/\/\(a\/.*HERALD_REGEX_INVALID/);
  });

  it('reports a rule path it cannot parse', () => {
    const ms = matchBody({ a: 1 }, { a: 1 }, rules({ '$.a[x]': [{ match: 'type' }] }));
    expect(brief(ms)).toEqual([{ code: 'unsupported', path: '$.a[x]' }]);
  });
});

describe('matchBody: collections', () => {
  it('eachKey: every key must satisfy the key rules; example keys are not required', () => {
    const r = rules({ '$.stock': [{ match: 'eachKey', rules: [{ match: 'regex', regex: '[A-Z]{3}-\\d+' }] }], '$.stock.*': [{ match: 'integer' }] });
    const expected = { stock: { 'ABC-1': 1 } };
    expect(matchBody(expected, { stock: { 'XYZ-2': 5 } }, r)).toEqual([]);
    expect(brief(matchBody(expected, { stock: { 'XYZ-2': 5, bad: 1 } }, r))).toEqual([{ code: 'key', path: '$.stock.bad' }]);
  });

  it('eachValue: every value is checked, whatever its key', () => {
    const r = rules({ '$.counts': [{ match: 'eachValue', rules: [{ match: 'integer' }] }] });
    const expected = { counts: { a: 1 } };
    expect(matchBody(expected, { counts: { x: 1, y: 2 } }, r)).toEqual([]);
    expect(brief(matchBody(expected, { counts: { x: 1, y: 'two' } }, r))).toEqual([{ code: 'type', path: '$.counts.y' }]);
  });

  it('eachValue from the DSL checks nested fields of every entry', () => {
    const compiled = compileTemplate({ byId: m.eachValue(m.like({ qty: m.integer(1) }), ['k']) }, 'test');
    expect(matchBody(compiled.content, { byId: { a: { qty: 2 }, b: { qty: 3 } } }, compiled.rules)).toEqual([]);
    expect(brief(matchBody(compiled.content, { byId: { a: { qty: 2 }, b: { qty: 'x' } } }, compiled.rules))).toEqual([{ code: 'type', path: '$.byId.b.qty' }]);
  });

  it('values: keys are ignored and each value is compared with the example value', () => {
    const r = rules({ '$.m': [{ match: 'values' }], '$.m.*': [{ match: 'type' }] });
    const expected = { m: { k: { n: 1 } } };
    expect(matchBody(expected, { m: { a: { n: 2 }, b: { n: 3 } } }, r)).toEqual([]);
    expect(brief(matchBody(expected, { m: { a: { n: 'x' } } }, r))).toEqual([{ code: 'type', path: '$.m.a.n' }]);
  });

  it('arrayContains: each variant must be found somewhere, under its own rules', () => {
    const r = rules({
      '$.events': [
        {
          match: 'arrayContains',
          variants: [
            { index: 0, rules: { '$.id': { combine: 'AND', matchers: [{ match: 'integer' }] } } },
            { index: 1, rules: { '$.to': { combine: 'AND', matchers: [{ match: 'regex', regex: '\\+\\d+' }] } } },
          ],
        },
      ],
    });
    const expected = {
      events: [
        { type: 'email', id: 1 },
        { type: 'sms', to: '+441' },
      ],
    };
    expect(matchBody(expected, { events: [{ type: 'push' }, { type: 'sms', to: '+3312' }, { type: 'email', id: 99, extra: true }] }, r)).toEqual([]);
    const ms = matchBody(
      expected,
      {
        events: [
          { type: 'email', id: 2 },
          { type: 'sms', to: 'nope' },
        ],
      },
      r,
    );
    expect(ms).toMatchObject([{ code: 'contains', path: '$.events', expected: { type: 'sms', to: '+441' } }]);
    expect(ms[0]?.message).toMatch(/variant 1/);
  });

  it('arrayContains from the DSL', () => {
    const compiled = compileTemplate({ to: m.arrayContains({ type: 'email', to: m.string('a@b.c') }, { type: 'sms', to: m.regex(/^\+\d+$/, '+441') }) }, 'test');
    expect(
      matchBody(
        compiled.content,
        {
          to: [
            { type: 'sms', to: '+1' },
            { type: 'email', to: 'x@y' },
          ],
        },
        compiled.rules,
      ),
    ).toEqual([]);
    expect(brief(matchBody(compiled.content, { to: [{ type: 'email', to: 'x@y' }] }, compiled.rules))).toEqual([{ code: 'contains', path: '$.to' }]);
  });

  it('type min/max also bounds the number of keys of an object', () => {
    const r = rules({ '$.m': [{ match: 'type', max: 1 }] });
    expect(brief(matchBody({ m: { a: 1 } }, { m: { a: 1, b: 2 } }, r))).toEqual([{ code: 'length', path: '$.m' }]);
  });
});

describe('matchBody: depth and a typical message', () => {
  it('handles 256 levels of nesting', () => {
    let expected: JsonValue = 'leaf';
    let actual: JsonValue = 'other';
    for (let i = 0; i < 255; i += 1) {
      expected = { n: expected };
      actual = { n: actual };
    }
    const ms = matchBody(expected, actual, {});
    expect(ms).toHaveLength(1);
    expect(ms[0]?.path).toBe(`$${'.n'.repeat(255)}`);
  });

  it('verifies a typical small message with rules at every level', () => {
    const compiled = compileTemplate(
      { orderId: m.uuid(), total: m.decimal(12.5), customer: m.like({ id: 1, email: 'a@b.c' }), lines: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }) },
      'bench',
    );
    const actual = {
      orderId: 'e2490de5-5bd3-43d5-b7c4-526e33f71304',
      total: 99.5,
      customer: { id: 7, email: 'x@y.z', since: 2020 },
      lines: [
        { sku: 'XYZ-12', qty: 3 },
        { sku: 'QRS-1', qty: 1 },
      ],
    };
    // 10 000 of them are timed against a peer by `npm run bench:hot-paths`.
    expect(matchBody(compiled.content, actual, compiled.rules)).toEqual([]);
    expect(brief(matchBody(compiled.content, { ...actual, lines: [{ sku: 'xyz', qty: 1.5 }] }, compiled.rules))).toEqual([
      { code: 'regex', path: '$.lines[0].sku' },
      { code: 'type', path: '$.lines[0].qty' },
    ]);
  });
});

describe('matchMetadata', () => {
  it('requires every expected key, tolerating extra ones', () => {
    const ms = matchMetadata({ kafka_topic: 'orders', 'trace-id': 'abc' }, { kafka_topic: 'orders', other: 'x' }, {});
    expect(ms).toEqual([{ code: 'missing', part: 'metadata', path: 'trace-id', expected: 'abc', actual: undefined, message: 'Expected the metadata key "trace-id" but it is missing' }]);
  });

  it('compares values for equality, reporting by key', () => {
    expect(brief(matchMetadata({ kafka_key: 'order-1' }, { kafka_key: 'order-2' }, {}))).toEqual([{ code: 'value', path: 'kafka_key' }]);
  });

  it('applies rules keyed by plain metadata names (and $.name)', () => {
    const r = rules({ 'trace-id': [{ match: 'regex', regex: '[0-9a-f]{8}' }], '$.attempt': [{ match: 'integer' }] });
    expect(matchMetadata({ 'trace-id': 'deadbeef', attempt: 1 }, { 'trace-id': 'cafebabe', attempt: '3' }, r)).toEqual([]);
    const ms = matchMetadata({ 'trace-id': 'deadbeef', attempt: 1 }, { 'trace-id': 'nope', attempt: 'x' }, r);
    expect(ms.map(({ code, part, path }) => ({ code, part, path }))).toEqual([
      { code: 'regex', part: 'metadata', path: 'trace-id' },
      { code: 'type', part: 'metadata', path: 'attempt' },
    ]);
  });

  it('reads header text as the expected type', () => {
    expect(matchMetadata({ partition: 0, retry: true }, { partition: '0', retry: 'true' }, {})).toEqual([]);
    expect(brief(matchMetadata({ partition: 0 }, { partition: 'zero' }, {}))).toEqual([{ code: 'type', path: 'partition' }]);
  });

  it('compares content types by media type and expected parameters', () => {
    expect(matchMetadata({ contentType: 'application/json' }, { contentType: 'application/json; charset=UTF-8' }, {})).toEqual([]);
    expect(brief(matchMetadata({ contentType: 'application/json' }, { contentType: 'text/plain' }, {}))).toEqual([{ code: 'content-type', path: 'contentType' }]);
  });
});

describe('matchMessage', () => {
  const interaction = (content: JsonValue, metadata: JsonObject, body: RuleMap = {}): MessageInteraction => ({
    description: 'an order created event',
    providerStates: [],
    contents: { content, contentType: 'application/json', encoded: false },
    metadata,
    matchingRules: { body, metadata: {} },
    generators: { body: {}, metadata: {} },
    pending: false,
  });

  it('returns body and metadata mismatches together', () => {
    const i = interaction({ id: 1 }, { contentType: 'application/json', kafka_topic: 'orders' }, rules({ '$.id': [{ match: 'integer' }] }));
    expect(matchMessage(i, { content: { id: 2 }, contentType: 'application/json', metadata: { kafka_topic: 'orders' } })).toEqual([]);
    const ms = matchMessage(i, { content: { id: 'x' }, contentType: 'application/json', metadata: { kafka_topic: 'payments' } });
    expect(ms.map(({ code, part, path }) => ({ code, part, path }))).toEqual([
      { code: 'type', part: 'body', path: '$.id' },
      { code: 'value', part: 'metadata', path: 'kafka_topic' },
    ]);
  });

  it('reports a body of another content type without comparing it', () => {
    const ms = matchMessage(interaction({ id: 1 }, {}), { content: 'id=1', contentType: 'text/plain', metadata: {} });
    expect(brief(ms)).toEqual([{ code: 'content-type', path: '$' }]);
  });
});
