/**
 * The differential corpus: message contracts written with pact-js 16's own consumer DSL (every
 * matcher it offers, V3 and V4, body and metadata), each with the provider messages to try
 * against it. Loaded only in the pact-js child process (pactjs-side.ts).
 *
 * A case is one contract shape; every mutation becomes its own interaction with that shape, so one
 * pact file per (case, spec version) carries all of them and pact-js pays its start-up once.
 */
import { MatchersV3 as M } from '@pact-foundation/pact/src/v3';
import * as V2 from '@pact-foundation/pact/src/dsl/matchers';
import { body, drop, dropMeta, identity, meta, put, type Json, type Mutation } from './message';

export type SpecVersion = 'v3' | 'v4';

export interface Case {
  readonly id: string;
  /** Spec versions the case is written in (eachKey / eachValue exist in V4 only). */
  readonly versions: readonly SpecVersion[];
  /** The body template: pact-js matchers. */
  readonly body: unknown;
  /** The metadata template: pact-js matchers; contentType application/json is added when absent. */
  readonly metadata?: Record<string, unknown>;
  /** The example itself is always tried first; these follow. */
  readonly mutations: readonly Mutation[];
}

const both: readonly SpecVersion[] = ['v3', 'v4'];
const v4: readonly SpecVersion[] = ['v4'];
/** A matcher the FFI understands that pact-js has no function for. */
const raw = (type: string, value: Json, extra: Record<string, Json> = {}): unknown => ({ 'pact:matcher:type': type, value, ...extra });

/** Mutations of one value at `$.v`. */
const values = (pairs: readonly (readonly [string, Json])[]): Mutation[] => pairs.map(([name, value]) => put(name, '$.v', value));
/** Mutations of one metadata value. */
const metas = (key: string, pairs: readonly (readonly [string, Json])[]): Mutation[] => pairs.map(([name, value]) => meta(`${key}=${name}`, key, value));

const NUMERIC_TEXT: readonly (readonly [string, Json])[] = [
  ['"3"', '3'],
  ['"03"', '03'],
  ['"0x3"', '0x3'],
  ['"3.0"', '3.0'],
  ['"3e0"', '3e0'],
  ['" 3 "', ' 3 '],
  ['3.5', 3.5],
  ['true', true],
  ['null', null],
  ['4', 4],
];

