import { appendKey, formatPath, formatTokens, parsePath, pathWeight, type PathToken } from './path';
import { selectRule } from './engine';
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

  it.each(['$.', '$[', "$['']", "$['open", '$abc', '$.a!', '$[a]', '$.a[1', '.a'])('refuses %j with a reason', (path) => {
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
    expect(formatPath(["it's", 'x-y'])).toBe("$['it\\'s']['x-y']");
    expect(appendKey('$', '2')).toBe("$['2']");
  });

  it('round-trips through parsePath', () => {
    const path = formatPath(['a.b', 0, 'c d']);
    expect(tokens(path)).toEqual([{ kind: 'root' }, { kind: 'field', name: 'a.b' }, { kind: 'index', index: 0 }, { kind: 'field', name: 'c d' }]);
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
