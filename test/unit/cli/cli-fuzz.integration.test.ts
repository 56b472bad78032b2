/**
 * The real binary (`node bin/herald.js verify`) on one hostile contract: prototype names as
 * descriptions and states, a catastrophic description filter. A verdict, not a crash
 * (cli-fuzz.test.ts fuzzes the same in-process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verify } from './run-cli';

jest.setTimeout(120_000);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'herald-cli-fuzz-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('herald verify on hostile input, the real binary', () => {
  it('the real binary fails hostile names with a verdict, not a crash', async () => {
    const file = path.join(tmp, 'hostile.json');
    const interactions = ['constructor', 'toString', '__proto__'].map((description) => ({
      type: 'Asynchronous/Messages',
      description,
      providerStates: [{ name: 'hasOwnProperty' }],
      contents: { content: { a: 1 }, contentType: 'application/json', encoded: false },
      metadata: { contentType: 'application/json' },
    }));
    writeFileSync(file, JSON.stringify({ consumer: { name: 'shipping' }, provider: { name: 'orders' }, interactions, metadata: { pactSpecification: { version: '4.0' } } }));
    const run = await verify(['--contracts', file, '--factories', 'test/unit/cli/fixtures/factories/orders.factories.ts', '--description', '^(a+)+$|o']);
    expect(run.stderr).not.toContain('Herald crashed');
    // The whole output on a mismatch: an exit status alone does not say what went wrong.
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 1,
      stdout: expect.stringMatching(/0 passed, 0 failed, 0 pending, 3 without factory, 0 state failed/) as unknown,
      stderr: expect.any(String) as unknown,
    });
  });
});
