/** `herald broker` as a process: prints its URL, stops on SIGTERM, and an embedded --data directory keeps everything across a restart. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

const BIN = path.join(__dirname, '..', '..', 'bin', 'herald.js');

function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'broker', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`herald broker printed no URL within 90 s: ${out}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`herald broker exited with ${String(code)}: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

it('stops on SIGTERM and keeps its embedded data across a restart', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'herald-broker-data-'));
  const first = await start(dataDir);
  const put = await fetch(`${first.url}/pacticipants/orders/branches/main/versions/1.2.3`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(put.status).toBe(200);
  expect(await stop(first.child)).toBe(143);

  const second = await start(dataDir);
  try {
    const response = await fetch(`${second.url}/pacticipants/orders/versions/1.2.3`);
    expect(response.status).toBe(200);
    const version = (await response.json()) as { _embedded: { branchVersions: { name: string }[] } };
    expect(version._embedded.branchVersions.map((b) => b.name)).toEqual(['main']);
  } finally {
    await stop(second.child);
  }
});
