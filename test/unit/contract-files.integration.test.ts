/**
 * Contract files under real jest runs: parallel workers lose and duplicate nothing, reruns are
 * byte-identical, partial runs drop nothing, full runs drop what no test declares any more.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { consumerTestFile, jestProject, type JestProject } from './jest-project';
import { scaledTimeout } from './load-factor';

// Each step runs real jest on 8 workers: 120 s on a quiet 2-core machine, more when it is loaded.
jest.setTimeout(scaledTimeout(120_000));

const interactionsIn = (file: string): string[] => (JSON.parse(readFileSync(file, 'utf8')) as { interactions: { description: string }[] }).interactions.map((i) => i.description);

describe('contract files written by parallel jest workers', () => {
  let project: JestProject;
  const file = (): string => path.join(project.contractsDir, 'shipping-orders.json');

  beforeAll(async () => {
    project = jestProject('parallel');
    for (let w = 0; w < 8; w++) project.write(`tests/worker${w}.test.ts`, consumerTestFile(`w${w}`, 25));
    await project.jest('--maxWorkers=8');
  });
  afterAll(() => project.dispose());

  it('keeps every interaction from 8 workers writing one pair, once each', () => {
    const descriptions = interactionsIn(file());
    expect(descriptions).toHaveLength(200);
    expect(new Set(descriptions).size).toBe(200);
  });

  it('writes byte-identical files when the same tests run again', async () => {
    const before = readFileSync(file());
    await project.jest('--maxWorkers=4');
    expect(readFileSync(file()).equals(before)).toBe(true);
  });

  it('drops nothing on a partial run (-t)', async () => {
    await project.jest('-t', 'w3 message 1$');
    expect(interactionsIn(file())).toHaveLength(200);
  });

  it('drops nothing on a partial run of one file, even one that declares less', async () => {
    project.write('tests/worker0.test.ts', consumerTestFile('w0', 5));
    await project.jest('tests/worker0.test.ts');
    expect(interactionsIn(file())).toHaveLength(200);
  });

  it('drops what no test declares any more on a full run', async () => {
    project.remove('tests/worker7.test.ts');
    await project.jest('--maxWorkers=2');
    const descriptions = interactionsIn(file());
    expect(descriptions).toHaveLength(200 - 25 - 20);
    expect(descriptions.some((d) => d.startsWith('w7 '))).toBe(false);
    expect(descriptions.filter((d) => d.startsWith('w0 '))).toHaveLength(5);
  });
});

describe('failing handlers', () => {
  let project: JestProject;
  afterAll(() => project.dispose());

  it('writes only interactions whose handler succeeded, and keeps the last good version of a failing one', async () => {
    project = jestProject('failing');
    project.write('tests/a.test.ts', consumerTestFile('a', 3));
    await project.jest();
    const file = path.join(project.contractsDir, 'shipping-orders.json');
    const good = readFileSync(file, 'utf8');
    project.write(
      'tests/a.test.ts',
      consumerTestFile('a', 3)
        .replace('if (message.payload.sku.length < 5)', 'if (message.payload.n === 1 || message.payload.sku.length < 5)')
        .replace('m.integer(i)', "m.integer(i), extra: m.string('new')"),
    );
    const failed = await project.jest().then(
      () => undefined,
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(failed?.stderr).toContain('HERALD_HANDLER_FAILED');
    expect(failed?.stderr).toMatch(/shipping handler failed on "a message 1" from orders/);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { interactions: { description: string; contents: { content: Record<string, unknown> } }[] };
    expect(after.interactions.map((i) => i.description)).toEqual(['a message 0', 'a message 1', 'a message 2']);
    const byName = new Map(after.interactions.map((i) => [i.description, i.contents.content]));
    expect(byName.get('a message 0')).toHaveProperty('extra', 'new');
    expect(byName.get('a message 1')).not.toHaveProperty('extra');
    expect(JSON.parse(good)).not.toEqual(after);
  });
});
