/**
 * Scenario 1, the silent type change: contractors changes `stock` from a string to an integer.
 * Herald fails the contractors pipeline, names Materials and `stock`, and leaves Odd Jobs alone
 * because its handler never reads `stock` (its contract's recorded usage says so).
 *
 * The consumers' tests run here again, writing their contracts to a temporary directory; then the
 * real CLI (`node bin/herald.js`) and the library compare them with the provider's specs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareContracts, diffSpecs, loadSpec } from 'herald/bidirectional';
import { loadContracts, writeContracts } from 'herald';
import { contractorUpdated as materialsExpects } from './materials/contract';
import { StockLedger } from './materials/stock';
import { JobBoard } from './odd-jobs/board';
import { contractorUpdated as oddJobsExpects } from './odd-jobs/contract';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const HERE = 'examples/contractors';
const V1 = `${HERE}/asyncapi.v1.yaml`;
const V2 = `${HERE}/asyncapi.v2.yaml`;
const V3 = `${HERE}/asyncapi.v3.yaml`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function herald(args: readonly string[]): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env, timeout: 90_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

let contracts: string;
beforeAll(async () => {
  contracts = mkdtempSync(path.join(os.tmpdir(), 'herald-contractors-'));
  const board = new JobBoard();
  await oddJobsExpects.writeTo(contracts).verify((message) => board.onContractorUpdated(message.key, message.payload), { strictUsage: false });
  const ledger = new StockLedger();
  await materialsExpects.writeTo(contracts).verify((message) => ledger.onContractorUpdated(message.payload));
  await writeContracts();
});
afterAll(() => rmSync(contracts, { recursive: true, force: true }));

describe('the contracts record what each consumer reads', () => {
  it('odd-jobs declares the whole payload but reads only `available` and the key', () => {
    const file = JSON.parse(readFileSync(path.join(contracts, 'odd-jobs-contractors.json'), 'utf8')) as { interactions: { contents: { content: object }; comments: { herald: { usage: unknown } } }[] };
    expect(Object.keys(file.interactions[0]?.contents.content ?? {})).toEqual(['contractorId', 'name', 'available', 'stock', 'updatedAt']);
    expect(file.interactions[0]?.comments.herald.usage).toEqual({ payload: ['$.available'], headers: [], key: true });
  });

  it('materials reads `stock` (and the contractor id)', () => {
    const file = JSON.parse(readFileSync(path.join(contracts, 'materials-contractors.json'), 'utf8')) as { interactions: { comments: { herald: { usage: unknown } } }[] };
    expect(file.interactions[0]?.comments.herald.usage).toEqual({ payload: ['$.contractorId', '$.stock'], headers: [], key: false });
  });
});

describe('herald compare: a consumer change is checked against the provider spec in production', () => {
  it('finds both consumers compatible with v1 (stock is a string)', async () => {
    const run = await herald(['compare', '--contracts', contracts, '--spec', V1]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('✓ odd-jobs → contractors "a ContractorUpdated event"');
    expect(run.stdout).toContain('✓ materials → contractors "a ContractorUpdated event"');
    expect(run.stdout).toContain('2 compatible, 0 incompatible, 0 warning(s)');
  });

  it('fails v2 (stock is an integer) for materials only, naming `stock`', async () => {
    const run = await herald(['compare', '--contracts', contracts, '--spec', V2, '--provider', 'contractors']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✓ odd-jobs → contractors');
    expect(run.stdout).toContain('✗ materials → contractors');
    expect(run.stdout).toContain('$.stock: materials reads `stock` as string (regex ^[0-9]+$); the spec makes it integer [type]');
    expect(run.stdout).toContain('not compared, because the odd-jobs handler never reads them: $.contractorId, $.name, $.stock, $.updatedAt');
  });

  it('reports the same as JSON for scripts', async () => {
    const run = await herald(['compare', '-c', contracts, '-s', V2, '--reporter', 'json']);
    const report = JSON.parse(run.stdout) as { summary: { ok: boolean }; results: { consumer: string; status: string; findings: { path: string; code: string }[] }[] };
    expect(run.code).toBe(1);
    expect(report.summary.ok).toBe(false);
    expect(report.results.map((r) => [r.consumer, r.status, r.findings.map((f) => `${f.code} ${f.path}`)])).toEqual([
      ['materials', 'incompatible', ['type $.stock']],
      ['odd-jobs', 'compatible', []],
    ]);
  });

  it('gives the same answer through the library API', async () => {
    const loaded = await loadContracts([contracts]);
    const v1 = compareContracts(loaded, await loadSpec(V1));
    const v2 = compareContracts(loaded, await loadSpec(V2));
    expect(v1.summary.ok).toBe(true);
    expect(v2.results.map((r) => [r.consumer, r.status])).toEqual([
      ['materials', 'incompatible'],
      ['odd-jobs', 'compatible'],
    ]);
  });
});

describe('herald diff: a provider change is checked against the consumers in production', () => {
  it('classifies v1 → v2 as breaking for materials (`stock` retyped), not for odd-jobs', async () => {
    const run = await herald(['diff', V1, V2, '--contracts', contracts]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Breaking (1):');
    expect(run.stdout).toContain('$.stock: `stock` changed from string (pattern ^[0-9]+$) to integer [type-changed]');
    expect(run.stdout).toContain('breaks materials "a ContractorUpdated event"');
    expect(run.stdout).not.toContain('breaks odd-jobs');
    expect(run.stdout).toContain('1 breaking, 0 safe');
  });

  it('classifies v1 → v3 (a new optional field) as safe', async () => {
    const run = await herald(['diff', V1, V3, '-c', contracts, '--reporter', 'junit']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<testsuites name="herald diff" tests="1" failures="0"');
    expect(run.stdout).toContain('name="$.rating: `rating` was added (optional, number)"');
  });

  it('names the affected consumers through the library API', async () => {
    const report = diffSpecs(await loadSpec(V1), await loadSpec(V2), await loadContracts([contracts]));
    expect(report.changes.map((c) => [c.classification, c.path, c.affected.map((a) => a.consumer)])).toEqual([['breaking', '$.stock', ['materials']]]);
  });
});

describe('herald asyncapi: what the consumers require of contractors', () => {
  it('exports a valid AsyncAPI 3.0 document that v1 satisfies field by field', async () => {
    const run = await herald(['asyncapi', '--contracts', contracts, '--provider', 'contractors', '--used-only']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { asyncapi: string; components: { messages: Record<string, { payload: { required: string[] }; 'x-herald-consumers': string[] }> } };
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.components.messages['ContractorUpdated']).toMatchObject({ payload: { required: ['contractorId', 'stock', 'available'] }, 'x-herald-consumers': ['materials', 'odd-jobs'] });
    const { Parser } = (await import('@asyncapi/parser')) as unknown as { Parser: new () => { parse(text: string): Promise<{ diagnostics: { severity: number }[] }> } };
    const { diagnostics } = await new Parser().parse(run.stdout);
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  });
});
