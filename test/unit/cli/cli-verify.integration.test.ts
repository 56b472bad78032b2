/**
 * `herald verify` end to end: the real CLI on fixture contracts and factories, checking exit
 * statuses, console output, and the json / junit reports.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANSI, CONTRACTS, FACTORIES, lastLine, verify, type CliRun } from './run-cli';
import { findAll, parseXml } from './xml';

jest.setTimeout(120_000);

const SUMMARY = /^\d+ passed, \d+ failed, \d+ pending, \d+ without factory, \d+ state failed \(\d+ ms\)$/;
const shipping = ['--contracts', `${CONTRACTS}/shipping-orders.json`];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'herald-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a provider that keeps the contract', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await verify([...shipping, '--factories', `${FACTORIES}/orders.factories.ts`]);
  });

  it('exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('prints the pair line, then the summary line', () => {
    expect(run.stdout.split('\n')[0]).toBe('✓ shipping → orders  3 passed');
    expect(lastLine(run.stdout)).toMatch(SUMMARY);
    expect(lastLine(run.stdout)).toMatch(/^3 passed, 0 failed, 0 pending, 0 without factory, 0 state failed/);
  });

  it('has no colour when stdout is not a terminal', () => {
    expect(run.stdout).not.toMatch(ANSI);
  });
});

describe('a provider that breaks the contract', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await verify([...shipping, '--factories', `${FACTORIES}/broken.factories.ts`]);
  });

  it('exits 1', () => {
    expect(run.code).toBe(1);
  });

  it('names the contract file, the interaction and the mismatch path with a diff', () => {
    expect(run.stdout).toContain('✗ shipping → orders  2 passed, 1 failed');
    expect(run.stdout).toContain(`Contract: ${CONTRACTS}/shipping-orders.json (shipping → orders)`);
    expect(run.stdout).toContain('Interaction: "an OrderPlaced event"');
    expect(run.stdout).toMatch(/\$\.items\[0\]\.qty \[type\]\n\s+Expected an integer but got "2"/);
    expect(run.stdout).toMatch(/\+ actual: +"2"/);
    expect(lastLine(run.stdout)).toMatch(/^2 passed, 1 failed, 0 pending, 0 without factory, 0 state failed/);
  });

  it('prints only the failure and the summary with --quiet', async () => {
    const quiet = await verify([...shipping, '--factories', `${FACTORIES}/broken.factories.ts`, '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toContain('✗ shipping → orders');
    expect(quiet.stdout).toContain('$.items[0].qty');
    expect(lastLine(quiet.stdout)).toMatch(SUMMARY);
  });

  it('colours the output with FORCE_COLOR, and not with NO_COLOR', async () => {
    const forced = await verify([...shipping, '--factories', `${FACTORIES}/broken.factories.ts`], { FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(ANSI);
    const plain = await verify([...shipping, '--factories', `${FACTORIES}/broken.factories.ts`], { NO_COLOR: '1' });
    expect(plain.stdout).not.toMatch(ANSI);
    expect(plain.stdout).toContain('$.items[0].qty');
  });
});

describe('every way a factory or state handler can fail', () => {
  let run: CliRun;
  let json: { summary: Record<string, unknown>; results: { description: string; status: string; error?: { code: string; message: string }; mismatches: { path: string; code: string }[] }[] };
  const byDescription = (description: string): (typeof json.results)[number] | undefined => json.results.find((r) => r.description === description);

  beforeAll(async () => {
    const output = path.join(tmp, 'problems.json');
    run = await verify(['--contracts', `${CONTRACTS}/audit-orders.json`, '--factories', `${FACTORIES}/problems.factories.ts`, '--reporter', 'json', '--output', output]);
    json = JSON.parse(readFileSync(output, 'utf8')) as typeof json;
  });

  it('exits 1 and counts each kind of failure', () => {
    expect(run.code).toBe(1);
    expect(json.summary).toMatchObject({ passed: 0, failed: 5, pending: 1, noFactory: 1, stateFailed: 2, total: 9, ok: false });
    expect(lastLine(run.stdout)).toMatch(/^0 passed, 5 failed, 1 pending, 1 without factory, 2 state failed/);
  });

  it('suggests the factory a misspelt description probably meant', () => {
    expect(byDescription('an OrderShiped event')).toMatchObject({ status: 'no-factory', error: { code: 'HERALD_NO_FACTORY' } });
    expect(run.stdout).toContain('Did you mean "an OrderShipped event"?');
  });

  it('reports a state handler that throws, with its error', () => {
    expect(byDescription('a stock report')).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_FAILED' } });
    expect(run.stdout).toMatch(/HERALD_STATE_FAILED: The state handler "the warehouse is down" failed .*warehouse unreachable at 10\.0\.0\.7:5432/);
  });

  it('times out a state handler that never settles, naming the state', () => {
    expect(byDescription('a ledger entry')).toMatchObject({ status: 'state-failed', error: { code: 'HERALD_STATE_TIMEOUT' } });
    expect(run.stdout).toMatch(/HERALD_STATE_TIMEOUT: The state handler "the ledger is slow" did not finish within 200 ms/);
  });

  it('reports a factory that throws, with its error', () => {
    expect(byDescription('an OrderArchived event')).toMatchObject({ status: 'failed', error: { code: 'HERALD_FACTORY_FAILED' } });
    expect(run.stdout).toContain('database connection refused');
  });

  it.each([
    ['returns a function', /\/a is a function/],
    ['returns a bigint', /\/total is a bigint/],
    ['returns a cycle', /circular reference/],
  ])('reports a factory that %s as not serialisable', (description, reason) => {
    const result = byDescription(description);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_FACTORY_RESULT_INVALID' } });
    expect(result?.error?.message).toMatch(reason);
  });

  it('reports bytes that are not JSON where the contract expects JSON', () => {
    expect(byDescription('bytes that are not JSON')?.mismatches).toMatchObject([{ code: 'decode', path: '$' }]);
    expect(run.stdout).toContain('The payload is not JSON although the contract expects application/json');
  });

  it('reports a failing pending interaction as pending, apart from the failures', () => {
    expect(byDescription('a draft event')).toMatchObject({ status: 'pending', mismatches: [{ path: '$.stock', code: 'type' }] });
    expect(run.stdout).toMatch(/Pending, failing without failing the run \(1\):\n\n1\/1 pending: audit → orders "a draft event"/);
  });

  it('lists the factories no interaction used', () => {
    expect(json.summary['unusedFactories']).toEqual(['a retired event', 'an OrderShipped event']);
    expect(run.stdout).toMatch(/Unused factories \(2\)[^\n]*\n {2}- "a retired event"\n {2}- "an OrderShipped event"/);
  });
});

describe('pending interactions', () => {
  it('exit 0 when only pending interactions fail, and are reported as pending', async () => {
    const run = await verify(['--contracts', `${CONTRACTS}/returns-orders.json`, '--factories', `${FACTORIES}/orders.factories.ts`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ returns → orders  1 passed, 1 pending');
    expect(run.stdout).toContain('1/1 pending: returns → orders "a return requested event"');
    expect(lastLine(run.stdout)).toMatch(/^1 passed, 0 failed, 1 pending, 0 without factory, 0 state failed/);
  });
});

describe('reporters', () => {
  it('json: prints only the report on stdout, in the documented shape', async () => {
    const run = await verify([...shipping, '--factories', `${FACTORIES}/broken.factories.ts`, '--reporter', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { summary: object; results: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['summary', 'results']);
    expect(Object.keys(report.summary)).toEqual(['passed', 'failed', 'pending', 'noFactory', 'stateFailed', 'total', 'unusedFactories', 'durationMs', 'ok', 'producedBy']);
    expect(report.results).toHaveLength(3);
    expect(report.results[0]).toMatchObject({
      consumer: 'shipping',
      provider: 'orders',
      description: 'an OrderPlaced event',
      contractFile: `${CONTRACTS}/shipping-orders.json`,
      status: 'failed',
      mismatches: [{ code: 'type', part: 'body', path: '$.items[0].qty', actual: '2', message: 'Expected an integer but got "2"' }],
      notes: [],
      pending: false,
    });
  });

  it('junit: writes well-formed XML with a suite per pair and a case per interaction, escaping nasty descriptions', async () => {
    const run = await verify(['--contracts', `${CONTRACTS}/nasty-orders.json`, `${CONTRACTS}/shipping-orders.json`, '--factories', `${FACTORIES}/orders.factories.ts`, '--reporter', 'junit']);
    expect(run.code).toBe(1);
    const root = parseXml(run.stdout);
    expect(findAll(root, 'testsuite').map((s) => s.attributes['name'])).toEqual(['audit → orders', 'shipping → orders']);
    const cases = findAll(root, 'testcase');
    expect(cases).toHaveLength(4);
    expect(cases[0]?.attributes['name']).toBe('<&">\' \\u0001bell\\u0007 \\u001b[31m ]]> 😀 end');
    expect(findAll(root, 'failure').map((f) => f.attributes['type'])).toEqual(['HERALD_NO_FACTORY']);
  });

  it('--output writes the report atomically and still prints the console report', async () => {
    const file = path.join(tmp, 'nested', 'reports', 'herald.xml');
    const run = await verify([...shipping, '--factories', `${FACTORIES}/orders.factories.ts`, '--reporter', 'junit', '--output', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ shipping → orders  3 passed');
    expect(run.stdout).toContain(`junit report written to ${file}`);
    expect(findAll(parseXml(readFileSync(file, 'utf8')), 'testcase')).toHaveLength(3);
    expect(readdirSync(path.dirname(file))).toEqual(['herald.xml']);
  });

  it('--quiet prints only the summary when everything passes', async () => {
    const run = await verify([...shipping, '--factories', `${FACTORIES}/orders.factories.ts`, '-q']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(SUMMARY)]);
  });
});

describe('selecting what to verify', () => {
  it('reads a directory, keeps the provider, consumers and descriptions asked for', async () => {
    const run = await verify(['-c', CONTRACTS, '-f', `${FACTORIES}/orders.factories.ts`, '--provider', 'orders', '--consumer', 'shipping', '--description', '^an Order', '--reporter', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { results: { consumer: string; description: string }[] };
    expect(report.results.map((r) => `${r.consumer}: ${r.description}`)).toEqual(['shipping: an OrderPlaced event', 'shipping: an OrderShipped event']);
  });

  it('takes the provider from the contracts when they name only one and the factories none', async () => {
    const run = await verify(['-c', `${CONTRACTS}/monitor-pinger.json`, '-f', `${FACTORIES}/unnamed.factories.mjs`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ monitor → pinger  1 passed');
  });
});
