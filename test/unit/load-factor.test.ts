import { loadFactor, MAX_LOAD_FACTOR, scaledTimeout } from './load-factor';

describe('time budgets scaled by machine load', () => {
  it('is 1 on a quiet machine and grows with the load per core', () => {
    expect(loadFactor({}, 0.3, 2)).toBe(1);
    expect(loadFactor({}, 6, 2)).toBe(3);
    expect(loadFactor({}, 100, 2)).toBe(MAX_LOAD_FACTOR);
  });

  it('takes HERALD_TEST_LOAD_FACTOR over the measured load, and refuses a value below 1', () => {
    expect(loadFactor({ HERALD_TEST_LOAD_FACTOR: '4' }, 0, 2)).toBe(4);
    expect(() => loadFactor({ HERALD_TEST_LOAD_FACTOR: '0.5' }, 0, 2)).toThrow('Invalid HERALD_TEST_LOAD_FACTOR "0.5": use a number ≥ 1');
  });

  it('scales a base budget and rounds it up to a second', () => {
    expect(scaledTimeout(120_000, 1)).toBe(120_000);
    expect(scaledTimeout(120_000, 2.5)).toBe(300_000);
    expect(scaledTimeout(1_500, 1.1)).toBe(2_000);
  });
});
