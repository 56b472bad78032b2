import type { JsonValue } from '../contract/json';
import { hasErrorCode } from '../errors/herald-error';
import { compileTemplate } from './compile';
import { dateFormat } from './date-format';
import { applyGenerators } from './generate';
import { m } from './index';
import type { SchemaPromise } from './kind';
import { normaliseRegex, oneOfValues } from './kinds/regex';
import { compileRegex } from './regex';
import { checkRule, describeRule, kindFor, ruleAccepts, ruleArrayBounds, ruleJsonSchema, ruleProvenBy } from './registry';

describe('matchers', () => {
  it('refuses examples that do not satisfy their own matcher', () => {
    expect(() => m.regex(/^\d+$/, 'abc')).toThrow(/example "abc" does not match/);
    expect(() => m.integer(1.5)).toThrow(/not an integer/);
    expect(() => m.decimal(2)).toThrow(/fractional part/);
    expect(() => m.uuid('nope')).toThrow(/not a UUID/);
    expect(() => m.datetime('yyyy-MM-dd', '2024-13-01')).toThrow(/not in the format/);
    expect(() => m.oneOf(['a', 'b'], 'c' as 'a')).toThrow(/not one of/);
    expect(() => m.eachLike(1, { min: 3, max: 2 })).toThrow(/greater than max/);
    expect(() => m.semver('1.2')).toThrow(/not a semantic version/);
  });

  it('refuses a regex that does not compile, naming the fix', () => {
    let error: unknown;
    try {
      m.regex('(a', 'a');
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_REGEX_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/\/\(a\/ in m\.regex\(\).*RE2/);
  });

  it('refuses back-references instead of running them with backtracking', () => {
    expect(() => compileRegex('(a)\\1')).toThrow(/back-references/);
  });

  it('answers ^(a+)+$ on hostile input (RE2 semantics, linear time: `npm run bench:hot-paths`)', () => {
    expect(compileRegex('^(a+)+$').test(`${'a'.repeat(50_000)}b`)).toBe(false);
    expect(compileRegex('^(a+)+$').test('a'.repeat(50_000))).toBe(true);
  });

  it('compiles AND/OR into one rule list with combine', () => {
    const compiled = compileTemplate({ v: m.or(m.integer(1), m.null()), w: m.and(m.string('abc'), m.includes('b', 'abc')) }, 'test');
    expect(compiled.rules['$.v']).toEqual({ combine: 'OR', matchers: [{ match: 'integer' }, { match: 'null' }] });
    expect(compiled.rules['$.w']).toEqual({ combine: 'AND', matchers: [{ match: 'type' }, { match: 'include', value: 'b' }] });
  });

  it('compiles eachKey / eachValue with wildcard child paths', () => {
    const compiled = compileTemplate({ stock: m.eachKey(m.regex(/^[A-Z]+$/, 'ABC'), { ABC: { qty: m.integer(2) } }) }, 'test');
    expect(compiled.rules['$.stock']?.matchers[0]).toEqual({ match: 'eachKey', rules: [{ match: 'regex', regex: '^[A-Z]+$' }] });
    expect(compiled.rules['$.stock.*.qty']?.matchers[0]).toEqual({ match: 'integer' });
    const values = compileTemplate(m.eachValue(m.integer(1), ['a', 'b']), 'test');
    expect(values.content).toEqual({ a: 1, b: 1 });
    expect(values.rules['$']?.matchers[0]).toEqual({ match: 'eachValue', rules: [{ match: 'integer' }] });
  });

  it('compiles arrayContains variants with their own rules', () => {
    const compiled = compileTemplate(m.arrayContains({ type: 'email', to: m.string('a@b.c') }, { type: 'sms', to: m.regex(/^\+\d+$/, '+441') }), 'test');
    expect(compiled.content).toEqual([
      { type: 'email', to: 'a@b.c' },
      { type: 'sms', to: '+441' },
    ]);
    expect(compiled.rules['$']?.matchers[0]).toEqual({
      match: 'arrayContains',
      variants: [
        { index: 0, rules: { '$.to': { combine: 'AND', matchers: [{ match: 'type' }] } }, generators: {} },
        { index: 1, rules: { '$.to': { combine: 'AND', matchers: [{ match: 'regex', regex: '^\\+\\d+$' }] } }, generators: {} },
      ],
    });
  });

  it('checks single values kind by kind', () => {
    expect(checkRule({ match: 'integer' }, 3, 1)).toBeUndefined();
    expect(checkRule({ match: 'integer' }, 3.5, 1)?.code).toBe('type');
    expect(checkRule({ match: 'decimal' }, 3, 1.5)?.code).toBe('type');
    expect(checkRule({ match: 'type' }, 'x', 1)?.code).toBe('type');
    expect(checkRule({ match: 'type', min: 2 }, [1], [1])?.code).toBe('length');
    expect(checkRule({ match: 'datetime', format: "yyyy-MM-dd'T'HH:mm:ss" }, '2024-02-30T10:00:00', undefined)?.code).toBe('format');
    expect(checkRule({ match: 'timestamp', timestamp: 'yyyy-MM-dd' }, '2024-02-29', undefined)).toBeUndefined();
    expect(checkRule({ match: 'semver' }, '1.2.3-rc.1', undefined)).toBeUndefined();
    expect(checkRule({ match: 'notEmpty' }, [], [1])?.code).toBe('length');
    expect(checkRule({ match: 'eachKey', rules: [{ match: 'regex', regex: '^[a-z]+$' }] }, { ok: 1, BAD: 2 }, undefined)?.code).toBe('key');
    expect(checkRule({ match: 'somethingNew' }, 1, 1)?.code).toBe('unsupported');
  });

  it('validates and formats Java-style date patterns', () => {
    const f = dateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    expect(f.matches('2024-02-29T23:59:59.123+01:00')).toBe(true);
    expect(f.matches('2023-02-29T23:59:59.123Z')).toBe(false);
    expect(f.matches('2024-01-01T24:00:00.000Z')).toBe(false);
    expect(f.format(new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10)))).toBe('2024-05-06T07:08:09.010Z');
    expect(dateFormat('dd/MM/yyyy').matches('31/04/2024')).toBe(false);
    expect(dateFormat('EEE, d MMM yyyy').matches('Mon, 6 May 2024')).toBe(true);
    expect(() => dateFormat('yyyy-BB')).toThrow(/pattern letter 'B' is not supported/);
  });

  it('applies generators along wildcard paths, leaving the declared example untouched', () => {
    const compiled = compileTemplate({ items: m.eachLike({ id: m.uuid() }, { min: 3 }), n: m.integer(), at: m.datetime() }, 'test');
    const generated = applyGenerators(compiled.content, compiled.generators) as { items: { id: string }[]; n: number; at: string };
    expect(new Set(generated.items.map((i) => i.id)).size).toBe(3);
    expect(Number.isInteger(generated.n)).toBe(true);
    expect(dateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").matches(generated.at)).toBe(true);
    expect((compiled.content as { items: { id: string }[] }).items[0]?.id).toBe('e2490de5-5bd3-43d5-b7c4-526e33f71304');
  });
});

