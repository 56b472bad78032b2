import { pairCache } from './pair-cache';

describe('pairCache', () => {
  it('decides each pair once and tells apart pairs whose joined text is the same', () => {
    const calls: string[] = [];
    const same = pairCache((a, b) => {
      calls.push(`${a}|${b}`);
      return a === b;
    });
    expect(same('a\u0000b', 'c')).toBe(false);
    expect(same('a', 'b\u0000c')).toBe(false);
    expect(same('x', 'x')).toBe(true);
    expect(same('x', 'x')).toBe(true);
    expect(calls).toEqual(['a\u0000b|c', 'a|b\u0000c', 'x|x']);
  });

  it('forgets everything past its limit and decides again', () => {
    let calls = 0;
    const decide = pairCache(() => (calls += 1) > 0, 2);
    decide('a', '1');
    decide('a', '2');
    decide('b', '1'); // over the limit: starts afresh
    decide('a', '1');
    expect(calls).toBe(4);
    decide('b', '1');
    expect(calls).toBe(4);
  });
});