export const CASES: readonly Case[] = [
  // ---- numbers ----
  {
    id: 'integer',
    versions: both,
    body: { v: M.integer(3), other: 'x' },
    mutations: [
      ...values([
        ['0', 0],
        ['-7', -7],
        ['1000 as 1e3', 1e3],
        ['3.5', 3.5],
        ['1e21', 1e21],
        ['2^53', 2 ** 53],
        ['2^64', 2 ** 64],
        ['-2^63', -(2 ** 63)],
        ['"3"', '3'],
        ['null', null],
        ['true', true],
        ['[3]', [3]],
      ]),
      drop('v missing', '$.v'),
    ],
  },
  {
    id: 'decimal',
    versions: both,
    body: { v: M.decimal(1.5) },
    mutations: values([
      ['2.25', 2.25],
      ['2 (integer)', 2],
      ['1e21', 1e21],
      ['-0.5', -0.5],
      ['"1.5"', '1.5'],
      ['null', null],
    ]),
  },
  {
    id: 'number',
    versions: both,
    body: { v: M.number(1) },
    mutations: values([
      ['1.5', 1.5],
      ['1e21', 1e21],
      ['"1"', '1'],
      ['true', true],
      ['null', null],
      ['{}', {}],
    ]),
  },
  {
    id: 'boolean',
    versions: both,
    body: { v: M.boolean(true) },
    mutations: values([
      ['false', false],
      ['"true"', 'true'],
      ['"false"', 'false'],
      ['"yes"', 'yes'],
      ['1', 1],
      ['null', null],
    ]),
  },
  // ---- strings ----
  {
    id: 'string',
    versions: both,
    body: { v: M.string('abc') },
    mutations: values([
      ['""', ''],
      ['1', 1],
      ['null', null],
      ['lone high surrogate', '\ud800x'],
      ['lone low surrogate', 'x\udc00'],
      ['astral', '\u{1f600}'],
      ['["abc"]', ['abc']],
    ]),
  },
  {
    id: 'regex',
    versions: both,
    body: { v: M.regex('^[A-Z]{3}-\\d+$', 'ABC-12') },
    mutations: values([
      ['lower', 'abc-12'],
      ['no digits', 'ABC-'],
      ['trailing newline', 'ABC-12\n'],
      ['prefix', 'xABC-12'],
      ['number', 12],
      ['null', null],
      ['lone surrogate', 'ABC-1\ud800'],
    ]),
  },
  {
    id: 'regex-unicode',
    versions: both,
    body: { v: M.regex('^caf\u00e9$', 'caf\u00e9') },
    mutations: values([
      ['NFD', 'cafe\u0301'],
      ['NFC', 'caf\u00e9'],
      ['zero-width', 'caf\u00e9\u200b'],
    ]),
  },
  {
    id: 'term-v2',
    versions: both,
    body: { v: V2.term({ generate: 'red', matcher: '^(red|green)$' }) },
    mutations: values([
      ['green', 'green'],
      ['blue', 'blue'],
      ['RED', 'RED'],
      ['1', 1],
    ]),
  },
  {
    id: 'uuid',
    versions: both,
    body: { v: M.uuid('ba4bd8f2-7c3e-4d6a-9f55-0a8b0c2e1d3f') },
    mutations: values([
      ['upper-case', 'BA4BD8F2-7C3E-4D6A-9F55-0A8B0C2E1D3F'],
      ['no dashes', 'ba4bd8f27c3e4d6a9f550a8b0c2e1d3f'],
      ['braces', '{ba4bd8f2-7c3e-4d6a-9f55-0a8b0c2e1d3f}'],
      ['short', 'ba4bd8f2'],
    ]),
  },
  {
    id: 'includes',
    versions: both,
    body: { v: M.includes('needle') },
    mutations: values([
      ['inside', 'haystack needle haystack'],
      ['absent', 'haystack'],
      ['upper', 'NEEDLE'],
      ['number', 1],
    ]),
  },
  {
    id: 'equal',
    versions: both,
    body: { v: M.equal('fixed') },
    mutations: values([
      ['different', 'other'],
      ['upper', 'FIXED'],
      ['number', 1],
    ]),
  },
  {
    id: 'nullValue',
    versions: both,
    body: { v: M.nullValue(), other: 1 },
    mutations: [
      ...values([
        ['0', 0],
        ['""', ''],
        ['false', false],
        ['{}', {}],
      ]),
      drop('v missing', '$.v'),
    ],
  },
  {
    id: 'notEmpty',
    versions: both,
    body: { v: raw('notEmpty', 'x'), n: raw('notEmpty', 5), a: raw('notEmpty', [1]) },
    mutations: [put('v ""', '$.v', ''), put('v number', '$.v', 1), put('n 0', '$.n', 0), put('n string', '$.n', '5'), put('a []', '$.a', []), put('a {}', '$.a', {}), put('v null', '$.v', null)],
  },
  {
    id: 'semver',
    versions: both,
    body: { v: raw('semver', '1.2.3') },
    mutations: values([
      ['1.2', '1.2'],
      ['1.2.3-rc.1', '1.2.3-rc.1'],
      ['v1.2.3', 'v1.2.3'],
      ['01.2.3', '01.2.3'],
    ]),
  },
  // ---- objects and arrays ----
  {
    id: 'like',
    versions: both,
    body: { v: M.like({ id: 1, name: 'x', tags: ['a'] }) },
    mutations: [
      put('id "1"', '$.v.id', '1'),
      put('id 1.5', '$.v.id', 1.5),
      put('name 2', '$.v.name', 2),
      put('extra key', '$.v.extra', true),
      drop('name missing', '$.v.name'),
      put('tags []', '$.v.tags', []),
      put('tags [1]', '$.v.tags', [1]),
      put('tags longer', '$.v.tags', ['a', 'b', 'c']),
      put('v null', '$.v', null),
      put('v array', '$.v', []),
    ],
  },
  {
    id: 'no-matcher',
    versions: both,
    body: { id: 1, name: 'x', nested: { flag: true }, list: [1, 2] },
    mutations: [
      put('id 2', '$.id', 2),
      put('id 1.0 as 1', '$.id', 1.0),
      put('name X', '$.name', 'X'),
      put('extra root key', '$.zz', 1),
      put('extra nested key', '$.nested.zz', 1),
      drop('nested.flag missing', '$.nested.flag'),
      put('list [1]', '$.list', [1]),
      put('list [1,2,3]', '$.list', [1, 2, 3]),
      put('list [2,1]', '$.list', [2, 1]),
      body('body ""', ''),
      body('body []', []),
      body('body null', null),
    ],
  },
  {
    id: 'eachLike',
    versions: both,
    body: { v: M.eachLike({ id: M.integer(1), name: 'n' }) },
    mutations: [
      put('[]', '$.v', []),
      put('two items', '$.v', [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ]),
      put('second id "2"', '$.v', [
        { id: 1, name: 'a' },
        { id: '2', name: 'b' },
      ]),
      put('item missing name', '$.v', [{ id: 1 }]),
      put('item extra key', '$.v', [{ id: 1, name: 'a', x: 1 }]),
      put('not an array', '$.v', { id: 1, name: 'a' }),
      put('null item', '$.v', [null]),
    ],
  },
  {
    id: 'atLeastOneLike',
    versions: both,
    body: { v: M.atLeastOneLike(M.string('a'), 2) },
    mutations: values([
      ['[]', []],
      ['one', ['a']],
      ['three', ['a', 'b', 'c']],
      ['mixed', ['a', 1]],
    ]),
  },
  {
    id: 'atLeastLike',
    versions: both,
    body: { v: M.atLeastLike(M.integer(1), 2, 3) },
    mutations: values([
      ['one', [1]],
      ['two', [1, 2]],
      ['[]', []],
      ['decimal item', [1, 2.5]],
    ]),
  },
  {
    id: 'atMostLike',
    versions: both,
    body: { v: M.atMostLike(M.integer(1), 2, 1) },
    mutations: values([
      ['two', [1, 2]],
      ['three', [1, 2, 3]],
      ['[]', []],
    ]),
  },
  {
    id: 'constrainedArrayLike',
    versions: both,
    body: { v: M.constrainedArrayLike(M.string('a'), 1, 3, 2) },
    mutations: values([
      ['[]', []],
      ['one', ['a']],
      ['four', ['a', 'b', 'c', 'd']],
    ]),
  },
  {
    id: 'arrayContaining',
    versions: v4,
    body: { v: M.arrayContaining(M.like({ kind: 'a', n: 1 }), M.regex('^b+$', 'bb')) },
    mutations: values([
      ['reordered', ['bbb', { kind: 'z', n: 2 }]],
      ['extra element', [{ kind: 'a', n: 1 }, 'bb', 42]],
      ['missing regex variant', [{ kind: 'a', n: 1 }]],
      ['regex variant broken', [{ kind: 'a', n: 1 }, 'cc']],
      ['[]', []],
      ['object variant n "1"', [{ kind: 'a', n: '1' }, 'b']],
    ]),
  },
  {
    id: 'eachKeyMatches',
    versions: v4,
    body: { v: M.eachKeyMatches({ alpha: 1, beta: 2 }, M.regex('^[a-z]+$', 'alpha')) },
    mutations: values([
      ['upper key', { alpha: 1, Beta: 2 }],
      ['digit key', { alpha: 1, b2: 2 }],
      ['{}', {}],
      ['string values', { alpha: 'x' }],
    ]),
  },
  {
    id: 'eachValueMatches',
    versions: v4,
    body: { v: M.eachValueMatches({ a: 1, b: 2 }, M.integer(1)) },
    mutations: values([
      ['decimal value', { a: 1, b: 2.5 }],
      ['string value', { a: '1' }],
      ['new key', { a: 1, zz: 3 }],
      ['{}', {}],
    ]),
  },
  {
    id: 'eachKeyLike',
    versions: both,
    body: { v: M.eachKeyLike('key', { n: M.integer(1) }) },
    mutations: values([
      ['other key', { other: { n: 2 } }],
      ['value wrong', { key: { n: 'x' } }],
      ['two keys', { a: { n: 1 }, b: { n: 2 } }],
    ]),
  },
  // ---- dates and times (java.time DateTimeFormatter patterns) ----
  {
    id: 'datetime-XXX',
    versions: both,
    body: { v: M.datetime("yyyy-MM-dd'T'HH:mm:ssXXX", '2024-01-05T10:00:00+01:00') },
    mutations: values([
      ['Z', '2024-01-05T10:00:00Z'],
      ['+05:30', '2024-01-05T10:00:00+05:30'],
      ['+14:00', '2024-01-05T10:00:00+14:00'],
      ['-12:00', '2024-01-05T10:00:00-12:00'],
      ['+18:00', '2024-01-05T10:00:00+18:00'],
      ['+15:00', '2024-01-05T10:00:00+15:00'],
      ['+25:00', '2024-01-05T10:00:00+25:00'],
      ['+01:99', '2024-01-05T10:00:00+01:99'],
      ['+0100 (no colon)', '2024-01-05T10:00:00+0100'],
      ['no offset', '2024-01-05T10:00:00'],
      ['hour 24', '2024-01-05T24:00:00+01:00'],
      ['Feb 30', '2024-02-30T10:00:00+01:00'],
      ['5-digit year', '12024-01-05T10:00:00+01:00'],
      ['space for T', '2024-01-05 10:00:00+01:00'],
      ['millis', '2024-01-05T10:00:00.123+01:00'],
    ]),
  },
  {
    id: 'datetime-z',
    versions: both,
    body: { v: M.datetime("yyyy-MM-dd'T'HH:mm:ss z", '2024-01-05T10:00:00 UTC') },
    mutations: values([
      ['GMT', '2024-01-05T10:00:00 GMT'],
      ['CET', '2024-01-05T10:00:00 CET'],
      ['PST', '2024-01-05T10:00:00 PST'],
      ['XYZ', '2024-01-05T10:00:00 XYZ'],
      ['Europe/Paris', '2024-01-05T10:00:00 Europe/Paris'],
      ['+01:00', '2024-01-05T10:00:00 +01:00'],
      ['none', '2024-01-05T10:00:00'],
    ]),
  },
  {
    id: 'time-k',
    versions: both,
    body: { v: M.time('kk:mm', '24:00') },
    mutations: values([
      ['00:30', '00:30'],
      ['01:30', '01:30'],
      ['24:00', '24:00'],
      ['12:00', '12:00'],
      ['25:00', '25:00'],
    ]),
  },
  {
    id: 'time-HH',
    versions: both,
    body: { v: M.time('HH:mm:ss', '10:00:00') },
    mutations: values([
      ['23:59:59', '23:59:59'],
      ['24:00:00', '24:00:00'],
      ['10:60:00', '10:60:00'],
      ['10:00', '10:00'],
      ['1:00:00', '1:00:00'],
      ['10:00:00.5', '10:00:00.5'],
    ]),
  },
  {
    id: 'time-hh-a',
    versions: both,
    body: { v: M.time('hh:mm a', '10:00 AM') },
    mutations: values([
      ['12:00 PM', '12:00 PM'],
      ['13:00 PM', '13:00 PM'],
      ['00:00 AM', '00:00 AM'],
      ['10:00 am', '10:00 am'],
      ['10:00', '10:00'],
    ]),
  },
  {
    id: 'date-yyyy-MM-dd',
    versions: both,
    body: { v: M.date('yyyy-MM-dd', '2024-01-05') },
    mutations: values([
      ['leap day', '2024-02-29'],
      ['not leap', '2023-02-29'],
      ['Feb 30', '2024-02-30'],
      ['month 13', '2024-13-01'],
      ['day 00', '2024-01-00'],
      ['single digits', '2024-1-5'],
      ['5-digit year', '12024-01-05'],
      ['3-digit year', '999-01-05'],
      ['signed year', '+2024-01-05'],
      ['with time', '2024-01-05T00:00:00'],
      ['number', 20240105],
    ]),
  },
  {
    id: 'date-uuuu',
    versions: both,
    body: { v: M.date('uuuu-MM-dd', '2024-01-05') },
    mutations: values([
      ['leap day', '2024-02-29'],
      ['not leap', '2023-02-29'],
      ['5-digit year', '12024-01-05'],
    ]),
  },
  {
    id: 'date-DDD',
    versions: both,
    body: { v: M.date('yyyy-DDD', '2024-005') },
    mutations: values([
      ['day 300', '2024-300'],
      ['day 357', '2024-357'],
      ['day 366 leap', '2024-366'],
      ['day 366 non-leap', '2023-366'],
      ['day 367', '2024-367'],
      ['day 000', '2024-000'],
    ]),
  },
  {
    id: 'date-text',
    versions: both,
    body: { v: M.date('EEE, dd MMM yyyy', 'Fri, 05 Jan 2024') },
    mutations: values([
      ['Monday', 'Mon, 08 Jan 2024'],
      ['wrong weekday', 'Mon, 05 Jan 2024'],
      ['upper month', 'Fri, 05 JAN 2024'],
      ['full month', 'Fri, 05 January 2024'],
    ]),
  },
  {
    id: 'date-era-quarter',
    versions: both,
    body: { v: M.date('yyyy-MM-dd G', '2024-01-05 AD'), q: M.date("yyyy 'Q'Q", '2024 Q1') },
    mutations: [put('BC', '$.v', '2024-01-05 BC'), put('era XX', '$.v', '2024-01-05 XX'), put('Q4', '$.q', '2024 Q4'), put('Q5', '$.q', '2024 Q5')],
  },
  {
    id: 'timestamp',
    versions: both,
    body: { v: M.timestamp('yyyy-MM-dd HH:mm:ss.SSS', '2024-01-05 10:00:00.123') },
    mutations: values([
      ['2 fraction digits', '2024-01-05 10:00:00.12'],
      ['4 fraction digits', '2024-01-05 10:00:00.1234'],
      ['T separator', '2024-01-05T10:00:00.123'],
      ['epoch millis', 1704448800123],
    ]),
  },
  // pact-js' V2 ISO8601_DATE_FORMAT has a look-ahead and a back-reference: its own file, so a reader refusing it refuses only this.
  {
    id: 'iso8601-v2',
    versions: both,
    body: { dt: V2.iso8601DateTimeWithMillis('2024-01-05T10:00:00.123Z'), d: V2.iso8601Date('2024-01-05'), t: V2.iso8601Time('T10:00:00') },
    mutations: [
      put('dt no millis', '$.dt', '2024-01-05T10:00:00Z'),
      put('dt +0530', '$.dt', '2024-01-05T10:00:00.1+0530'),
      put('d week date', '$.d', '2024-W01-5'),
      put('d ordinal', '$.d', '2024-005'),
      put('d month 13', '$.d', '2024-13-05'),
      put('t no T', '$.t', '10:00:00'),
    ],
  },
  {
    id: 'v2-formats',
    versions: both,
    body: {
      dt: V2.iso8601DateTime('2024-01-05T10:00:00Z'),
      t: V2.iso8601Time('T10:00:00'),
      rfc: V2.rfc1123Timestamp('Fri, 05 Jan 2024 10:00:00 +0000'),
      email: V2.email('a.b@example.com'),
      ip4: V2.ipv4Address('10.0.0.1'),
      ip6: V2.ipv6Address('::1'),
      hex: V2.hexadecimal('3F'),
      id: V2.uuid('ba4bd8f2-7c3e-4d6a-9f55-0a8b0c2e1d3f'),
    },
    mutations: [
      put('dt +01:00', '$.dt', '2024-01-05T10:00:00+01:00'),
      put('dt millis', '$.dt', '2024-01-05T10:00:00.5Z'),
      put('dt hour 29', '$.dt', '2024-01-05T29:00:00Z'),
      put('t offset', '$.t', 'T10:00:00+01:00'),
      put('t ""', '$.t', ''),
      put('rfc -0500', '$.rfc', 'Fri, 05 Jan 2024 10:00:00 -0500'),
      put('rfc GMT', '$.rfc', 'Fri, 05 Jan 2024 10:00:00 GMT'),
      put('email no tld', '$.email', 'a@b'),
      put('email unicode', '$.email', 'j\u00f6rg@example.com'),
      put('ip4 999', '$.ip4', '999.1.1.1'),
      put('ip4 five parts', '$.ip4', '1.2.3.4.5'),
      put('ip6 full', '$.ip6', '2001:db8:0:0:0:0:2:1'),
      put('ip6 garbage', '$.ip6', 'zz::1'),
      put('hex lower', '$.hex', '3f'),
      put('hex 0x', '$.hex', '0x3F'),
      put('uuid upper', '$.id', 'BA4BD8F2-7C3E-4D6A-9F55-0A8B0C2E1D3F'),
    ],
  },
  {
    id: 'v2-types',
    versions: both,
    body: { s: V2.somethingLike({ a: 1 }), list: V2.eachLike({ id: V2.integer(1) }, { min: 2 }), i: V2.integer(1), d: V2.decimal(1.5), b: V2.boolean(true), str: V2.string('x') },
    mutations: [
      put('s.a "1"', '$.s.a', '1'),
      put('list one item', '$.list', [{ id: 1 }]),
      put('list id 1.5', '$.list', [{ id: 1 }, { id: 1.5 }]),
      put('i 1.5', '$.i', 1.5),
      put('d 2', '$.d', 2),
      put('b "true"', '$.b', 'true'),
      put('str 1', '$.str', 1),
    ],
  },
  // ---- regex dialect and Unicode ----
  {
    id: 'regex-classes',
    versions: both,
    body: { d: M.regex('^\\d+$', '12'), w: M.regex('^\\w+$', 'abc'), dot: M.regex('^a.c$', 'abc'), ci: M.regex('(?i)^abc$', 'ABC') },
    mutations: [
      put('d arabic-indic digits', '$.d', '\u0661\u0662'),
      put('d fullwidth digits', '$.d', '\uff11\uff12'),
      put('w accented', '$.w', 'caf\u00e9'),
      put('dot newline', '$.dot', 'a\nc'),
      put('dot astral', '$.dot', 'a\u{1f600}c'),
      put('ci lower', '$.ci', 'abc'),
    ],
  },
  {
    id: 'regex-non-string',
    versions: both,
    body: { w: M.regex('^\\w+$', 'abc'), n: M.regex('^n.ll$', 'nill'), d: M.regex('^\\d+$', '12') },
    mutations: [
      put('w null', '$.w', null),
      put('n null', '$.n', null),
      put('w true', '$.w', true),
      put('d number 12', '$.d', 12),
      put('d number 1.5', '$.d', 1.5),
      put('w {}', '$.w', {}),
      put('w ["abc"]', '$.w', ['abc']),
    ],
  },
  {
    id: 'unicode-equality',
    versions: both,
    body: { v: 'caf\u00e9', inc: M.includes('\u00e9') },
    mutations: [put('v NFD', '$.v', 'cafe\u0301'), put('v zero-width joiner', '$.v', 'caf\u00e9\u200d'), put('inc NFD', '$.inc', 'cafe\u0301'), put('v fullwidth', '$.v', '\uff43\uff41\uff46\u00e9')],
  },
  // ---- cascades and nesting ----
  {
    id: 'cascade',
    versions: both,
    body: { v: M.like({ n: 1, s: 'x', arr: [1, 2], obj: { k: true } }) },
    mutations: [
      put('arr [1]', '$.v.arr', [1]),
      put('arr []', '$.v.arr', []),
      put('arr ["a"]', '$.v.arr', ['a', 'b']),
      put('obj.k "true"', '$.v.obj.k', 'true'),
      put('obj extra', '$.v.obj', { k: false, z: 1 }),
      put('n 1e21', '$.v.n', 1e21),
      put('obj {}', '$.v.obj', {}),
    ],
  },
  {
    id: 'nested-eachLike',
    versions: both,
    body: { v: M.eachLike(M.eachLike(M.integer(1))) },
    mutations: values([
      ['[[]]', [[]]],
      ['[[1.5]]', [[1.5]]],
      ['[]', []],
      ['[[1],[2,3]]', [[1], [2, 3]]],
      ['[1]', [1]],
    ]),
  },
  { id: 'text-body', versions: both, body: M.string('hello'), mutations: [body('""', ''), body('number', 1), body('longer', 'hello world')] },
  // ---- metadata ----
  { id: 'meta-integer', versions: both, body: { id: M.integer(1) }, metadata: { attempt: M.integer(3) }, mutations: [...metas('attempt', NUMERIC_TEXT), dropMeta('attempt missing', 'attempt')] },
  { id: 'meta-number', versions: both, body: { id: M.integer(1) }, metadata: { weight: M.number(3) }, mutations: metas('weight', NUMERIC_TEXT) },
  {
    id: 'meta-literal',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { attempt: 3, flag: true, version: '2' },
    mutations: [
      ...metas('attempt', NUMERIC_TEXT),
      meta('flag="true"', 'flag', 'true'),
      meta('flag=1', 'flag', 1),
      meta('version=2 (number)', 'version', 2),
      meta('version="02"', 'version', '02'),
      dropMeta('version missing', 'version'),
    ],
  },
  {
    id: 'meta-boolean',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { retry: M.boolean(true) },
    mutations: metas('retry', [
      ['false', false],
      ['"true"', 'true'],
      ['"false"', 'false'],
      ['1', 1],
      ['"yes"', 'yes'],
    ]),
  },
  {
    id: 'meta-string',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { source: M.string('svc'), trace: M.uuid('ba4bd8f2-7c3e-4d6a-9f55-0a8b0c2e1d3f') },
    mutations: [
      ...metas('source', [
        ['number', 7],
        ['""', ''],
        ['lone surrogate', 'sv\ud800'],
        ['null', null],
      ]),
      ...metas('trace', [
        ['upper-case', 'BA4BD8F2-7C3E-4D6A-9F55-0A8B0C2E1D3F'],
        ['garbage', 'nope'],
      ]),
    ],
  },
  {
    id: 'meta-kafka',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { kafka_topic: M.regex('^orders\\.v\\d+$', 'orders.v1'), kafka_key: M.like('k-1') },
    mutations: [
      ...metas('kafka_topic', [
        ['orders.v2', 'orders.v2'],
        ['orders', 'orders'],
        ['number', 1],
      ]),
      dropMeta('kafka_topic missing', 'kafka_topic'),
      meta('kafka_key=number', 'kafka_key', 1),
      dropMeta('kafka_key missing', 'kafka_key'),
    ],
  },
  {
    id: 'meta-content-type',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { contentType: 'application/json' },
    mutations: metas('contentType', [
      ['with charset', 'application/json; charset=utf-8'],
      ['upper-case', 'APPLICATION/JSON'],
      ['text/plain', 'text/plain'],
      ['vendor json', 'application/vnd.acme+json'],
      ['""', ''],
    ]),
  },
  {
    id: 'meta-content-type-rule',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { payloadType: M.contentType('application/json') },
    mutations: metas('payloadType', [
      ['text/plain', 'text/plain'],
      ['image/png', 'image/png'],
      ['garbage', 'not a type'],
      ['number', 1],
    ]),
  },
  {
    id: 'meta-datetime',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { sentAt: M.datetime("yyyy-MM-dd'T'HH:mm:ssXXX", '2024-01-05T10:00:00Z') },
    mutations: metas('sentAt', [
      ['+25:00', '2024-01-05T10:00:00+25:00'],
      ['date only', '2024-01-05'],
      ['epoch', 1704448800],
    ]),
  },
  {
    id: 'meta-array',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { tags: M.eachLike('a'), owner: M.like({ team: 'x' }) },
    mutations: [
      ...metas('tags', [
        ['[]', []],
        ['mixed', ['a', 1]],
        ['string', 'a'],
        ['json text', '["a"]'],
      ]),
      ...metas('owner', [
        ['team 1', { team: 1 }],
        ['json text', '{"team":"x"}'],
        ['{}', {}],
      ]),
    ],
  },
  {
    id: 'meta-none',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { attempt: M.integer(3), source: 'svc' },
    mutations: [
      { name: 'no metadata at all', apply: (e) => ({ ...e, metadata: {} }) },
      { name: 'only contentType', apply: (e) => ({ ...e, metadata: { contentType: 'application/json' } }) },
    ],
  },
  {
    id: 'meta-regex',
    versions: both,
    body: { id: M.integer(1) },
    metadata: { 'x-version': M.regex('^\\d+$', '3') },
    mutations: metas('x-version', [
      ['number 3', 3],
      ['"3a"', '3a'],
      ['""', ''],
    ]),
  },
];

/** The example message is always the first pair of a case. */
export const mutationsOf = (c: Case): readonly Mutation[] => [identity, ...c.mutations];
