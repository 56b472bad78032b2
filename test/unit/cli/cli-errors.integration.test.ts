/**
 * `herald verify` exits 2 on usage, configuration and input errors, with one paragraph on stderr
 * that names the code, what and where, and the fix; nothing on stdout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BAD_CONTRACTS, CONTRACTS, FACTORIES, herald, verify } from './run-cli';

jest.setTimeout(120_000);

const orders = ['--factories', `${FACTORIES}/orders.factories.ts`];
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'herald-cli-errors-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs herald verify, expecting exit 2; stdout stays empty unless progress lines were printed before the error. */
async function fails(args: readonly string[], progress = false): Promise<string> {
  const run = await verify(args);
  expect({ code: run.code, stdout: progress ? run.stdout.replace(/^[✓✗] .*\n/gm, '') : run.stdout }).toEqual({ code: 2, stdout: '' });
  expect(run.stderr).toMatch(/^Error HERALD_[A-Z_]+: /);
  return run.stderr;
}

describe('contract errors', () => {
  it('names the file, line and column of malformed JSON', async () => {
    const stderr = await fails(['--contracts', `${BAD_CONTRACTS}/malformed.json`, ...orders]);
    expect(stderr).toContain('HERALD_CONTRACT_JSON');
    expect(stderr).toContain(`${BAD_CONTRACTS}/malformed.json:4:3`);
  });

  it('names the JSON pointer of an invalid value', async () => {
    const stderr = await fails(['--contracts', `${BAD_CONTRACTS}/invalid.json`, ...orders]);
    expect(stderr).toContain('HERALD_CONTRACT_INVALID');
    expect(stderr).toContain(`${BAD_CONTRACTS}/invalid.json: /interactions/1/description must be string`);
  });

  it('names a contract path that does not exist', async () => {
    const stderr = await fails(['--contracts', `${CONTRACTS}/nope.json`, ...orders]);
    expect(stderr).toMatch(/HERALD_CONTRACT_UNREADABLE: .*nope\.json: it does not exist/);
  });

  it('lists the providers the contracts name when none is the one asked for', async () => {
    const stderr = await fails(['--contracts', CONTRACTS, ...orders, '--provider', 'inventory']);
    expect(stderr).toMatch(/HERALD_UNKNOWN_PROVIDER: .*"inventory".*Providers in these contracts: orders, pinger\. Check --provider/);
  });

  it('refuses to pass a run whose --description selects nothing', async () => {
    const stderr = await fails(['--contracts', `${CONTRACTS}/shipping-orders.json`, ...orders, '--description', '^an OrderRefunded'], true);
    expect(stderr).toMatch(
      /HERALD_NOTHING_TO_VERIFY: Failed to verify: no message interaction was selected by --description \/\^an OrderRefunded\/\. The contracts read hold: shipping → orders \(3\)/,
    );
  });

  it('names the consumer filter when no contract of that consumer names the provider', async () => {
    const stderr = await fails(['--contracts', CONTRACTS, ...orders, '--consumer', 'billing']);
    expect(stderr).toMatch(/HERALD_UNKNOWN_PROVIDER: .*for the consumers billing.*Check --provider and --consumer/);
  });

  it('asks for --provider when the contracts name several and the factories none', async () => {
    const stderr = await fails(['--contracts', CONTRACTS, '--factories', `${FACTORIES}/unnamed.factories.mjs`]);
    expect(stderr).toMatch(/HERALD_UNKNOWN_PROVIDER: .*\(orders, pinger\).*Pass --provider <name>/);
  });
});

describe('factories module errors', () => {
  it('says when the module does not exist', async () => {
    const stderr = await fails(['--contracts', CONTRACTS, '--factories', `${FACTORIES}/missing.factories.ts`]);
    expect(stderr).toMatch(/HERALD_FACTORIES_LOAD_FAILED: Failed to load factories from .*missing\.factories\.ts: the file .* does not exist\. Check the --factories path/);
  });

  it('quotes the syntax error and its position', async () => {
    const file = path.join(tmp, 'syntax.factories.ts');
    writeFileSync(file, "export default { messages: { 'a ping': () => 'PING 1' }\n");
    const stderr = await fails(['--contracts', CONTRACTS, '--factories', file]);
    expect(stderr).toContain('HERALD_FACTORIES_LOAD_FAILED');
    expect(stderr).toMatch(/syntax\.factories\.ts:2:0: ERROR: Expected "}" but found end of file/);
  });

  it('quotes the error a module throws while loading', async () => {
    const stderr = await fails(['--contracts', CONTRACTS, '--factories', `${FACTORIES}/throws-on-load.factories.ts`]);
    expect(stderr).toMatch(/HERALD_FACTORIES_LOAD_FAILED: .*throws-on-load\.factories\.ts: HERALD_FIXTURE_DATABASE_URL is not set/);
  });

  it('explains the expected shape when the export is not a provider definition', async () => {
    const stderr = await fails(['--contracts', CONTRACTS, '--factories', `${FACTORIES}/wrong-shape.factories.ts`]);
    expect(stderr).toMatch(/HERALD_FACTORIES_INVALID: .*the factory for "an OrderPlaced event" is a string, not a function\. Export/);
  });
});

describe('stray errors from user code', () => {
  it('exits 2 on a promise rejection nobody awaited, even when every interaction passed', async () => {
    const run = await verify(['--contracts', `${CONTRACTS}/monitor-pinger.json`, '--factories', `${FACTORIES}/stray-rejection.factories.mjs`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: an unhandled promise rejection while verifying, .*the results cannot be trusted/);
    expect(run.stderr).toContain('audit log write failed');
  });
});

describe('usage errors', () => {
  it.each([
    ['an unknown option, with a suggestion', ['--contracts', CONTRACTS, ...orders, '--reporters', 'json'], /HERALD_USAGE: Unknown option --reporters for "herald verify"\. Did you mean --reporter\?/],
    ['a missing --contracts', orders, /HERALD_USAGE: Missing --contracts/],
    ['a missing --factories', ['--contracts', CONTRACTS], /HERALD_USAGE: Missing --factories/],
    ['an option without its value', ['--contracts', CONTRACTS, '--factories'], /HERALD_USAGE: Option --factories needs a value/],
    ['an invalid --description regex', ['--contracts', CONTRACTS, ...orders, '--description', '(order'], /HERALD_USAGE: Invalid --description regular expression "\(order": .*missing closing \)/],
    ['an unknown reporter', ['--contracts', CONTRACTS, ...orders, '--reporter', 'xml'], /HERALD_USAGE: Unknown reporter "xml": use console, json, junit/],
    ['a stray argument', [...orders, 'extra', '--contracts', CONTRACTS], /HERALD_USAGE: Unexpected argument "extra"/],
  ])('rejects %s', async (_, args, message) => {
    const stderr = await fails(args);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Run "herald verify --help" for the usage.');
  });

  it('rejects an unknown command', async () => {
    const run = await herald(['deploy']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HERALD_USAGE: Unknown command "deploy": the commands are verify/);
  });
});
