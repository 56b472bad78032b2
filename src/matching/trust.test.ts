/**
 * Issue 9 "Trust" and issue 10 items owned by the engine: each case here passed (or failed) falsely
 * before, and names the item it pins down.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { RuleJson, RuleMap } from '../contract/model';
import { parseContract } from '../contract/reader';
import { parseJsonText } from '../contract/safe-json';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import { toActualMessage } from '../transport/decode';
import { matchBody, matchMessage, matchMetadata, metadataNotes } from './engine';
import type { Mismatch } from '../matchers/mismatch';

const at = (path: string, ...matchers: RuleJson[]): RuleMap => ({ [path]: { combine: 'AND', matchers } });
const codes = (ms: readonly Mismatch[]): string[] => ms.map((m) => `${m.path} ${m.code}`);

describe('integer and decimal judge the number as written (9.5)', () => {
  const integer = at('$.n', { match: 'integer' });
  const decimal = at('$.n', { match: 'decimal' });

  it.each<[string, number]>([
    ['1e21 (JSON.stringify writes 1e+21)', 1e21],
    ['2^64 (above u64)', 2 ** 64],
    ['-2^63 written as -9223372036854776000 (below i64)', -(2 ** 63)],
  ])('rejects %s from a factory as an integer', (_name, n) => {
    const ms = matchBody({ n: 1 }, { n }, integer);
    expect(codes(ms)).toEqual(['$.n type']);
    expect(ms[0]?.message).toContain(JSON.stringify(n));
  });

  it('accepts the largest i64 and u64 as written on the wire', () => {
    const wire = parseJsonKeepingNumbers('{"a": 9223372036854775807, "b": 18446744073709551615, "c": -9223372036854775808}') as JsonObject;
    const r: RuleMap = { ...at('$.a', { match: 'integer' }), ...at('$.b', { match: 'integer' }), ...at('$.c', { match: 'integer' }) };
    expect(matchBody({ a: 1, b: 1, c: 1 }, wire, r)).toEqual([]);
  });

  it('reads 3.0 and 1E2 on the wire as decimals, 3 as an integer', () => {
    const wire = parseJsonKeepingNumbers('[{"n": 3.0}, {"n": 1E2}, {"n": 3}]') as JsonObject[];
    expect(codes(matchBody({ n: 1 }, wire[0], integer))).toEqual(['$.n type']);
    expect(codes(matchBody({ n: 1 }, wire[1], integer))).toEqual(['$.n type']);
    expect(matchBody({ n: 1.5 }, wire[0], decimal)).toEqual([]);
    expect(codes(matchBody({ n: 1.5 }, wire[2], decimal))).toEqual(['$.n type']);
  });
});

describe('numbers above 2^53 are compared as written (10.3)', () => {
  it('does not match 9007199254740993 on the wire with 9007199254740992 in the contract', () => {
    const expected = parseJsonText('{"id": 9007199254740992}', 'c.json');
    const actual = parseJsonKeepingNumbers('{"id": 9007199254740993}');
    const ms = matchBody(expected, actual, {});
    expect(codes(ms)).toEqual(['$.id value']);
    expect(ms[0]?.message).toBe('Expected 9007199254740992 but got 9007199254740993');
  });

  it('does not match a contract literal 9007199254740993 with a factory value (rounded to ...992)', () => {
    const expected = parseJsonText('{"ids": [9007199254740993]}', 'c.json');
    expect(codes(matchBody(expected, { ids: [9007199254740993] }, {}))).toEqual(['$.ids[0] value']);
    expect(codes(matchBody(expected, { ids: [9007199254740993] }, at('$.ids[0]', { match: 'equality' })))).toEqual(['$.ids[0] value']);
  });

  it('still matches the same literal, and 1.0 with 1', () => {
    const expected = parseJsonText('{"id": 9007199254740993, "x": 1.0}', 'c.json');
    expect(matchBody(expected, parseJsonKeepingNumbers('{"id": 9007199254740993, "x": 1}'), {})).toEqual([]);
  });

  it('keeps literals through a contract file read by the reader', () => {
    const text = JSON.stringify(pact({ id: 1 })).replace('"id":1', '"id":9007199254740993');
    const interaction = parseContract(parseJsonText(text, 'c.json'), 'c.json').interactions[0];
    if (interaction === undefined) throw new Error('no interaction');
    const ms = matchMessage(interaction, { content: parseJsonKeepingNumbers('{"id": 9007199254740992}'), contentType: 'application/json', metadata: {} });
    expect(codes(ms)).toEqual(['$.id value']);
  });
});

describe('wire bodies decoded by a transport keep their number literals (10.3)', () => {
  it('fails a Kafka record carrying 9007199254740993 against a contract expecting 9007199254740992', () => {
    const text = JSON.stringify(pact({ id: 1 })).replace('"id":1', '"id":9007199254740992');
    const interaction = parseContract(parseJsonText(text, 'c.json'), 'c.json').interactions[0];
    if (interaction === undefined) throw new Error('no interaction');
    const decoded = toActualMessage(
      { channel: { transport: 'kafka', topic: 't', partition: 0 }, headers: {}, properties: {}, contentType: 'application/json', body: Buffer.from('{"id":9007199254740993}') },
      interaction,
    );
    expect(codes(matchMessage(interaction, decoded))).toEqual(['$.id value']);
  });
});

describe('metadata text is read as a number only in canonical form (9.6)', () => {
  it.each(['0x3', '3e0', '3.0', ' 3 ', '03', '+3', '3 '])('does not read %j as the number 3', (text) => {
    const ms = matchMetadata({ attempt: 3 }, { attempt: text }, {});
    expect(codes(ms)).toEqual(['attempt type']);
    expect(ms[0]?.message).toContain('canonical decimal form');
  });

  it('reads "3" as 3, with a note', () => {
    expect(matchMetadata({ attempt: 3 }, { attempt: '3' }, {})).toEqual([]);
    expect(metadataNotes({ attempt: 3 }, { attempt: '3' })).toEqual(['The metadata value "attempt" arrived as the text "3" and was read as the number 3, as the contract expects']);
  });

  it('does not let a number satisfy an expected string, nor " true" a boolean', () => {
    expect(codes(matchMetadata({ label: '2' }, { label: 2 }, {}))).toEqual(['label type']);
    expect(codes(matchMetadata({ flag: true }, { flag: ' true' }, {}))).toEqual(['flag type']);
    expect(matchMetadata({ flag: true }, { flag: 'true' }, {})).toEqual([]);
  });

  it('judges a header integer by its text: 2^64 is no integer', () => {
    const r = at('size', { match: 'integer' });
    expect(codes(matchMetadata({ size: 1 }, { size: '18446744073709551616' }, r))).toEqual(['size type']);
    expect(matchMetadata({ size: 1 }, { size: '18446744073709551615' }, r)).toEqual([]);
  });
});

describe('strings UTF-8 cannot encode (9.7)', () => {
  it('fails a lone surrogate in a body value, naming the code point', () => {
    const ms = matchBody({ s: 'ax' }, { s: '\ud800x' }, at('$.s', { match: 'type' }));
    expect(codes(ms)).toEqual(['$.s value']);
    expect(ms[0]?.message).toContain('U+D800');
  });

  it('fails a lone surrogate in a key and in metadata', () => {
    expect(codes(matchBody({ a: 1 }, { a: 1, ['b\udc00']: 2 }, {}))).toEqual(["$['b\udc00'] value"]);
    expect(codes(matchMetadata({ h: 'x' }, { h: 'x\udfff' }, at('h', { match: 'type' })))).toEqual(['h value']);
  });
});

describe('contentType rules check something (9.8)', () => {
  const rule = at('contentType', { match: 'contentType', value: 'application/json' });
  it('fails a metadata value naming another media type', () => {
    expect(codes(matchMetadata({ contentType: 'application/json' }, { contentType: 'text/plain' }, rule))).toEqual(['contentType content-type']);
    expect(matchMetadata({ contentType: 'application/json' }, { contentType: 'application/json; charset=utf-8' }, rule)).toEqual([]);
  });

  it('checks the bytes of any other metadata value: the text "application/json" is not JSON (V4 matcher table)', () => {
    const payload = at('payloadType', { match: 'contentType', value: 'application/json' });
    expect(codes(matchMetadata({ payloadType: '{}' }, { payloadType: 'application/json' }, payload))).toEqual(['payloadType content-type']);
    expect(matchMetadata({ payloadType: '{}' }, { payloadType: '{"a":1}' }, payload)).toEqual([]);
  });

  it('fails a text body that is not JSON under a JSON content-type rule', () => {
    const r = at('$', { match: 'contentType', value: 'application/json' });
    expect(codes(matchBody('{"a":1}', 'not json', r, { contentType: 'text/plain' }))).toEqual(['$ content-type']);
    expect(matchBody('{"a":1}', '{"b":2}', r, { contentType: 'text/plain' })).toEqual([]);
  });
});

describe('false fails of issue 9', () => {
  it('boolean accepts the strings "true" and "false" (9.15)', () => {
    const r = at('$.b', { match: 'boolean' });
    expect(matchBody({ b: true }, { b: 'false' }, r)).toEqual([]);
    expect(codes(matchBody({ b: true }, { b: 'yes' }, r))).toEqual(['$.b type']);
  });

  it('notEmpty accepts a number (9.20)', () => {
    const r = at('$.v', { match: 'notEmpty' });
    expect(matchBody({ v: 'x' }, { v: 5 }, r)).toEqual([]);
    expect(matchBody({ v: 1 }, { v: 0 }, r)).toEqual([]);
    expect(codes(matchBody({ v: 'x' }, { v: '' }, r))).toEqual(['$.v length']);
  });

  it('a regex with look-ahead is verified, in its own interaction, by the bounded engine (9.17)', () => {
    const file = pact({ a: 'x' }, { b: 'y' });
    (file.interactions[0] as { matchingRules: JsonObject }).matchingRules = { body: { '$.a': { combine: 'AND', matchers: [{ match: 'regex', regex: '(?=x)x|(a)\\1' }] } } };
    const contract = parseContract(file as unknown as JsonValue, 'c.json');
    const [first, second] = contract.interactions;
    if (first === undefined || second === undefined) throw new Error('two interactions expected');
    const actual = (content: JsonValue) => ({ content, contentType: 'application/json', metadata: {} });
    expect(matchMessage(first, actual({ a: 'x' }))).toEqual([]);
    expect(matchMessage(first, actual({ a: 'aa' }))).toEqual([]);
    expect(codes(matchMessage(first, actual({ a: 'y' })))).toEqual(['$.a regex']);
    expect(matchMessage(second, actual({ b: 'y' }))).toEqual([]);
  });

  it('fails a backtracking regex that exceeds its budget, naming rule and path, and only there (9.17)', () => {
    const r: RuleMap = { ...at('$.a', { match: 'regex', regex: '(?=a)(a+)+b' }), ...at('$.b', { match: 'integer' }) };
    const ms = matchBody({ a: 'ab', b: 1 }, { a: 'a'.repeat(40), b: 2 }, r);
    expect(codes(ms)).toEqual(['$.a unsupported']);
    expect(ms[0]?.message).toContain('HERALD_REGEX_BUDGET');
    expect(ms[0]?.message).toContain('(?=a)(a+)+b');
  });
});

describe('messages', () => {
  it('prints a null actual once (9.23)', () => {
    const ms = matchBody({ a: 'x' }, { a: null }, at('$.a', { match: 'type' }));
    expect(ms[0]?.message).toBe('Expected a value of type string (like "x") but got null');
  });

  it('shows code points of strings that print alike (9.24)', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    const ms = matchBody({ s: nfc }, { s: nfd }, {});
    expect(ms[0]?.message).toContain('U+00E9');
    expect(ms[0]?.message).toContain('U+0065 U+0301');
    const zw = matchBody({ s: 'ab' }, { s: 'a\u200bb' }, at('$.s', { match: 'equality' }));
    expect(zw[0]?.message).toContain('U+200B');
  });
});

describe('unknown matcher names (10.10)', () => {
  it.each(['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'])('reports %s as an unsupported matcher, never a crash or a pass', (name) => {
    const ms = matchBody({ a: 1 }, { a: 1 }, at('$.a', { match: name }));
    expect(codes(ms)).toEqual(['$.a unsupported']);
    expect(ms[0]?.message).toContain(`"${name}"`);
    expect(codes(matchBody({ m: { k: 1 } }, { m: { k: 1 } }, at('$.m', { match: 'eachKey', rules: [{ match: name }] })))).toEqual(['$.m.k unsupported']);
  });
});

/** A V4 message pact with one interaction per content. */
function pact(...contents: JsonValue[]): { interactions: JsonObject[] } & JsonObject {
  return {
    consumer: { name: 'c' },
    provider: { name: 'p' },
    metadata: { pactSpecification: { version: '4.0' } },
    interactions: contents.map((content, i) => ({
      type: 'Asynchronous/Messages',
      description: `message ${i}`,
      contents: { content, contentType: 'application/json' },
      metadata: {},
      matchingRules: {},
    })),
  };
}