describe('matcher kinds: what they tell comparisons and the AsyncAPI export', () => {
  const types = (match: string, example: JsonValue, rule: Record<string, JsonValue> = {}): string[] | undefined => {
    const accepted = ruleAccepts({ match, ...rule }, example);
    return accepted === undefined ? undefined : [...accepted].sort();
  };
  const promise = (over: Partial<SchemaPromise> = {}): SchemaPromise => ({ patterns: [], formats: [], minLength: 0, minItems: 0, ...over });

  it('names the JSON types each kind accepts, following the example for like-the-example kinds', () => {
    expect(types('integer', 1.5)).toEqual(['integer']);
    expect(types('decimal', 1)).toEqual(['decimal']);
    expect(types('number', 'x')).toEqual(['decimal', 'integer']);
    expect(types('boolean', 1)).toEqual(['boolean']);
    expect(types('null', 1)).toEqual(['null']);
    expect(types('type', 3)).toEqual(['decimal', 'integer']);
    expect(types('regex', 'abc', { regex: '^a' })).toEqual(['string']);
    for (const match of ['equality', 'include', 'date', 'time', 'datetime', 'semver', 'notEmpty']) expect(types(match, 'x')).toEqual(['string']);
    for (const match of ['values', 'eachKey', 'eachValue']) expect(types(match, {})).toEqual(['object']);
    expect(types('arrayContains', [])).toEqual(['array']);
  });

  it('accepts any type for rules it cannot read as types: contentType and unknown matchers', () => {
    expect(types('contentType', 'x', { value: 'application/json' })).toBeUndefined();
    expect(types('somethingNew', 'x')).toBeUndefined();
  });

  it('answers for the Pact aliases real, min, max and timestamp as their kinds do', () => {
    expect(kindFor('real')).toBe(kindFor('decimal'));
    expect(kindFor('min')).toBe(kindFor('type'));
    expect(kindFor('max')).toBe(kindFor('type'));
    expect(kindFor('timestamp')).toBe(kindFor('datetime'));
    expect(types('real', 1)).toEqual(['decimal']);
    expect(ruleArrayBounds({ match: 'min', min: 2 })).toEqual({ min: 2 });
    expect(ruleArrayBounds({ match: 'max', max: 4 })).toEqual({ max: 4 });
    expect(describeRule({ match: 'timestamp', timestamp: 'yyyy-MM-dd' }, '2024-01-15')).toBe('datetime yyyy-MM-dd');
    expect(ruleJsonSchema({ match: 'timestamp' }, '2024-01-15T09:30:00.000Z')).toEqual({ type: 'string', format: 'date-time' });
  });

  it('describes what a rule demands beyond the type, and nothing for type-only rules', () => {
    const uuid = kindFor('regex')?.describe({ match: 'regex', regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }, 'x');
    expect(uuid).toBe('uuid');
    expect(describeRule({ match: 'regex', regex: '^[0-9]+$' }, '1')).toBe('regex ^[0-9]+$');
    expect(describeRule({ match: 'regex', regex: '^(?:ACTIVE|RETIRED)$' }, 'ACTIVE')).toBe('one of "ACTIVE", "RETIRED"');
    expect(describeRule({ match: 'equality' }, 5)).toBe('exactly 5');
    expect(describeRule({ match: 'include', value: 'b' }, 'abc')).toBe('containing "b"');
    expect(describeRule({ match: 'date' }, '2024-01-15')).toBe('date ISO 8601');
    expect(describeRule({ match: 'time', format: 'HH:mm' }, '09:30')).toBe('time HH:mm');
    expect(describeRule({ match: 'semver' }, '1.0.0')).toBe('semantic version');
    expect(describeRule({ match: 'notEmpty' }, 'x')).toBe('not empty');
    for (const match of ['type', 'integer', 'decimal', 'number', 'boolean', 'null', 'values', 'eachKey', 'eachValue', 'arrayContains', 'contentType', 'somethingNew']) {
      expect(describeRule({ match }, 1)).toBeUndefined();
    }
  });

  it('gives each rule its JSON Schema fragment', () => {
    expect(ruleJsonSchema({ match: 'integer' }, 1)).toEqual({ type: 'integer' });
    expect(ruleJsonSchema({ match: 'real' }, 1.5)).toEqual({ type: 'number', not: { type: 'integer' } });
    expect(ruleJsonSchema({ match: 'number' }, 1)).toEqual({ type: 'number' });
    expect(ruleJsonSchema({ match: 'type' }, 1)).toEqual({ type: 'number' });
    expect(ruleJsonSchema({ match: 'equality' }, 'x')).toEqual({ const: 'x' });
    expect(ruleJsonSchema({ match: 'regex', regex: '^(?:A|B\\.C)$' }, 'A')).toEqual({ type: 'string', enum: ['A', 'B.C'] });
    expect(ruleJsonSchema({ match: 'regex', regex: '^[A-Z]{3}$' }, 'ABC')).toEqual({ type: 'string', pattern: '^[A-Z]{3}$' });
    expect(ruleJsonSchema({ match: 'include', value: 'a.b' }, 'xa.by')).toEqual({ type: 'string', pattern: 'a\\.b' });
    expect(ruleJsonSchema({ match: 'date', format: 'dd/MM/yyyy' }, '15/01/2024')).toEqual({ type: 'string', description: 'a date in the format dd/MM/yyyy' });
    expect(ruleJsonSchema({ match: 'time' }, '09:30:00')).toEqual({ type: 'string', description: 'a time in the format HH:mm:ss' });
    expect(ruleJsonSchema({ match: 'notEmpty' }, [1])).toEqual({ type: 'array', minItems: 1 });
    expect(ruleJsonSchema({ match: 'notEmpty' }, 'x')).toEqual({ type: 'string', minLength: 1 });
    expect(ruleJsonSchema({ match: 'contentType', value: 'image/png' }, 'x')).toEqual({});
    expect(ruleJsonSchema({ match: 'somethingNew' }, 'x')).toEqual({});
  });

  it('writes the semver pattern the semver matcher checks', () => {
    const pattern = ruleJsonSchema({ match: 'semver' }, '1.0.0')['pattern'];
    expect(typeof pattern).toBe('string');
    const re = new RegExp(String(pattern));
    const versions = ['1.2.3', '2.0.0-rc.1+build.5', '1.2', '01.2.3'];
    expect(versions.map((v) => re.test(v))).toEqual([true, true, false, false]);
    expect(versions.map((v) => checkRule({ match: 'semver' }, v, undefined) === undefined)).toEqual([true, true, false, false]);
  });

  it("describes a map's keys on the map, and nothing on the values Pact cascades a collection rule to", () => {
    const eachKey = { match: 'eachKey', rules: [{ match: 'regex', regex: '^[A-Z]+$' }] };
    expect(ruleJsonSchema(eachKey, { AB: 1 })).toEqual({ type: 'object', propertyNames: { pattern: '^[A-Z]+$' } });
    expect(ruleJsonSchema(eachKey, 1)).toEqual({});
    expect(ruleJsonSchema({ match: 'values' }, { a: 1 })).toEqual({ type: 'object' });
    expect(ruleJsonSchema({ match: 'arrayContains' }, 'x')).toEqual({});
  });

  it('is proven by a spec pattern, format or minimum that guarantees it, and only then', () => {
    const uuid = { match: 'regex', regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' };
    expect(ruleProvenBy({ match: 'regex', regex: '^[0-9]+$' }, promise({ patterns: ['^(?:\\d+)$'] }))).toBe(true);
    expect(ruleProvenBy({ match: 'regex', regex: '^[0-9]+$' }, promise({ patterns: ['^[a-z]+$'] }))).toBe(false);
    expect(ruleProvenBy(uuid, promise({ formats: ['uuid'] }))).toBe(true);
    expect(ruleProvenBy({ match: 'regex', regex: '^x$' }, promise({ formats: ['uuid'] }))).toBe(false);
    expect(ruleProvenBy({ match: 'timestamp' }, promise({ formats: ['date-time'] }))).toBe(true);
    expect(ruleProvenBy({ match: 'date' }, promise({ formats: ['date-time'] }))).toBe(false);
    expect(ruleProvenBy({ match: 'time' }, promise({ formats: ['time'] }))).toBe(true);
    expect(ruleProvenBy({ match: 'notEmpty' }, promise({ minLength: 1 }))).toBe(true);
    expect(ruleProvenBy({ match: 'notEmpty' }, promise())).toBe(false);
    expect(ruleProvenBy({ match: 'type' }, promise())).toBe(true);
    expect(ruleProvenBy({ match: 'include', value: 'a' }, promise({ patterns: ['^a$'] }))).toBe(false);
    expect(ruleProvenBy({ match: 'somethingNew' }, promise({ formats: ['uuid'] }))).toBe(false);
  });

  it('bounds array lengths only for type rules and arrayContains', () => {
    expect(ruleArrayBounds({ match: 'type', min: 1, max: 3 })).toEqual({ min: 1, max: 3 });
    expect(ruleArrayBounds({ match: 'type' })).toEqual({});
    expect(ruleArrayBounds({ match: 'arrayContains' })).toEqual({});
    expect(ruleArrayBounds({ match: 'equality' })).toBeUndefined();
    expect(ruleArrayBounds({ match: 'somethingNew' })).toBeUndefined();
  });

  it('reads the values m.oneOf() writes back from its regex, refusing other expressions', () => {
    expect(oneOfValues('^(?:A|B\\.C|)$')).toEqual(['A', 'B.C', '']);
    expect(oneOfValues('^(?:A|B.C)$')).toBeUndefined();
    expect(oneOfValues('^[AB]$')).toBeUndefined();
  });

  it('spells equivalent full-match expressions alike', () => {
    expect(new Set(['^(?:\\d+)$', '^\\d+$', '\\d+', '^[0-9]+$'].map(normaliseRegex))).toEqual(new Set(['\\d+']));
    expect(normaliseRegex('^a\\$')).toBe('a\\$');
  });
});
