/**
 * Reporters are pure functions of a VerificationReport: console (colour, quiet), json (exact
 * shape), junit (well-formed, escaped).
 */
import { formatPairLine, formatReport, renderConsoleReport, renderJsonReport, renderJunitReport, renderReport, shouldColor, toJsonReport } from '../../../src/report/index';
import type { InteractionResult, VerificationReport } from '../../../src/verify/result';
import { summarise } from '../../../src/verify/result';
import { findAll, parseXml } from './xml';

const ANSI = /\u001b\[/;

function result(overrides: Partial<InteractionResult> & Pick<InteractionResult, 'description' | 'status'>): InteractionResult {
  return { consumer: 'shipping', provider: 'orders', contractFile: 'contracts/shipping-orders.json', mismatches: [], notes: [], pending: false, durationMs: 1.23456, ...overrides };
}

const qtyMismatch = { code: 'type', part: 'body', path: '$.items[0].qty', expected: 1, actual: '2', message: 'Expected an integer but got "2"' } as const;

const results: InteractionResult[] = [
  result({ description: 'an OrderPlaced event', status: 'passed', notes: ['The channel was not checked'] }),
  result({ description: 'an OrderShipped event', status: 'failed', mismatches: [qtyMismatch] }),
  result({
    description: 'an OrderShiped event',
    status: 'no-factory',
    error: { code: 'HERALD_NO_FACTORY', message: 'No message factory for "an OrderShiped event". Did you mean "an OrderShipped event"?' },
  }),
  result({ description: 'a ledger entry', status: 'state-failed', error: { code: 'HERALD_STATE_TIMEOUT', message: 'The state handler "the ledger is slow" did not finish within 200 ms' } }),
  result({ consumer: 'audit', contractFile: 'contracts/audit-orders.json', description: 'a draft event', status: 'pending', pending: true, mismatches: [{ ...qtyMismatch, path: '$.stock' }] }),
];
const report: VerificationReport = { summary: summarise(results, ['a retired event'], 42.4), results };
const passing: VerificationReport = { summary: summarise([results[0] as InteractionResult], [], 3), results: [results[0] as InteractionResult] };

describe('shouldColor', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    [true, { TERM: 'dumb' }, false],
  ])('isTTY=%s env=%j gives %s', (isTTY, env, expected) => {
    expect(shouldColor(isTTY, env)).toBe(expected);
  });
});

