/** Argument parsing and dispatch, in-process: `main(argv, io)` with captured output. */
import { main, type CliIO } from '../../../src/cli/main';
import { parseVerifyArgs } from '../../../src/cli/verify-command';
import { hasErrorCode } from '../../../src/errors/index';

function capture(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {} }, out, err };
}

function usageErrorOf(argv: readonly string[]): string {
  try {
    parseVerifyArgs(argv);
  } catch (error) {
    if (hasErrorCode(error, 'HERALD_USAGE')) return error.message;
    throw error;
  }
  throw new Error(`parseVerifyArgs(${argv.join(' ')}) did not fail`);
}

describe('herald verify arguments', () => {
  it('takes several contract paths after one --contracts, as a shell glob gives them', () => {
    expect(parseVerifyArgs(['--contracts', 'a.json', 'b.json', '--factories', 'f.ts', '-c', 'dir/'])).toMatchObject({ contracts: ['a.json', 'b.json', 'dir/'], factories: 'f.ts' });
  });

  it('reads short options, --opt=value and repeated --consumer', () => {
    const args = parseVerifyArgs(['--contracts=x.json', '-ff.mjs', '--consumer', 'shipping', '--consumer=billing', '-p', 'orders', '-r', 'junit', '-o', 'out.xml', '-q', '--description', '^an']);
    expect(args).toMatchObject({
      contracts: ['x.json'],
      factories: 'f.mjs',
      consumers: ['shipping', 'billing'],
      provider: 'orders',
      reporter: 'junit',
      output: 'out.xml',
      quiet: true,
      description: { source: '^an' },
    });
  });

  it('defaults to the console reporter, all consumers, not quiet', () => {
    expect(parseVerifyArgs(['-c', 'x', '-f', 'y'])).toEqual({ contracts: ['x'], factories: 'y', consumers: [], reporter: 'console', quiet: false });
  });

  it('returns help before checking required options', () => {
    expect(parseVerifyArgs(['--help'])).toBe('help');
  });

  it.each([
    [['-c', 'x', '-f', 'a', '-f', 'b'], 'Option -f was given more than once'],
    [['-c', 'x', '-f', 'a', '--quiet=yes'], 'Option --quiet takes no value'],
    [['-c', 'x', '-f', '--quiet'], 'Option -f needs a value (got the option --quiet'],
    [['-c', 'x', '-f', 'a', '--', 'more.json'], 'Unexpected argument "more.json"'],
    [['-c', 'x', '-f', 'a', '-z'], 'Unknown option -z for "herald verify".'],
    [['-c', 'x', '-f', 'a', '--facotries', 'b'], 'Did you mean --factories?'],
  ])('rejects %j', (argv, message) => {
    expect(usageErrorOf(argv)).toContain(message);
  });
});

describe('main', () => {
  it('prints the usage for --help, -h and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { io, out, err } = capture();
      await expect(main(argv, io)).resolves.toBe(0);
      expect(out.join('')).toContain('Commands:\n  verify');
      expect(err).toEqual([]);
    }
  });

  it('prints a command usage for help <command>', async () => {
    const { io, out } = capture();
    await expect(main(['help', 'verify'], io)).resolves.toBe(0);
    expect(out.join('')).toMatch(/^Usage: herald verify --contracts/);
  });

  it('exits 2 with the code and a pointer to --help on a usage error', async () => {
    const { io, out, err } = capture();
    await expect(main(['verify', '--factories', 'f.ts'], io)).resolves.toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toBe(
      'Error HERALD_USAGE: Missing --contracts: name the contract files or directories to verify (e.g. --contracts contracts/), or fetch them from a contract broker with --broker <url>. Run "herald verify --help" for the usage.\n',
    );
  });

  it('exits 2 for an unknown command or option', async () => {
    const { io, err } = capture();
    await expect(main(['--verbose'], io)).resolves.toBe(2);
    await expect(main(['deploy'], io)).resolves.toBe(2);
    expect(err.join('')).toMatch(/Unknown option --verbose.*\n.*Unknown command "deploy"/);
  });

  it('suggests the command a typo was meant to be', async () => {
    const { io, err } = capture();
    await expect(main(['verfy'], io)).resolves.toBe(2);
    expect(err.join('')).toContain('Unknown command "verfy": did you mean "verify"? the commands are verify,');
  });

  it('fails a --description that selects nothing with exit 2, no ✓, and the descriptions there are', async () => {
    const { io, out, err } = capture();
    const factories = { default: { name: 'orders', messages: {} } };
    const code = await main(['verify', '-c', 'contracts/shipping-orders.json', '-f', 'factories.ts', '--description', 'nothing-matches'], {
      ...io,
      cwd: process.cwd(),
      importModule: () => Promise.resolve(factories),
    });
    expect(code).toBe(2);
    expect(out.join('')).not.toContain('✓');
    expect(err.join('')).toContain('HERALD_NOTHING_TO_VERIFY');
    expect(err.join('')).toContain('Descriptions: shipping → orders: "an OrderCancelled event", "an OrderPlaced event".');
  });
});
