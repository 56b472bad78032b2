import fc from 'fast-check';
import { copyJson, type JsonValue } from '../contract/json';
import { copyExample } from './generate';

/** The same JSON value, key order and -0 included (toEqual alone ignores key order). */
function expectSameCopy(value: JsonValue): void {
  const direct = copyExample(value);
  const viaText = copyJson(value);
  expect(direct).toEqual(viaText);
  expect(JSON.stringify(direct)).toBe(JSON.stringify(viaText));
  if (typeof value === 'object' && value !== null) expect(direct).not.toBe(value);
}

describe('copyExample', () => {
  it('makes the copy JSON.parse(JSON.stringify(…)) makes, on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectSameCopy(value as JsonValue)),
      { numRuns: 500 },
    );
  });

  it('writes -0 as 0, as JSON does', () => {
    expect(Object.is(copyExample(-0), 0)).toBe(true);
    expect(Object.is((copyExample([-0]) as number[])[0], 0)).toBe(true);
  });

  it('leaves what JSON transforms to JSON: toJSON, non-finite numbers, undefined, holes, class instances, __proto__ keys, depth', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 500; i++) deep = [deep];
    const odd: unknown[] = [
      { at: new Date(0) },
      { n: Number.NaN, m: Number.POSITIVE_INFINITY },
      { u: undefined, f: () => 1, s: Symbol('s') },
      [1, , 3], // eslint-disable-line no-sparse-arrays
      [undefined],
      { m: new Map([[1, 2]]) },
      JSON.parse('{"__proto__": {"a": 1}, "b": 2}'),
      { toJSON: () => 'replaced' },
      Object.assign([1, 2], { toJSON: () => 'array' }),
      Object.assign(Object.create(null), { a: 1 }),
      { toJSON: 'a plain key' },
      deep,
    ];
    for (const value of odd) expectSameCopy(value as JsonValue);
  });

  it('throws where JSON throws (a BigInt)', () => {
    expect(() => copyExample({ n: 1n } as unknown as JsonValue)).toThrow(TypeError);
  });
});
