/** `herald compare`, `diff` and `asyncapi` through `main`: exit statuses, reporters, --output, usage errors. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaTopic } from '../contract/channel';
import { serializeContract } from '../contract/serialize';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import { main } from './main';

jest.setTimeout(60_000);

let root: string;
let dir: string;
const at = (name: string): string => path.join(root, name);

const schema = (stock: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ title: 'ContractorUpdated', type: 'object', required: ['stock'], properties: { stock: { type: stock }, ...extra } });

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'herald-compare-cli-'));
  dir = path.join(root, 'contracts');
  mkdirSync(dir);
  const interaction = consumer('materials')
    .expectsFrom('contractors')
    .message('a ContractorUpdated event')
    .on(kafkaTopic('contractors.v1'))
    .withPayload({ stock: m.string('12') })
    .toInteraction();
  writeFileSync(path.join(dir, 'materials-contractors.json'), serializeContract({ consumer: 'materials', provider: 'contractors', interactions: [interaction], specVersion: '4.0', metadata: {} }));
  writeFileSync(at('v1.json'), schema('string'));
  writeFileSync(at('v2.json'), schema('integer'));
  writeFileSync(at('v3.json'), schema('string', { rating: { type: 'number' } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function herald(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

describe('herald compare', () => {
  it('exits 0 when compatible and 1 when not', async () => {
    expect((await herald('compare', '--contracts', dir, '--spec', at('v1.json'))).code).toBe(0);
    const failing = await herald('compare', '--contracts', path.join(dir, 'materials-contractors.json'), '--spec', at('v2.json'));
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('materials reads `stock` as string; the spec makes it integer');
  });

  it('writes a JUnit report to --output and the console report to stdout', async () => {
    const run = await herald('compare', '-c', dir, '-s', at('v2.json'), '--reporter', 'junit', '--output', at('reports/compare.xml'));
    expect(run.code).toBe(1);
    const xml = readFileSync(at('reports/compare.xml'), 'utf8');
    expect(xml).toContain('<testsuites name="herald compare" tests="1" failures="1"');
    expect(xml).toContain('<testsuite name="materials → contractors"');
    expect(run.stdout).toContain('junit report written to');
    expect(run.stdout).toContain('0 compatible, 1 incompatible');
  });

  it('exits 2 with HERALD_USAGE for a missing --spec or an unknown reporter, and names bad spec files', async () => {
    const missing = await herald('compare', '--contracts', dir);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^Error HERALD_USAGE: Missing --spec/);
    expect((await herald('compare', '-c', dir, '-s', at('v1.json'), '-r', 'html')).stderr).toMatch(/Unknown reporter "html": use console, json, junit/);
    const unreadable = await herald('compare', '-c', dir, '-s', at('nope.yaml'));
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^Error HERALD_SPEC_UNREADABLE: .*nope\.yaml: it does not exist/);
  });

  it('prints its usage with --help', async () => {
    const run = await herald('compare', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: herald compare --contracts <file\|dir>\.\.\. --spec <file>/);
  });
});

describe('herald diff', () => {
  it('exits 1 on a breaking change and 0 on safe ones', async () => {
    const breaking = await herald('diff', at('v1.json'), at('v2.json'), '--contracts', dir);
    expect(breaking.code).toBe(1);
    expect(breaking.stdout).toContain('breaks materials "a ContractorUpdated event"');
    const safe = await herald('diff', at('v1.json'), at('v3.json'), '--contracts', dir, '--reporter', 'json');
    expect(safe.code).toBe(0);
    expect((JSON.parse(safe.stdout) as { changes: { kind: string; classification: string }[] }).changes).toEqual([expect.objectContaining({ kind: 'field-added', classification: 'safe' })]);
  });

  it('exits 2 without both spec paths', async () => {
    const run = await herald('diff', at('v1.json'), '--contracts', dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error HERALD_USAGE: Missing spec paths/);
  });
});

describe('herald asyncapi', () => {
  it('writes the document to --output', async () => {
    const run = await herald('asyncapi', '--contracts', dir, '--output', at('required.json'), '--version', '2.0.0');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(readFileSync(at('required.json'), 'utf8')) as { info: { version: string }; channels: Record<string, unknown> };
    expect(doc.info.version).toBe('2.0.0');
    expect(Object.keys(doc.channels)).toEqual(['contractors-v1']);
  });

  it('exits 2 for a provider no contract names', async () => {
    const run = await herald('asyncapi', '--contracts', dir, '--provider', 'inventory');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error HERALD_UNKNOWN_PROVIDER: /);
  });
});
