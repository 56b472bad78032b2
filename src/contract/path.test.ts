import fc from 'fast-check';
import { appendKey, formatPath, formatTokens, parsePath, pathWeight, type PathSegment, type PathToken } from './path';
import { compileTemplate } from '../matchers/compile';
import { m } from '../matchers';
import { selectRule } from '../matching/engine';
import type { RuleList, RuleMap } from '../contract/model';

const tokens = (path: string): readonly PathToken[] => {
  const parsed = parsePath(path);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.tokens;
};

describe('parsePath', () => {
  it.each([
    ['$', [{ kind: 'root' }]],
    ['$.a.b', [{ kind: 'root' }, { kind: 'field', name: 'a' }, { kind: 'field', name: 'b' }]],
    ["$['a b']", [{ kind: 'root' }, { kind: 'field', name: 'a b' }]],
    ["$['a.b'].c", [{ kind: 'root' }, { kind: 'field', name: 'a.b' }, { kind: 'field', name: 'c' }]],
    ['$.items[0]', [{ kind: 'root' }, { kind: 'field', name: 'items' }, { kind: 'index', index: 0 }]],
    ['$.items[*]', [{ kind: 'root' }, { kind: 'field', name: 'items' }, { kind: 'starIndex' }]],
    ['$.*', [{ kind: 'root' }, { kind: 'star' }]],
    ['$.a[*].b', [{ kind: 'root' }, { kind: 'field', name: 'a' }, { kind: 'starIndex' }, { kind: 'field', name: 'b' }]],
    ['$.user-id.@attr', [{ kind: 'root' }, { kind: 'field', name: 'user-id' }, { kind: 'field', name: '@attr' }]],
    ["$['2'].str", [{ kind: 'root' }, { kind: 'field', name: '2' }, { kind: 'field', name: 'str' }]],
    ['a.b', [{ kind: 'root' }, { kind: 'field', name: 'a' }, { kind: 'field', name: 'b' }]],
    ['', []],
  ])('parses %j', (path, expected) => {
    expect(parsePath(path)).toEqual({ ok: true, tokens: expected });
  });

  it.each(['$.', '$[', "$['open", "$['a\\']", '$abc', '$.a!', '$[a]', '$.a[1', '.a'])('refuses %j with a reason', (path) => {
    const parsed = parsePath(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(path);
  });

  it('renders tokens back to a rule path', () => {
    expect(formatTokens(tokens("$.a['b c'][2][*].*"))).toBe("$.a['b c'][2][*].*");
  });
});

describe('pathWeight (Pact weighting)', () => {
  // The table in pact-rust's crate documentation, for the value at $.item1.level[1].id.
  const concrete = ['$', 'item1', 'level', 1, 'id'];
  it.each([
    ['$', 2],
    ['$.item1', 4],
    ['$.item2', 0],
    ['$.item1.level', 8],
    ['$.item1.level[1]', 16],
    ['$.item1.level[1].id', 32],
    ['$.item1.level[1].name', 0],
    ['$.item1.level[2]', 0],
    ['$.item1.level[*].id', 16],
    ['$.*.level[*].id', 8],
  ])('weighs %s as %d', (path, weight) => {
    expect(pathWeight(tokens(path), concrete)).toBe(weight);
  });

  it('gives no weight to a rule longer than the path', () => {
    expect(pathWeight(tokens('$.a.b'), ['$', 'a'])).toBe(0);
  });

  it('lets [*] match indexes only, and * match keys and indexes', () => {
    expect(pathWeight(tokens('$[*]'), ['$', 'name'])).toBe(0);
    expect(pathWeight(tokens('$[*]'), ['$', 3])).toBe(2);
    expect(pathWeight(tokens('$.*'), ['$', 3])).toBe(2);
    expect(pathWeight(tokens('$.*'), ['$', 'name'])).toBe(2);
  });
});

describe('formatPath', () => {
  it('renders concrete paths in Pact notation', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['items', 0, 'qty'])).toBe('$.items[0].qty');
    expect(formatPath(['a b', 'c'])).toBe("$['a b'].c");
    expect(formatPath(["it's", 'x-y'])).toBe("$['it\\'s'].x-y");
    expect(appendKey('$', '2')).toBe("$['2']");
  });

  it('round-trips through parsePath', () => {
    const path = formatPath(['a.b', 0, 'c d']);
    expect(tokens(path)).toEqual([{ kind: 'root' }, { kind: 'field', name: 'a.b' }, { kind: 'index', index: 0 }, { kind: 'field', name: 'c d' }]);
  });
});

