/** The provider runner with a command: health, early exit and teardown of the spawned process. */
import { isHeraldError } from '../errors/herald-error';
import { startProvider } from './provider-runner';

const node = JSON.stringify(process.execPath);

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

describe('startProvider with a command', () => {
  it('hands over the environment, waits for the log line, and stops the process', async () => {
    const script = `console.log('version ' + process.env.HERALD_PROVIDER_VERSION + ' brokers ' + process.env.HERALD_KAFKA_BROKERS + ' pid ' + process.pid); setInterval(() => {}, 1000)`;
    const provider = await startProvider({
      command: `${node} -e ${JSON.stringify(script)}`,
      version: '1.2.3',
      environment: { HERALD_KAFKA_BROKERS: '127.0.0.1:9092' },
      health: { log: /pid \d+/, timeoutMs: 10_000 },
      runId: 't',
    });
    const line = provider.logs.all().find((l) => l.includes('pid')) ?? '';
    expect(line).toMatch(/^version 1\.2\.3 brokers 127\.0\.0\.1:9092 pid \d+$/);
    const pid = Number(/pid (\d+)/.exec(line)?.[1]);
    expect(alive(pid)).toBe(true);
    await provider.stop();
    await provider.stop();
    expect(await waitUntil(() => !alive(pid), 5_000)).toBe(true);
  });

  it('fails at once, quoting the output, when the command exits before it is healthy', async () => {
    const error: unknown = await startProvider({
      command: `${node} -e "console.error('cannot connect to kafka'); process.exit(3)"`,
      version: '1',
      health: { log: /ready/, timeoutMs: 10_000 },
      runId: 't',
    }).catch((e: unknown) => e);
    expect(isHeraldError(error) && error.code).toBe('HERALD_PROVIDER_START_FAILED');
    expect((error as Error).message).toMatch(/exited with status 3 before it was healthy[\s\S]*\| cannot connect to kafka/);
  });

  it('kills the process when it does not become healthy in time', async () => {
    const script = `console.log('pid ' + process.pid); setInterval(() => {}, 1000)`;
    const error: unknown = await startProvider({ command: `${node} -e ${JSON.stringify(script)}`, version: '1', port: 1, health: { path: '/health', timeoutMs: 1_000 }, runId: 't' }).catch(
      (e: unknown) => e,
    );
    expect(isHeraldError(error) && error.code).toBe('HERALD_PROVIDER_UNHEALTHY');
    const pid = Number(/pid (\d+)/.exec((error as Error).message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(await waitUntil(() => !alive(pid), 5_000)).toBe(true);
  });
});
