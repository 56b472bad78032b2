/**
 * Fuzz suite for contract files (fast-check, fixed seeds so CI is reproducible, bounded to seconds):
 * - what Herald writes, it reads back as the same model (serializer → file → reader);
 * - rule paths written by the DSL name the keys they were written for (path grammar round trip);
 * - the reader, on hostile or mutated files, throws only Herald errors, stays fast, and never
 *   touches Object.prototype.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonObject, JsonValue } from '../../src/contract/json';
import { decodeContractBytes } from '../../src/contract/json-text';
import type { Contract, MessageInteraction, RuleJson, RuleList } from '../../src/contract/model';
import { parseContract } from '../../src/contract/reader';
import { parseJsonText } from '../../src/contract/safe-json';
import { identityOf, interactionKey, serializeContract } from '../../src/contract/serialize';
import { readExisting, writePair } from '../../src/contract/store';
import { isHeraldError } from '../../src/errors/herald-error';
import { compileTemplate } from '../../src/matchers/compile';
import { m } from '../../src/matchers';
import { matchBody, selectRule } from '../../src/matching/engine';
import { formatPath, formatTokens, parsePath, type PathSegment, type PathToken } from '../../src/contract/path';

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Keys weighted towards the characters contract grammars give meaning to. */
const key = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom("'", '\\', '.', '[', ']', '*', '$', ' ', '"', '/', '~', 'a', 'B', '0', '-', '_', 'é', '😀', '\u0000') }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  )
  .filter((k) => !UNSAFE.has(k));

