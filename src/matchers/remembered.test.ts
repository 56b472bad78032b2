import { dateFormat } from './date-format';
import { compileRegex } from './regex';
import { remembered } from './remembered';

describe('remembered', () => {
  it('gives the verdicts of the test it wraps, false ones included, and runs it once per short text', () => {
    const seen: string[] = [];
    const isUpper = remembered((text: string) => {
      seen.push(text);
      return /^[A-Z]+$/.test(text);
    });
    expect([isUpper('ABC'), isUpper('abc'), isUpper('ABC'), isUpper('abc')]).toEqual([true, false, true, false]);
    expect(seen).toEqual(['ABC', 'abc']);
  });

  it('stays right past its bound and never remembers long texts', () => {
    let calls = 0;
    const even = remembered((text: string) => {
      calls += 1;
      return text.length % 2 === 0;
    });
    for (let i = 0; i < 1000; i += 1) expect(even('x'.repeat(i % 300))).toBe((i % 300) % 2 === 0);
    const long = 'y'.repeat(5000);
    even(long);
    const before = calls;
    expect(even(long)).toBe(true);
    expect(calls).toBe(before + 1);
  });
});

describe('remembered verdicts in the matchers', () => {
  it('a compiled regex keeps rejecting a text it rejected before', () => {
    const sku = compileRegex('^[A-Z]{3}-\\d+$');
    expect([sku.test('ABC-1'), sku.test('abc-1'), sku.test('ABC-1'), sku.test('abc-1')]).toEqual([true, false, true, false]);
  });

  it('a date format keeps explaining a value it refused before', () => {
    const day = dateFormat('yyyy-MM-dd');
    const first = day.explain('2023-02-30');
    expect(first).toMatch(/30/);
    expect(day.explain('2023-02-30')).toBe(first);
    expect(day.matches('2023-02-30')).toBe(false);
    expect(day.matches('2023-02-28')).toBe(true);
  });
});