describe('one grammar for writing and reading keys', () => {
  it.each([
    ['a\\b', "$['a\\\\b']"],
    ["it's", "$['it\\'s']"],
    ['', "$['']"],
    ['*', "$['*']"],
    ['0', "$['0']"],
    ["\\'", "$['\\\\\\'']"],
  ])('writes the key %j as %s and reads it back', (key, written) => {
    expect(formatPath([key])).toBe(written);
    expect(tokens(written)).toEqual([{ kind: 'root' }, { kind: 'field', name: key }]);
  });

  it('reads a backslash before any other character literally', () => {
    expect(tokens("$['a\\b']")).toEqual([{ kind: 'root' }, { kind: 'field', name: 'a\\b' }]);
  });

  it('applies a DSL rule on a key with a backslash or a quote (the rule path names the same key)', () => {
    const compiled = compileTemplate({ 'a\\b': m.integer(1), "it's": m.string('x') }, 'test');
    const paths = Object.keys(compiled.rules);
    expect(paths).toHaveLength(2);
    expect(selectRule(compiled.rules, ['a\\b'])).toEqual({ path: paths[0], cascaded: false });
    expect(selectRule(compiled.rules, ["it's"])).toEqual({ path: paths[1], cascaded: false });
  });

  // Keys from the whole of Unicode, weighted towards the characters the grammar gives meaning to.
  const key = fc.oneof(fc.string({ unit: fc.constantFrom("'", '\\', '.', '[', ']', '*', '$', ' ', 'a', '0', '-', '_', 'é', '😀') }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
  const segment: fc.Arbitrary<PathSegment> = fc.oneof(key, fc.nat({ max: 1_000_000 }));

  it('round-trips any concrete path through formatPath and parsePath', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        const expected: PathToken[] = [{ kind: 'root' }, ...segments.map((s): PathToken => (typeof s === 'number' ? { kind: 'index', index: s } : { kind: 'field', name: s }))];
        expect(parsePath(formatPath(segments))).toEqual({ ok: true, tokens: expected });
      }),
      { seed: 1010, numRuns: 500 },
    );
  });

  it('round-trips any rule path (with wildcards) through formatTokens and parsePath', () => {
    const token: fc.Arbitrary<PathToken> = fc.oneof(
      key.map((name): PathToken => ({ kind: 'field', name })),
      fc.nat({ max: 1000 }).map((index): PathToken => ({ kind: 'index', index })),
      fc.constant<PathToken>({ kind: 'star' }),
      fc.constant<PathToken>({ kind: 'starIndex' }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), (rest) => {
        const all: PathToken[] = [{ kind: 'root' }, ...rest];
        expect(parsePath(formatTokens(all))).toEqual({ ok: true, tokens: all });
      }),
      { seed: 1011, numRuns: 500 },
    );
  });
});

describe('selectRule', () => {
  const list: RuleList = { combine: 'AND', matchers: [{ match: 'type' }] };
  const rules: RuleMap = { $: list, '$.items': list, '$.items[*].qty': list, '$.items[1].qty': list, '$.*.name': list, '$.a.*': list };

  it('picks the most specific rule', () => {
    expect(selectRule(rules, ['items', 0, 'qty'])).toEqual({ path: '$.items[*].qty', cascaded: false });
    expect(selectRule(rules, ['items', 1, 'qty'])).toEqual({ path: '$.items[1].qty', cascaded: false });
  });

  it('cascades a parent rule to children', () => {
    expect(selectRule(rules, ['items', 0])).toEqual({ path: '$.items', cascaded: true });
    expect(selectRule(rules, ['other', 'deep'])).toEqual({ path: '$', cascaded: true });
  });

  it('breaks a tie by declaration order', () => {
    // $.*.name and $.a.* both weigh 2×1×2 = 2×2×1 for $.a.name.
    expect(selectRule(rules, ['a', 'name'])).toEqual({ path: '$.*.name', cascaded: false });
  });

  it('finds nothing without a matching rule', () => {
    expect(selectRule({ '$.x': list }, ['y'])).toBeUndefined();
  });
});