describe('a regex whose example is a string wants a string (SCENARIOS.md 1)', () => {
  const digits = at('$.stock', { match: 'regex', regex: '^[0-9]+$' });

  it('fails stock "12" → 12: the consumer reads a string, whatever its text', () => {
    const ms = matchBody({ stock: '12' }, { stock: 12 }, digits);
    expect(codes(ms)).toEqual(['$.stock type']);
    expect(ms[0]?.message).toBe('Expected a string matching /^[0-9]+$/ but got a number (12)');
    expect(codes(matchBody({ stock: '12' }, { stock: null }, digits))).toEqual(['$.stock type']);
  });

  it('still matches the text of a number when the example is a number', () => {
    expect(matchBody({ n: 12 }, { n: 34 }, at('$.n', { match: 'regex', regex: '^[0-9]+$' }))).toEqual([]);
    expect(matchBody({ stock: '12' }, { stock: '34' }, digits)).toEqual([]);
  });
});

describe('a rule map changed between two calls is checked as it is now', () => {
  const rule = (matchers: RuleJson[]): RuleMap[string] => ({ combine: 'AND', matchers });

  test('a body rule added to the same map object applies on the next call', () => {
    const rules: Record<string, RuleMap[string]> = { '$.a': rule([{ match: 'type' }]) };
    expect(matchBody({ a: 1, b: 'x' }, { a: 2, b: 'x' }, rules)).toEqual([]);
    rules['$.b'] = rule([{ match: 'regex', regex: '^y$' }]);
    expect(matchBody({ a: 1, b: 'x' }, { a: 2, b: 'x' }, rules).map((m) => m.path)).toEqual(['$.b']);
  });

  test('an edited matcher does not change how another map with the old text is checked', () => {
    const regex = { match: 'regex', regex: '^1$' };
    expect(matchBody({ a: '1' }, { a: '2' }, { '$.a': rule([regex]) })).toHaveLength(1);
    regex.regex = '^2$';
    expect(matchBody({ a: '1' }, { a: '2' }, { '$.a': rule([{ match: 'regex', regex: '^1$' }]) })).toHaveLength(1);
    expect(matchBody({ a: '1' }, { a: '2' }, { '$.a': rule([regex]) })).toEqual([]);
  });

  test('a metadata rule added to the same map object applies on the next call', () => {
    const rules: Record<string, RuleMap[string]> = {};
    expect(matchMetadata({ key: 'a-1' }, { key: 'a-2' }, rules)).toHaveLength(1);
    rules['key'] = rule([{ match: 'regex', regex: '^a-\\d$' }]);
    expect(matchMetadata({ key: 'a-1' }, { key: 'a-2' }, rules)).toEqual([]);
    rules['key'] = rule([{ match: 'regex', regex: '^b-\\d$' }]);
    expect(matchMetadata({ key: 'a-1' }, { key: 'a-2' }, rules).map((m) => m.code)).toEqual(['regex']);
  });

  test("a contract's rule maps are frozen, so they cannot change behind the engine", () => {
    const contract = parseContract(
      {
        consumer: { name: 'c' },
        provider: { name: 'p' },
        messages: [{ description: 'm', contents: { a: '1' }, matchingRules: { body: { '$.a': { matchers: [{ match: 'regex', regex: '^1$' }] } } } }],
        metadata: { pactSpecification: { version: '3.0.0' } },
      },
      'c.json',
    );
    const [interaction] = contract.interactions;
    if (interaction === undefined) throw new Error('expected one interaction');
    expect(matchBody(interaction.contents.content, { a: '2' }, interaction.matchingRules.body)).toHaveLength(1);
    const matcher = interaction.matchingRules.body['$.a']?.matchers[0] as Record<string, unknown>;
    expect(() => {
      matcher['regex'] = '^2$';
    }).toThrow(TypeError);
    expect(matchBody(interaction.contents.content, { a: '2' }, interaction.matchingRules.body)).toHaveLength(1);
  });
});
