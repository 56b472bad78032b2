/** `herald broker`: its entry in the lazily loaded command table and its usage errors (the running service is tested in src/contract-broker). */
import { BROKER_SUMMARY, BROKER_USAGE } from './broker-command';
import { COMMANDS, main } from './main';

function io(): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {} } };
}

describe('herald broker', () => {
  it('is listed with the summary and usage its module exports', () => {
    expect(COMMANDS['broker']?.summary).toBe(BROKER_SUMMARY);
    expect(COMMANDS['broker']?.usage()).toBe(BROKER_USAGE);
  });

  it('prints its usage with --help', async () => {
    const run = io();
    expect(await main(['broker', '--help'], run.io)).toBe(0);
    expect(run.out.join('')).toContain('HERALD_BROKER_WRITE_TOKEN');
  });

  it.each([
    [['--port', 'abc'], '--port must be a TCP port number'],
    [['--data', 'd', '--database', 'postgres://x/y'], 'either --data'],
    [['--prot', '1'], 'Did you mean --port?'],
  ])('exits 2 on %j', async (argv, message) => {
    const run = io();
    expect(await main(['broker', ...argv], run.io)).toBe(2);
    expect(run.err.join('')).toContain(message);
  });

  it('refuses to bind another host without a write token', async () => {
    const run = io();
    expect(await main(['broker', '--host', '0.0.0.0', '--port', '0'], run.io)).toBe(2);
    expect(run.err.join('')).toContain('HERALD_CONTRACT_BROKER_CONFIG');
  });
});
