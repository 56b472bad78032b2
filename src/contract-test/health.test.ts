import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHeraldError } from '../errors/herald-error';
import { LogTail, waitForHealth } from './health';

let server: Server;
let port: number;
let healthy = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/health' && healthy ? 200 : 503);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('waitForHealth', () => {
  it('waits for an HTTP health URL to answer 2xx', async () => {
    healthy = false;
    setTimeout(() => (healthy = true), 300);
    const started = Date.now();
    await waitForHealth('orders', { kind: 'http', url: `http://127.0.0.1:${port}/health` }, new LogTail(), 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('names the URL, the last answer and the last log lines when it times out', async () => {
    healthy = false;
    const logs = new LogTail();
    logs.push('booting\nconnecting to kafka at 127.0.0.1:1\n');
    const error: unknown = await waitForHealth('The provider (image herald/orders:1.0.0)', { kind: 'http', url: `http://127.0.0.1:${port}/health` }, logs, 400).catch((e: unknown) => e);
    expect(isHeraldError(error) && error.code).toBe('HERALD_PROVIDER_UNHEALTHY');
    expect((error as Error).message).toContain(`waited for HTTP GET http://127.0.0.1:${port}/health answering 2xx (last: HTTP 503)`);
    expect((error as Error).message).toContain('  | connecting to kafka at 127.0.0.1:1');
  });

  it('waits for a TCP port and says so when nothing listens', async () => {
    await waitForHealth('p', { kind: 'tcp', host: '127.0.0.1', port }, new LogTail(), 2_000);
    await expect(waitForHealth('p', { kind: 'tcp', host: '127.0.0.1', port: 9 }, new LogTail(), 300)).rejects.toThrow(/TCP port 127\.0\.0\.1:9 accepting connections .*ECONNREFUSED/);
  });

  it('wakes on the log line as soon as it is written', async () => {
    const logs = new LogTail();
    setTimeout(() => logs.push('orders listening on 8080\n'), 100);
    await waitForHealth('p', { kind: 'log', pattern: /listening on \d+/ }, logs, 2_000);
    await expect(waitForHealth('p', { kind: 'log', pattern: /ready/ }, new LogTail(), 200)).rejects.toThrow(/a log line matching \/ready\/.*\nThe provider logged nothing\./s);
  });

  // At once: the health timeout (60 s) is far beyond the test's own (5 s).
  it('fails at once with the exit reason when the provider is gone', async () => {
    const error: unknown = await waitForHealth('p', { kind: 'log', pattern: /ready/ }, new LogTail(), 60_000, () => 'exited with status 3').catch((e: unknown) => e);
    expect(isHeraldError(error) && error.code).toBe('HERALD_PROVIDER_START_FAILED');
    expect((error as Error).message).toMatch(/it exited with status 3 before it was healthy/);
  });
});
