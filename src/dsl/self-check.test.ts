import fc from 'fast-check';
import { consumer, m } from '../index';
import type { JsonValue } from '../contract/json';
import type { MessageInteraction, RuleMap } from '../contract/model';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import { sealRuleMap } from '../contract/sealed';
import type { PathSegment } from '../contract/path';
import { matchMessage } from '../matching/engine';
import type { Template } from '../matchers/node';
import { passesAsChecked, rememberChecked } from './self-check';

const pair = consumer('self-check-consumer').expectsFrom('self-check-provider');

/** Every structural kind, cascading `type` rules, min/max, an OR list and plain values. */
const structural: Template = {
  id: m.uuid(),
  name: m.string('n'),
  sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'),
  qty: m.integer(1),
  price: m.decimal(1.5),
  amount: m.number(2),
  ok: m.boolean(true),
  at: m.datetime(),
  day: m.date(),
  clock: m.time(),
  text: m.includes('ab', 'xaby'),
  exact: m.equal('E'),
  full: m.notEmpty('x'),
  either: m.or(m.integer(1), m.regex(/^x+$/, 'x')),
  items: m.eachLike({ q: m.integer(1), tag: 'a', tags: m.notEmpty(['t']) }, { min: 2 }),
  addr: m.like({ city: 'Leeds', zip: 1, geo: [1.5, 2.5] }),
  exactList: m.equal([1, 'two']),
  plain: { a: 'x', b: [1, 2], c: null },
};

/** Values a leaf may take in a later example: passing and failing ones, of every JSON type. */
const VALUES: readonly JsonValue[] = [
  'ABC-1',
  'ABC-',
  'abc',
  '',
  'x',
  'xx',
  'xaby',
  'E',
  'Leeds',
  'n',
  '2024-01-15T09:30:00.000Z',
  '2024-13-15T09:30:00.000Z',
  '2024-01-15',
  '09:30:00',
  'e2490de5-5bd3-43d5-b7c4-526e33f71304',
  'lone \ud800',
  1,
  2,
  0,
  -0,
  1.5,
  1e21,
  -7,
  true,
  false,
  null,
];
const CONTAINERS: readonly JsonValue[] = [{}, [], [1], { a: 1 }];

function leafPaths(value: JsonValue, at: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  if (Array.isArray(value)) value.forEach((item, i) => leafPaths(item, [...at, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) leafPaths(item, [...at, key], out);
  else out.push(at);
  return out;
}

function withLeaf(content: JsonValue, path: readonly PathSegment[], value: JsonValue): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(content)) return content.map((item, i) => (i === head ? withLeaf(item, rest, value) : item));
  const record = content as Record<string, JsonValue>;
  return Object.fromEntries(Object.keys(record).map((key) => [key, key === head ? withLeaf(record[key] as JsonValue, rest, value) : record[key]])) as JsonValue;
}

const withContent = (interaction: MessageInteraction, content: JsonValue): MessageInteraction => ({ ...interaction, contents: { ...interaction.contents, content } });
const fullCheck = (interaction: MessageInteraction) =>
  matchMessage(interaction, { content: interaction.contents.content, contentType: interaction.contents.contentType, metadata: interaction.metadata });

/** A shape's checked example: the parts object stands for the shape. */
function checkedShape(template: Template, description: string): { parts: object; first: MessageInteraction } {
  const declared = pair.message(description).withPayload(template).toInteraction();
  // As every reused declaration of a shape has them (shape.ts): sealed rule maps.
  const { body, metadata } = declared.matchingRules;
  const first = { ...declared, matchingRules: { body: sealRuleMap(structuredClone(body)), metadata: sealRuleMap(structuredClone(metadata)) } };
  expect(fullCheck(first)).toEqual([]);
  const parts = {};
  rememberChecked(parts, first);
  return { parts, first };
}

