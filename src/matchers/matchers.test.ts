import { hasErrorCode } from '../errors/herald-error';
import { compileTemplate } from './compile';
import { dateFormat } from './date-format';
import { applyGenerators } from './generate';
import { m } from './index';
import { compileRegex } from './regex';
import { checkRule } from './registry';

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

  it('runs ^(a+)+$ on hostile input in linear time', () => {
    const started = process.hrtime.bigint();
    expect(compileRegex('^(a+)+$').test(`${'a'.repeat(50_000)}b`)).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
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
    expect(compiled.content).toEqual([{ type: 'email', to: 'a@b.c' }, { type: 'sms', to: '+441' }]);
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
    expect(() => dateFormat('yyyy-QQ')).toThrow(/pattern letter 'Q' is not supported/);
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