describe('console reporter', () => {
  it('prints a progress line per pair with its counts', () => {
    expect(formatPairLine({ consumer: 'shipping', provider: 'orders', results: [results[0] as InteractionResult, results[0] as InteractionResult] })).toBe('✓ shipping → orders  2 passed');
    expect(formatPairLine({ consumer: 'shipping', provider: 'orders', results: results.slice(0, 2) })).toBe('✗ shipping → orders  1 passed, 1 failed');
  });

  it('ends with the summary line', () => {
    expect(renderConsoleReport(report).trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 pending, 1 without factory, 1 state failed (42 ms)');
  });

  it('renders failures with contract file, interaction and the diff at the mismatch path', () => {
    const text = renderConsoleReport(report);
    expect(text).toContain('Failures (3):');
    expect(text).toContain('Contract: contracts/shipping-orders.json (shipping → orders)');
    expect(text).toContain('Interaction: "an OrderShipped event"');
    expect(text).toMatch(/\$\.items\[0\]\.qty \[type\]\n\s+Expected an integer but got "2"\n\s+- expected: 1\n\s+\+ actual: +"2"/);
    expect(text).toContain('HERALD_NO_FACTORY: No message factory for "an OrderShiped event". Did you mean "an OrderShipped event"?');
    expect(text).toContain('HERALD_STATE_TIMEOUT');
  });

  it('lists pending failures apart, notes and unused factories', () => {
    const text = renderConsoleReport(report);
    expect(text).toContain('Pending, failing without failing the run (1):');
    expect(text).toContain('$.stock');
    expect(text).toContain('Notes:\n  - shipping → orders "an OrderPlaced event": The channel was not checked');
    expect(text).toContain('Unused factories (1)');
    expect(text).toContain('  - "a retired event"');
  });

  it('prints a note many interactions share once, with how many and the first names', () => {
    const many = Array.from({ length: 120 }, (_, i) => result({ description: `event ${i}`, status: 'passed', notes: ['The channel was not checked'] }));
    const text = renderConsoleReport({ summary: summarise(many, [], 5), results: many });
    expect(text).toContain('Notes:\n  - The channel was not checked (120 interactions: shipping → orders "event 0", shipping → orders "event 1", shipping → orders "event 2" and 117 more)\n');
    expect(text.match(/The channel was not checked/g)).toHaveLength(1);
  });

  it('prints only failures and the summary when quiet', () => {
    const text = renderConsoleReport(report, { quiet: true });
    expect(text).toContain('Failures (3):');
    expect(text).not.toContain('Pending');
    expect(text).not.toContain('Notes:');
    expect(text).not.toContain('Unused factories');
    expect(renderConsoleReport(passing, { quiet: true })).toBe('1 passed, 0 failed, 0 pending, 0 without factory, 0 state failed (3 ms)\n');
  });

  it('colours only when asked', () => {
    expect(renderConsoleReport(report)).not.toMatch(ANSI);
    expect(formatReport(report)).not.toMatch(ANSI);
    expect(renderConsoleReport(report, { color: true })).toMatch(ANSI);
    expect(formatPairLine({ consumer: 'a', provider: 'b', results }, { color: true })).toMatch(ANSI);
  });

  it('shows control characters from contracts as text, so they cannot drive the terminal', () => {
    const nasty = result({ description: 'x\u001b[2Jy', status: 'no-factory', error: { code: 'HERALD_NO_FACTORY', message: 'No message factory for "x\u001b[2Jy"' } });
    const text = renderConsoleReport({ summary: summarise([nasty], [], 1), results: [nasty] });
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('x\\u001b[2Jy');
  });
});

describe('json reporter', () => {
  it('has exactly the documented shape, mismatches as-is', () => {
    const json: unknown = JSON.parse(renderJsonReport(report));
    expect(json).toEqual(toJsonReport(report));
    expect(Object.keys(toJsonReport(report))).toEqual(['summary', 'results']);
    expect(Object.keys(toJsonReport(report).summary)).toEqual(['passed', 'failed', 'pending', 'noFactory', 'stateFailed', 'total', 'unusedFactories', 'durationMs', 'ok', 'producedBy']);
    expect(toJsonReport(report).summary).toEqual({
      passed: 1,
      failed: 1,
      pending: 1,
      noFactory: 1,
      stateFailed: 1,
      total: 5,
      unusedFactories: ['a retired event'],
      durationMs: 42.4,
      ok: false,
      producedBy: 'factories',
    });
    const [first, second, third] = toJsonReport(report).results;
    expect(Object.keys(first ?? {})).toEqual(['consumer', 'provider', 'description', 'contractFile', 'status', 'mismatches', 'notes', 'pending', 'durationMs']);
    expect(second?.mismatches).toEqual([qtyMismatch]);
    expect(third?.error).toEqual({ code: 'HERALD_NO_FACTORY', message: expect.stringContaining('Did you mean') });
    expect(first?.durationMs).toBe(1.235);
  });

  it('writes null for a result without a contract file', () => {
    const { contractFile: _, ...rest } = result({ description: 'in memory', status: 'passed' });
    expect(toJsonReport({ summary: summarise([rest], [], 0), results: [rest] }).results[0]?.contractFile).toBeNull();
  });
});

describe('junit reporter', () => {
  it('writes one testsuite per pair and one testcase per interaction', () => {
    const root = parseXml(renderJunitReport(report));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '5', failures: '3', skipped: '1' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => [s.attributes['name'], s.attributes['tests'], s.attributes['failures']])).toEqual([
      ['shipping → orders', '4', '3'],
      ['audit → orders', '1', '0'],
    ]);
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attributes['name'])).toEqual(results.map((r) => r.description));
    expect(cases[0]?.attributes['classname']).toBe('shipping → orders');
  });

  it('marks failures with the error code or "mismatch", and pending as skipped', () => {
    const root = parseXml(renderJunitReport(report));
    const failures = findAll(root, 'failure');
    expect(failures.map((f) => f.attributes['type'])).toEqual(['mismatch', 'HERALD_NO_FACTORY', 'HERALD_STATE_TIMEOUT']);
    expect(failures[0]?.attributes['message']).toContain('$.items[0].qty');
    expect(failures[0]?.text).toContain('- expected: 1');
    const skipped = findAll(root, 'skipped');
    expect(skipped.map((s) => s.attributes['message'])).toEqual(['pending']);
  });

  it.each([
    ['markup characters', '<&">\' and ]]>', '<&">\' and ]]>'],
    ['line breaks and tabs', 'a\nb\r\nc\td', 'a\nb\r\nc\td'],
    ['control characters', 'bell\u0007 esc\u001b[31m nul\u0000', 'bell\\u0007 esc\\u001b[31m nul\\u0000'],
    ['a lone surrogate', 'half \uD83D', 'half \\ud83d'],
    ['an emoji', 'ok 😀', 'ok 😀'],
  ])('escapes %s in names, messages and text', (_, description, shown) => {
    const r = result({ description, status: 'no-factory', error: { code: 'HERALD_NO_FACTORY', message: `No message factory for ${description}` } });
    const xml = renderJunitReport({ summary: summarise([r], [], 1), results: [r] });
    const root = parseXml(xml);
    const [testcase] = findAll(root, 'testcase');
    expect(testcase?.attributes['name']).toBe(shown);
    expect(findAll(root, 'failure')[0]?.attributes['message']).toBe(`No message factory for ${shown}`);
  });

  it('is chosen by name, as are the others', () => {
    expect(renderReport('junit', report)).toBe(renderJunitReport(report));
    expect(renderReport('json', report)).toBe(renderJsonReport(report));
    expect(renderReport('console', report)).toBe(formatReport(report));
  });
});