describe('the self-check of a reused shape by its changed leaves', () => {
  it('passes exactly when the full check passes, for any change of leaf values', () => {
    const { parts, first } = checkedShape(structural, 'structural kinds');
    const content = first.contents.content as JsonValue;
    const paths = leafPaths(content);
    const change = fc.record({ path: fc.constantFrom(...paths), value: fc.constantFrom(...VALUES) });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (changes) => {
        const next = withContent(
          first,
          changes.reduce((c, { path, value }) => withLeaf(c, path, value), content),
        );
        expect(passesAsChecked(parts, next)).toBe(fullCheck(next).length === 0);
      }),
      { numRuns: 400 },
    );
  });

  it('never passes when the structure changed, and the full check decides', () => {
    const { parts, first } = checkedShape(structural, 'structural kinds, new structure');
    const content = first.contents.content as JsonValue;
    const change = fc.record({ path: fc.constantFrom(...leafPaths(content)), value: fc.constantFrom(...CONTAINERS) });
    fc.assert(
      fc.property(change, ({ path, value }) => {
        expect(passesAsChecked(parts, withContent(first, withLeaf(content, path, value)))).toBe(false);
      }),
      { numRuns: 100 },
    );
    const { plain: _plain, ...fewer } = content as Record<string, JsonValue>;
    expect(passesAsChecked(parts, withContent(first, fewer))).toBe(false);
    const reordered = Object.fromEntries(Object.entries(content as Record<string, JsonValue>).reverse());
    expect(passesAsChecked(parts, withContent(first, reordered))).toBe(false);
    expect(passesAsChecked(parts, withContent(first, { ...(content as Record<string, JsonValue>), extra: 1 }))).toBe(false);
  });

  it('leaves rules that read keys or items through them to the full check', () => {
    for (const [name, template] of [
      ['eachKey', { stock: m.eachKey(m.regex(/^[A-Z]+$/, 'ABC'), { ABC: 1 }) }],
      ['values', { stock: m.values({ a: 1 }) }],
      ['eachValue', { stock: m.eachValue(m.integer(1), ['a']) }],
      ['semver', { v: m.semver('1.2.3') }],
    ] as const) {
      const { parts, first } = checkedShape(template, `non-structural ${name}`);
      expect(passesAsChecked(parts, first)).toBe(false);
    }
  });

  it('leaves changed metadata, other rules and unknown shapes to the full check', () => {
    const { parts, first } = checkedShape(structural, 'structural kinds, metadata');
    expect(passesAsChecked(parts, first)).toBe(true);
    expect(passesAsChecked({}, first)).toBe(false);
    expect(passesAsChecked(parts, { ...first, metadata: { ...first.metadata, extra: 'x' } })).toBe(false);
    expect(passesAsChecked(parts, { ...first, matchingRules: { ...first.matchingRules, body: { ...first.matchingRules.body } } })).toBe(false);
    expect(passesAsChecked(parts, { ...first, contents: { ...first.contents, contentType: 'text/plain' } })).toBe(false);
  });

  it("remembers only sealed rule maps, which cannot change: a caller's own maps are left to the full check", () => {
    const declared = pair.message('structural kinds, own rules').withPayload(structural).toInteraction();
    const own = { ...declared, matchingRules: structuredClone(declared.matchingRules) };
    const parts = {};
    rememberChecked(parts, own);
    expect(passesAsChecked(parts, own)).toBe(false);
    const { parts: sealedParts, first } = checkedShape(structural, 'structural kinds, sealed rules');
    expect(passesAsChecked(sealedParts, first)).toBe(true);
    expect(() => {
      (first.matchingRules.body as Record<string, RuleMap[string]>)['$.name'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^zzz$' }] };
    }).toThrow(TypeError);
  });

  it('leaves numbers read with their written literal to the full check', () => {
    // 2.0 as written is a decimal (Pact reads the text), though the number is the integer 2.
    const { parts, first } = checkedShape({ qty: m.integer(1) }, 'a number literal');
    const written = parseJsonKeepingNumbers('{"qty": 2.0}');
    expect(fullCheck(withContent(first, written)).length).toBeGreaterThan(0);
    expect(passesAsChecked(parts, withContent(first, written))).toBe(false);
  });

  it('leaves a polluted Object.prototype to the full check (the walk reads keys with for…in)', () => {
    const { parts, first } = checkedShape({ a: m.string('x') }, 'a polluted prototype');
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true });
    try {
      expect(fullCheck(first).length).toBeGreaterThan(0);
      expect(passesAsChecked(parts, first)).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
  });

  it('reports a later failing example of a reused shape as the full check does', () => {
    const declare = (i: number, sku: string) => pair.message(`order #${i}`).withPayload({ n: m.string(`n${i}`), items: m.eachLike({ sku: { ...m.regex(/^[A-Z]+$/, 'A'), example: sku } }) });
    for (let i = 0; i < 3; i++) expect(() => declare(i, 'ABC').toInteraction()).not.toThrow();
    const bad = declare(3, 'abc');
    const expected = fullCheck(withContent(declare(4, 'ABC').toInteraction(), { n: 'n3', items: [{ sku: 'abc' }] }));
    expect(expected.map((p) => p.path)).toEqual(['$.items[0].sku']);
    expect(() => bad.toInteraction()).toThrow(/does not satisfy its own matchers[\s\S]*\$\.items\[0\]\.sku/);
  });
});

describe("a reused shape's rule maps", () => {
  it('are frozen: a change made through one declaration cannot reach the next one of the shape', () => {
    const declare = (i: number) => pair.message(`sealed #${i}`).withPayload({ sku: m.regex(/^[A-Z]+$/, `SKU${'A'.repeat(i)}`) });
    declare(0).toInteraction();
    const second = declare(1).toInteraction();
    const rule = second.matchingRules.body['$.sku']?.matchers[0] as Record<string, unknown>;
    expect(() => {
      rule['regex'] = '^.*$';
    }).toThrow(TypeError);
    expect(() =>
      pair
        .message('sealed #bad')
        .withPayload({ sku: { ...m.regex(/^[A-Z]+$/, 'SKU'), example: 'lower' } })
        .toInteraction(),
    ).toThrow(/does not satisfy its own matchers/);
  });
});
