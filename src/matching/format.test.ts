import { formatMismatch, formatMismatches } from './format';
import type { Mismatch } from '../matchers/mismatch';

const qty: Mismatch = {
  code: 'type',
  part: 'body',
  path: '$.items[0].qty',
  expected: 'integer',
  actual: '2',
  rule: { match: 'integer' },
  message: 'Expected an integer but got "2"',
};
const trace: Mismatch = { code: 'missing', part: 'metadata', path: 'trace-id', expected: 'abc', actual: undefined, message: 'Expected the metadata key "trace-id" but it is missing' };
const context = { contractFile: 'contracts/billing-orders.json', consumer: 'billing', provider: 'orders', interaction: 'an order created event' };
const ESC = '\u001b[';

describe('formatMismatch', () => {
  it('renders one line with path, message and code', () => {
    expect(formatMismatch(qty)).toBe('$.items[0].qty: Expected an integer but got "2" [type]');
  });

  it('names metadata mismatches by key', () => {
    expect(formatMismatch(trace)).toBe('metadata trace-id: Expected the metadata key "trace-id" but it is missing [missing]');
  });
});

describe('formatMismatches', () => {
  it('names the contract file, consumer → provider and the interaction', () => {
    const text = formatMismatches([qty], context);
    expect(text.split('\n').slice(0, 3)).toEqual(['Contract: contracts/billing-orders.json (billing → orders)', 'Interaction: "an order created event"', '1 mismatch:']);
  });

  it('renders a block per mismatch with an expected/actual diff', () => {
    const text = formatMismatches([qty, trace], context);
    expect(text).toContain(['  1) $.items[0].qty [type]', '     Expected an integer but got "2"', '     - expected: "integer"', '     + actual:   "2"'].join('\n'));
    expect(text).toContain(['  2) metadata trace-id [missing]', '     Expected the metadata key "trace-id" but it is missing', '     - expected: "abc"', '     + actual:   (absent)'].join('\n'));
    expect(text).toContain('2 mismatches:');
  });

  it('spreads object values over several diff lines', () => {
    const m: Mismatch = { code: 'contains', part: 'body', path: '$.to', expected: { type: 'sms' }, actual: [{ type: 'email' }], message: 'No item matches' };
    const lines = formatMismatches([m], {}).split('\n');
    expect(lines).toEqual(expect.arrayContaining(['     - expected:', '     -   {', '     -     "type": "sms"', '     -   }', '     + actual:', '     +   [']));
  });

  it('cuts very long values', () => {
    const m: Mismatch = { code: 'value', part: 'body', path: '$', expected: Array.from({ length: 100 }, (_, i) => i), actual: [], message: 'x' };
    expect(formatMismatches([m], {})).toContain('... (82 more lines)');
  });

  it('uses no colour unless asked, and red/green when asked', () => {
    expect(formatMismatches([qty], context)).not.toContain(ESC);
    const coloured = formatMismatches([qty], context, { color: true });
    expect(coloured).toContain(`${ESC}31m     - expected: "integer"${ESC}0m`);
    expect(coloured).toContain(`${ESC}32m     + actual:   "2"${ESC}0m`);
  });

  it('says so when there is nothing to report, and works without context', () => {
    expect(formatMismatches([], {})).toBe('No mismatches.');
    expect(formatMismatches([], { consumer: 'billing' })).toBe('Contract: consumer billing\nNo mismatches.');
  });
});
