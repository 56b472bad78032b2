/**
 * README's "Sharing contracts through a broker" runs as written: its shell block (publish, verify
 * from the broker with results published, can-i-deploy, record-deployment) and the one-time
 * `herald environments create` it names, through bash, against a real Herald Broker, in a scratch
 * project holding the paths the block names (contracts/, test/provider/factories.ts).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startContractBroker } from '../../src/contract-broker/index';

// Six CLI runs (each loading TypeScript through tsx) on a loaded machine.
jest.setTimeout(400_000);

const ROOT = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The section's shell block, and the environments command its prose names. */
function pipeline(): { block: string; environments: string } {
  const section = README.slice(README.indexOf('## Sharing contracts through a broker'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  const environments = /`(herald environments create [^`]+)`/.exec(section)?.[1];
  if (block === undefined || environments === undefined) throw new Error('README has no "Sharing contracts through a broker" shell block or environments command');
  return { block, environments };
}

const CONTRACT = {
  consumer: { name: 'shipping' },
  provider: { name: 'orders' },
  interactions: [
    {
      type: 'Asynchronous/Messages',
      description: 'an OrderPlaced event',
      contents: { content: { orderId: 'o-1', total: 9.5 }, contentType: 'application/json', encoded: false },
      metadata: { contentType: 'application/json' },
      matchingRules: { body: { '$.orderId': { combine: 'AND', matchers: [{ match: 'type' }] }, '$.total': { combine: 'AND', matchers: [{ match: 'decimal' }] } } },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};
const FACTORIES = `export default { name: 'orders', messages: { 'an OrderPlaced event': () => ({ orderId: 'o-7', total: 12.25 }) } };\n`;

it("runs README's broker pipeline as written against a Herald Broker", async () => {
  const { block, environments } = pipeline();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-readme-broker-'));
  await using broker = await startContractBroker({ port: 0 });
  try {
    mkdirSync(path.join(dir, 'contracts'));
    mkdirSync(path.join(dir, 'test/provider'), { recursive: true });
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'contracts/shipping-orders.json'), JSON.stringify(CONTRACT, null, 2));
    writeFileSync(path.join(dir, 'test/provider/factories.ts'), FACTORIES);
    // `herald` on the PATH, as npx or a global install gives it.
    writeFileSync(path.join(dir, 'bin/herald'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/herald.js')}" "$@"\n`);
    chmodSync(path.join(dir, 'bin/herald'), 0o755);
    const script = `set -euo pipefail\n${environments}\n${block}`;
    const env = { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, HERALD_BROKER_URL: broker.url, GIT_SHA: 'abc1234', GIT_BRANCH: 'main', NO_COLOR: '1' };
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-c', script], { cwd: dir, env, timeout: 360_000 }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }));
    });
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('✓ shipping → orders  1 passed');
    expect(run.stdout).toContain('Published the verification result of shipping → orders (success) for orders abc1234.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