const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const jsonObject = fc.dictionary(key, jsonValue, { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;

const ruleToken: fc.Arbitrary<PathToken> = fc.oneof(
  key.map((name): PathToken => ({ kind: 'field', name })),
  fc.nat({ max: 50 }).map((index): PathToken => ({ kind: 'index', index })),
  fc.constant<PathToken>({ kind: 'star' }),
  fc.constant<PathToken>({ kind: 'starIndex' }),
);
const rulePath = fc.array(ruleToken, { maxLength: 4 }).map((t) => formatTokens([{ kind: 'root' }, ...t]));

const matcher: fc.Arbitrary<RuleJson> = fc.oneof(
  fc.constant<RuleJson>({ match: 'type' }),
  fc.constant<RuleJson>({ match: 'integer' }),
  fc.constantFrom('^\\d+$', '^[a-z]*$', 'x|y').map((regex): RuleJson => ({ match: 'regex', regex })),
  fc.record({ match: fc.constant('type'), min: fc.nat(3) }) as fc.Arbitrary<RuleJson>,
  // The V2 shape, as pact files still carry it.
  fc.constantFrom({ regex: '^a$' }, { min: 1 }) as unknown as fc.Arbitrary<RuleJson>,
);
const ruleList: fc.Arbitrary<RuleList> = fc.record({ combine: fc.constantFrom<'AND' | 'OR'>('AND', 'OR'), matchers: fc.array(matcher, { minLength: 1, maxLength: 3 }) });

const contents = fc.oneof(
  fc.record({ content: fc.option(jsonValue, { nil: undefined }), contentType: fc.constantFrom('application/json', 'application/vnd.x+json; charset=utf-8'), encoded: fc.constant<false>(false) }),
  fc.record({ content: fc.string({ unit: 'grapheme' }), contentType: fc.constantFrom('text/plain', 'application/xml'), encoded: fc.constant<false>(false) }),
  fc.record({ content: fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64')), contentType: fc.constant('application/octet-stream'), encoded: fc.constant('base64') }),
);

const interaction: fc.Arbitrary<MessageInteraction> = fc
  .record({
    description: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((d) => d.trim() !== ''),
    providerStates: fc.array(fc.record({ name: fc.string({ maxLength: 8 }), params: fc.option(jsonObject, { nil: undefined }) }, { requiredKeys: ['name'] }), { maxLength: 2 }),
    contents,
    headers: fc.dictionary(
      key.filter((k) => k !== '' && !/^(contentType|content-type|kafka_|amqp_|herald_)/i.test(k)),
      fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
      { maxKeys: 3 },
    ),
    bodyRules: fc.dictionary(rulePath, ruleList, { maxKeys: 3 }),
    pending: fc.boolean(),
    topic: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
  })
  .map(({ description, providerStates, contents: c, headers, bodyRules, pending, topic }): MessageInteraction => {
    const states = providerStates.map((s) => (s.params === undefined ? { name: s.name } : { name: s.name, params: s.params }));
    const metadataRules: Record<string, RuleList> = {};
    for (const name of Object.keys(headers).slice(0, 1)) metadataRules[name] = { combine: 'AND', matchers: [{ match: 'type' }] };
    return {
      description,
      providerStates: states,
      contents: c,
      metadata: { contentType: c.contentType, ...headers, ...(topic === undefined ? {} : { kafka_topic: topic }) },
      matchingRules: { body: bodyRules, metadata: metadataRules },
      generators: { body: {}, metadata: {} },
      pending,
      key: interactionKey(description, states),
      herald: { owner: 'test/orders.test.ts', ...(topic === undefined ? {} : { channel: { transport: 'kafka', topic } }) },
    };
  });

const contract = fc
  .uniqueArray(interaction, { selector: (i) => identityOf(i.description, i.providerStates), maxLength: 4 })
  .map((interactions): Contract => ({ consumer: 'billing', provider: 'orders', specVersion: '4.0', metadata: {}, interactions }));

const byIdentity = (c: Contract): Map<string, MessageInteraction> => new Map(c.interactions.map((i) => [identityOf(i.description, i.providerStates), i]));

const read = (text: string, file = 'fuzz.json'): Contract => parseContract(parseJsonText(decodeContractBytes(Buffer.from(text, 'utf8'), file), file), file);

describe('writer → reader round trip', () => {
  it('reads back what it wrote as the same model, and writes it again byte for byte', () => {
    fc.assert(
      fc.property(contract, (c) => {
        const text = serializeContract(c);
        const back = read(text);
        expect(back.consumer).toBe(c.consumer);
        expect(back.provider).toBe(c.provider);
        const expected = byIdentity(c);
        const actual = byIdentity(back);
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [id, i] of expected) expect(actual.get(id)).toEqual(i);
        expect(serializeContract(back)).toBe(text);
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('merges through the store (lock, atomic write) and reads the same model back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-fuzz-'));
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(contract, async (c) => {
          const file = path.join(dir, `pair-${(n += 1)}.json`);
          await writePair({ file, consumer: c.consumer, provider: c.provider, owner: 'test/orders.test.ts', declared: c.interactions.map((i) => ({ interaction: i, passed: true })), mode: 'merge' });
          if (c.interactions.length === 0) return;
          const back = await readExisting(file);
          expect(back === undefined ? undefined : byIdentity(back)).toEqual(byIdentity(c));
          expect(readFileSync(file, 'utf8')).toBe(serializeContract(c));
        }),
        { seed: 61, numRuns: 40 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DSL rule paths name the keys they were written for', () => {
  // A payload with arbitrary keys, an integer matcher at each leaf.
  const payload = fc.dictionary(key, fc.oneof(fc.integer(), fc.dictionary(key, fc.integer(), { minKeys: 1, maxKeys: 3 })), { minKeys: 1, maxKeys: 4 });

  it('selects each leaf rule for its own concrete path after a write and a read', () => {
    fc.assert(
      fc.property(payload, (example) => {
        const leaves: PathSegment[][] = [];
        const template: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(example)) {
          if (typeof v === 'number') {
            template[k] = m.integer(v);
            leaves.push([k]);
          } else {
            template[k] = Object.fromEntries(Object.entries(v).map(([k2, n]) => [k2, m.integer(n)]));
            for (const k2 of Object.keys(v)) leaves.push([k, k2]);
          }
        }
        const compiled = compileTemplate(template as never, 'fuzz');
        const i: MessageInteraction = {
          description: 'd',
          providerStates: [],
          contents: { content: compiled.content, contentType: 'application/json', encoded: false },
          metadata: { contentType: 'application/json' },
          matchingRules: { body: compiled.rules, metadata: {} },
          generators: { body: {}, metadata: {} },
          pending: false,
        };
        const back = read(serializeContract({ consumer: 'c', provider: 'p', specVersion: '4.0', metadata: {}, interactions: [i] })).interactions[0] as MessageInteraction;
        for (const leaf of leaves) expect(selectRule(back.matchingRules.body, leaf)).toEqual({ path: formatPath(leaf), cascaded: false });
        // A string where the contract says integer fails at every leaf: no rule silently lost.
        const broken = JSON.parse(JSON.stringify(compiled.content)) as Record<string, JsonValue>;
        const [first] = leaves;
        if (first !== undefined) {
          if (first.length === 1) broken[first[0] as string] = 'x';
          else (broken[first[0] as string] as Record<string, JsonValue>)[first[1] as string] = 'x';
          expect(matchBody(back.contents.content, broken, back.matchingRules.body).map((mm) => mm.path)).toContain(formatPath(first));
        }
      }),
      { seed: 107, numRuns: 200 },
    );
  });

  it('parses every path it formats, and never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(key, fc.nat()), { maxLength: 5 }), fc.string({ unit: 'grapheme' }), (segments, junk) => {
        const parsed = parsePath(formatPath(segments));
        expect(parsed.ok).toBe(true);
        expect(() => parsePath(junk)).not.toThrow();
      }),
      { seed: 108, numRuns: 500 },
    );
  });
});

describe('the reader on hostile files', () => {
  const base = serializeContract({
    consumer: 'billing',
    provider: 'orders',
    specVersion: '4.0',
    metadata: {},
    interactions: [
      {
        description: 'an order created event',
        providerStates: [{ name: 'an order', params: { id: 1 } }],
        contents: { content: { orderId: 42, items: [{ sku: 'A-1', qty: 2 }] }, contentType: 'application/json', encoded: false },
        metadata: { contentType: 'application/json', kafka_topic: 'orders' },
        matchingRules: {
          body: { '$.orderId': { combine: 'AND', matchers: [{ match: 'integer' }] }, '$.items[*].sku': { combine: 'AND', matchers: [{ match: 'regex', regex: '^[A-Z]-\\d+$' }] } },
          metadata: {},
        },
        generators: { body: {}, metadata: {} },
        pending: false,
        herald: { channel: { transport: 'kafka', topic: 'orders' } },
      },
    ],
  });

  const hostileTokens = [
    '"__proto__"',
    '"constructor"',
    '"prototype"',
    '{"__proto__": {"polluted": 1}}',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    '\\u0000',
    '\\ud800',
    '1e999',
    '-0',
    '9007199254740993',
    'null',
    'true',
    '"match"',
    '"regex"',
    '"(a+)+$"',
    '"toString"',
    '"valueOf"',
    '"$[\'"',
    '[[[[[[[[[[[[',
    '"interactions": []',
    '"encoded": true',
    '"contents"',
    '"matchingRules"',
  ];

  const mutation = fc.oneof(
    fc.record({ at: fc.nat(), text: fc.constantFrom(...hostileTokens) }).map(
      ({ at, text }) =>
        (s: string) =>
          s.slice(0, at % (s.length + 1)) + text + s.slice(at % (s.length + 1)),
    ),
    fc.record({ at: fc.nat(), length: fc.nat(20) }).map(
      ({ at, length }) =>
        (s: string) =>
          s.slice(0, at % (s.length + 1)) + s.slice((at % (s.length + 1)) + length),
    ),
    fc.record({ at: fc.nat(), ch: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }) }).map(
      ({ at, ch }) =>
        (s: string) =>
          s.slice(0, at % (s.length + 1)) + ch + s.slice((at % (s.length + 1)) + 1),
    ),
    fc.nat().map((at) => (s: string) => s.slice(0, at % (s.length + 1))),
  );

  /** Replaces a random value of the parsed base file with hostile JSON text. */
  const structural = fc.record({
    pick: fc.nat(),
    value: fc.oneof(
      jsonValue.map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '{"__proto__": {"polluted": true}, "match": "type"}',
        '{"constructor": {"prototype": {"polluted": 1}}}',
        '{"match": "toString"}',
        '{"match": "__proto__"}',
        '{"min": "1"}',
        `${'['.repeat(300)}${']'.repeat(300)}`,
        '{"content": {"a": 1}, "encoded": true}',
        '""',
      ),
    ),
  });

  const assertHeraldOnly = (text: string | Buffer): void => {
    try {
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      parseContract(parseJsonText(decodeContractBytes(bytes, 'hostile.json'), 'hostile.json'), 'hostile.json');
    } catch (error) {
      if (!isHeraldError(error)) throw new Error(`non-Herald exception on ${JSON.stringify(text.toString().slice(0, 200))}: ${String((error as Error).stack ?? error)}`);
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  };
  const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

  it('throws only Herald errors on mutated text, quickly, without prototype pollution', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        assertHeraldOnly(mutations.reduce((s, f) => f(s), base));
      }),
      { seed: 4242, numRuns: 1500 },
    );
  });

  it('throws only Herald errors when any value is replaced by hostile JSON', () => {
    const paths: string[][] = [];
    const walk = (v: JsonValue, at: string[]): void => {
      paths.push(at);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, String(i)]));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
    };
    walk(JSON.parse(base) as JsonValue, []);
    fc.assert(
      fc.property(structural, ({ pick, value }) => {
        const at = paths[pick % paths.length] as string[];
        const marker = '"@@HOLE@@"';
        const doc = JSON.parse(base) as Record<string, unknown>;
        if (at.length === 0) return assertHeraldOnly(value);
        let parent: Record<string, unknown> = doc;
        for (const k of at.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
        parent[at[at.length - 1] as string] = '@@HOLE@@';
        assertHeraldOnly(JSON.stringify(doc).replace(marker, value));
      }),
      { seed: 4243, numRuns: 1500 },
    );
  });

  it('throws only Herald errors on random bytes spliced into the file', () => {
    fc.assert(
      fc.property(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (at, bytes) => {
        const b = Buffer.from(base, 'utf8');
        const i = at % b.length;
        assertHeraldOnly(Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i)]));
      }),
      { seed: 4244, numRuns: 800 },
    );
  });

  it('reads __proto__ keys as data without touching Object.prototype', () => {
    const text = base.replace('"contentType": "application/json",', '"contentType": "application/json", "__proto__": {"polluted": 1},');
    assertHeraldOnly(text);
    assertHeraldOnly(text.replace('"orderId": 42', '"__proto__": {"polluted": 1}, "orderId": 42'));
  });
});
