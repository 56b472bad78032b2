import { linearNativeRegex } from './linear-regex';
import { compileRegex } from './regex';

const re2Whole = (source: string, text: string): boolean => compileRegex(`^(?:${source})$`).test(text);

describe('linearNativeRegex', () => {
  it.each([
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    '^[A-Z]{3}-\\d+$',
    '^(EUR|GBP|USD)$',
    '^(?:OrderPlaced|OrderPaid)$',
    '\\d{4}-\\d{2}-\\d{2}',
    'ab?c*d+e{2,}f{1,3}',
    '[a-z_]+\\.[a-z]+',
    'v\\d+(\\.x|\\.y)',
  ])('takes %s natively', (source) => {
    expect(linearNativeRegex(source)).toBeInstanceOf(RegExp);
  });

  it.each([
    ['a wildcard (. differs on \\r and line separators)', '^a.b$'],
    ['a negated class (one code unit or one code point)', '^[^a]$'],
    ['\\s, \\w and \\b', '^\\s\\w\\b$'],
    ['a quantified group', '^(a+)+$'],
    ['a run followed by what it can match (backtracking)', '^\\d+\\d+$'],
    ['a run followed by an optional atom, then what it can match', '^a*b?a$'],
    ['a run before a group starting with what it can match', '^\\d*(1|2)$'],
    ['two groups', '^(a|b)(c|d)$'],
    ['an inline flag', '(?i)^abc$'],
    ['a POSIX class, which JavaScript reads as literals', '^[[:alpha:]]$'],
    ['a class starting with ]', '^[]a]$'],
    ['a lazy quantifier', '^a+?$'],
    ['alternation outside a group', '^a|b$'],
    ['a non-ASCII literal', '^é$'],
    ['a control character', '^\t$'],
    ['a quantifier inside an alternative', '^(a+|b)$'],
  ])('leaves %s to RE2', (_what, source) => {
    expect(linearNativeRegex(source)).toBeUndefined();
  });

  it('decides as RE2 does on random expressions of the subset and around it, for random texts', () => {
    let seed = 3;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) % n;
    const atoms = ['a', 'b', '-', '\\d', '[a-c]', '[b\\-]', '[0-9x]', '\\.', '.', '[^a]', '\\w', 'é'];
    const quantifiers = ['', '', '', '?', '*', '+', '{2}', '{1,2}', '{0,}', '+?'];
    const texts = ['', 'a', 'b', 'ab', 'aab', 'a-b', '1', '12', 'x', '-', '.', '\n', 'é', '\uD83D\uDE00', 'a\r', 'ba1', 'abab', 'a.b', '0x-'];
    let native = 0;
    for (let n = 0; n < 1500; n++) {
      let source = next(2) === 0 ? '^' : '';
      const length = 1 + next(4);
      for (let k = 0; k < length; k++) {
        if (next(6) === 0) source += `(${['a', 'b', 'ab', '\\d', 'a-'].filter(() => next(2) === 0).join('|') || 'a'})`;
        else source += `${atoms[next(atoms.length)] ?? 'a'}${quantifiers[next(quantifiers.length)] ?? ''}`;
      }
      if (next(2) === 0) source += '$';
      let valid = true;
      try {
        compileRegex(source);
      } catch {
        valid = false;
      }
      const fast = valid ? linearNativeRegex(source) : undefined;
      if (fast === undefined) continue;
      native += 1;
      for (let t = 0; t < 6; t++) {
        const text = Array.from({ length: next(4) }, () => texts[next(texts.length)] ?? '').join('');
        expect({ source, text, verdict: fast.test(text) }).toEqual({ source, text, verdict: re2Whole(source, text) });
      }
    }
    expect(native).toBeGreaterThan(300); // the generator does reach the native path
  });
});
