import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHeraldError, type HeraldError } from '../errors/herald-error';
import { findContractFiles, loadContracts, readContractFile } from './load';

const fixtures = join(__dirname, '../../test/fixtures/contracts');
const v3File = join(fixtures, 'pactjs/v3/billing-orders.json');

async function rejected(promise: Promise<unknown>): Promise<HeraldError> {
  try {
    await promise;
  } catch (error) {
    if (isHeraldError(error)) return error;
    throw error;
  }
  throw new Error('expected a HeraldError');
}

describe('readContractFile', () => {
  it('reads one file and records its source', async () => {
    const contract = await readContractFile(v3File);
    expect(contract.source).toBe(v3File);
    expect(contract.interactions).toHaveLength(3);
  });

  it('names a missing file', async () => {
    const error = await rejected(readContractFile(join(fixtures, 'nope.json')));
    expect(error.code).toBe('HERALD_CONTRACT_UNREADABLE');
    expect(error.message).toContain('nope.json: it does not exist');
    expect(error.message).toContain('Check the path');
  });

  it('reports malformed JSON with file:line:column', async () => {
    const error = await rejected(readContractFile(join(fixtures, 'handwritten/invalid/malformed.json')));
    expect(error.code).toBe('HERALD_CONTRACT_JSON');
    expect(error.message).toContain('malformed.json:5:81');
  });
});

describe('loadContracts', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'herald-load-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads every pact-js fixture under a directory, sorted by path', async () => {
    const contracts = await loadContracts([join(fixtures, 'pactjs')]);
    expect(contracts.map((c) => c.source)).toEqual([
      join(fixtures, 'pactjs/v3/billing-orders.json'),
      join(fixtures, 'pactjs/v4-mixed/billing-ui-orders.json'),
      join(fixtures, 'pactjs/v4/billing-orders.json'),
    ]);
  });

  it('walks directories recursively, skipping dot-directories, node_modules and non-JSON files', async () => {
    mkdirSync(join(root, 'b/deeper'), { recursive: true });
    mkdirSync(join(root, '.cache'));
    mkdirSync(join(root, 'node_modules/pkg'), { recursive: true });
    cpSync(v3File, join(root, 'b/deeper/z.json'));
    cpSync(v3File, join(root, 'a.json'));
    cpSync(v3File, join(root, '.cache/hidden.json'));
    cpSync(v3File, join(root, 'node_modules/pkg/package.json'));
    writeFileSync(join(root, 'b/readme.md'), '# not a contract');
    writeFileSync(join(root, 'b/contract.lock'), '');
    symlinkSync(root, join(root, 'b/loop')); // a cycle must not hang the walk
    expect(await findContractFiles([root])).toEqual([join(root, 'a.json'), join(root, 'b/deeper/z.json')]);
  });

  it('skips JSON files in a directory that are not Pact files, saying so, and still fails a Pact file with errors', async () => {
    cpSync(v3File, join(root, 'billing-orders.json'));
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages: {} }));
    writeFileSync(join(root, 'tsconfig.json'), '{ "compilerOptions": {} }');
    const skipped: string[] = [];
    const contracts = await loadContracts([root], { onSkip: (file, reason) => skipped.push(`${file}: ${reason}`) });
    expect(contracts.map((c) => c.source)).toEqual([join(root, 'billing-orders.json')]);
    expect(skipped).toEqual([
      `${join(root, 'package-lock.json')}: not a Pact file (no consumer, provider, interactions, messages or metadata.pactSpecification)`,
      `${join(root, 'tsconfig.json')}: not a Pact file (no consumer, provider, interactions, messages or metadata.pactSpecification)`,
    ]);
    writeFileSync(join(root, 'broken.json'), JSON.stringify({ consumer: { name: 'shipping' }, provider: { name: 'orders' } }));
    expect((await rejected(loadContracts([root]))).code).toBe('HERALD_CONTRACT_INVALID');
  });

  it('says a contracts path that does not exist may be written by consumer tests not run yet', async () => {
    expect((await rejected(loadContracts([join(root, 'contracts')]))).message).toBe(
      `Failed to read contract ${join(root, 'contracts')}: it does not exist. Check the path; if the consumer tests write it, run them first.`,
    );
  });

  it('fails a directory none of whose JSON files is a Pact file, and a non-Pact file named explicitly', async () => {
    writeFileSync(join(root, 'package-lock.json'), '{}');
    const error = await rejected(loadContracts([root]));
    expect(error.code).toBe('HERALD_CONTRACT_UNREADABLE');
    expect(error.message).toContain('none of its 1 *.json files is a Pact file');
    expect((await rejected(loadContracts([join(root, 'package-lock.json')]))).code).toBe('HERALD_CONTRACT_INVALID');
  });

  it('reads a file named twice only once, and reads explicit files whatever their extension', async () => {
    cpSync(v3File, join(root, 'orders.pact'));
    cpSync(v3File, join(root, 'a.json'));
    const contracts = await loadContracts([join(root, 'a.json'), root, join(root, 'orders.pact')]);
    expect(contracts.map((c) => c.source)).toEqual([join(root, 'a.json'), join(root, 'orders.pact')]);
  });

  it('refuses a path that does not exist, naming it', async () => {
    const error = await rejected(loadContracts([join(root, 'missing')]));
    expect(error.code).toBe('HERALD_CONTRACT_UNREADABLE');
    expect(error.contractFile).toBe(join(root, 'missing'));
  });

  it('refuses a directory without contract files, so a wrong path never verifies nothing', async () => {
    const error = await rejected(loadContracts([root]));
    expect(error.code).toBe('HERALD_CONTRACT_UNREADABLE');
    expect(error.message).toContain('contains no *.json files');
  });

  it('fails on the first invalid file, naming it', async () => {
    cpSync(v3File, join(root, 'a.json'));
    cpSync(join(fixtures, 'handwritten/invalid/wrong-type.json'), join(root, 'b.json'));
    const error = await rejected(loadContracts([root]));
    expect(error.code).toBe('HERALD_CONTRACT_INVALID');
    expect(error.contractFile).toBe(join(root, 'b.json'));
  });

  // Runs as root in CI, where file permissions do not stop reads: a directory read as a file
  // fails with EISDIR, which exercises the same unreadable-file path.
  it('refuses a file that cannot be read', async () => {
    const error = await rejected(readContractFile(root));
    expect(error.code).toBe('HERALD_CONTRACT_UNREADABLE');
    expect(error.message).toContain(root);
  });
});
