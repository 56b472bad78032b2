/**
 * The CLI loads factories written as .ts .mts .cts .js .mjs .cjs with no build step, verifies
 * the example providers against the example contracts, and answers --help and --version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACTS, FACTORIES, herald, ROOT, verify } from './run-cli';

jest.setTimeout(120_000);

describe('factories module formats', () => {
  it.each(['ts', 'mts', 'cts', 'js', 'cjs', 'mjs'])('loads a .%s module', async (ext) => {
    const run = await verify(['--contracts', `${CONTRACTS}/monitor-pinger.json`, '--factories', `${FACTORIES}/formats/${ext}/ping.factories.${ext}`]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ monitor → pinger  1 passed');
    // Each module has one extra factory naming its format: proof that this very module was loaded.
    expect(run.stdout).toContain(`- "loaded from .${ext}"`);
  });
});

describe('the example providers', () => {
  // The example contracts are written by the example consumer tests (npm run demo runs both).
  it('orders produces the events shipping consumes', async () => {
    const run = await verify(['--contracts', 'contracts/shipping-orders.json', '--factories', 'examples/orders-provider/factories.ts', '--description', '^an Order(Placed|Cancelled) event$']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('✓ shipping → orders  2 passed');
    expect(run.code).toBe(0);
  });

  it('billing produces the invoice.created event the ledger consumes', async () => {
    const run = await verify(['--contracts', 'contracts/ledger-billing.json', '--factories', 'examples/billing-provider/factories.ts', '--description', '^an invoice\\.created event$']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('✓ ledger → billing  1 passed');
    expect(run.code).toBe(0);
  });
});

describe('help and version', () => {
  it('prints the usage with --help and exits 0', async () => {
    const run = await herald(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^herald \d+\.\d+\.\d+: /);
    expect(run.stdout).toMatch(/verify\s+Verify a provider/);
  });

  it('prints the verify options with verify --help', async () => {
    const run = await herald(['verify', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--contracts', '--factories', '--provider', '--consumer', '--description', '--reporter', '--output', '--quiet']) expect(run.stdout).toContain(option);
  });

  it("prints package.json's version with --version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await herald(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const run = await herald([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage:');
  });
});
