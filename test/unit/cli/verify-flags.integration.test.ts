/** `herald verify --allow-unchecked-channel` and `--all-fields`, in-process through `main`. */
import path from 'node:path';
import { main, type CliIO } from '../../../src/cli/main';
import { message } from '../../../src/contract/produced';
import { kafkaTopic } from '../../../src/contract/channel';
import { ROOT } from './run-cli';

const KEY = '0b8f3f9e-3c1a-4a55-9b5e-2d7c8a1e4f60';
const event = { contractorId: KEY, name: 'Ada Builders', available: true, stock: { count: 12 }, updatedAt: '2024-01-15T09:30:00.000Z' };

async function run(extra: readonly string[], withChannel: boolean): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const factories = {
    default: { name: 'contractors', messages: { 'a ContractorUpdated event': () => message(event, { key: KEY, ...(withChannel ? { channel: kafkaTopic('contractors.updated.v1') } : {}) }) } },
  };
  const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, cwd: ROOT, importModule: () => Promise.resolve(factories) };
  const code = await main(['verify', '--contracts', path.join(ROOT, 'contracts/odd-jobs-contractors.json'), '--factories', 'factories.ts', ...extra], io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('herald verify flags', () => {
  it('fails a factory that does not say where it publishes, naming the topic and the fix', async () => {
    const r = await run([], false);
    expect(r.code).toBe(1);
    expect(r.out).toContain('HERALD_CHANNEL_UNCHECKED');
    expect(r.out).toContain('kafka_topic "contractors.updated.v1"');
  });

  it('--allow-unchecked-channel passes it and still says the channel was not checked', async () => {
    const r = await run(['--allow-unchecked-channel'], false);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/channel \(kafka_topic\) was not checked/);
  });

  it('reports the unread $.stock without failing; --all-fields fails on it', async () => {
    const byDefault = await run([], true);
    expect(byDefault.code).toBe(0);
    expect(byDefault.out).toMatch(/odd-jobs declared \$\.stock but never reads it/);
    const all = await run(['--all-fields'], true);
    expect(all.code).toBe(1);
    expect(all.out).toContain('$.stock');
  });
});
