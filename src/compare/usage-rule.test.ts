/** Scenario 1 in compare and diff: the same usage rule as verify, and --all-fields turns it off. */
import path from 'node:path';
import { loadContracts } from '../contract/load';
import { loadSpec } from '../asyncapi/load';
import { compareContracts } from './compare';
import { diffSpecs } from './diff';

const ROOT = path.resolve(__dirname, '../..');
const files = ['contracts/odd-jobs-contractors.json', 'contracts/materials-contractors.json'].map((f) => path.join(ROOT, f));
const spec = (v: number) => loadSpec(path.join(ROOT, `examples/contractors/asyncapi.v${v}.yaml`));

describe('the usage rule in compare and diff (scenario 1)', () => {
  it('compare clears odd-jobs, which never reads stock, listing it as not compared; --all-fields fails it', async () => {
    const contracts = await loadContracts(files);
    const v2 = await spec(2);
    const byDefault = compareContracts(contracts, v2, { provider: 'contractors' });
    const oddJobs = byDefault.results.find((r) => r.consumer === 'odd-jobs');
    expect(oddJobs?.status).toBe('compatible');
    expect(oddJobs?.ignored).toContain('$.stock');
    expect(byDefault.results.find((r) => r.consumer === 'materials')?.status).toBe('incompatible');
    const all = compareContracts(contracts, v2, { provider: 'contractors', checkAllDeclaredFields: true });
    const strictOddJobs = all.results.find((r) => r.consumer === 'odd-jobs');
    expect(strictOddJobs?.status).toBe('incompatible');
    expect(strictOddJobs?.findings.map((f) => f.path)).toContain('$.stock');
  });

  it('diff names only materials as affected by the stock change; --all-fields names odd-jobs too', async () => {
    const contracts = await loadContracts(files);
    const [v1, v2] = [await spec(1), await spec(2)];
    const affected = (report: ReturnType<typeof diffSpecs>) =>
      report.changes
        .filter((c) => c.path === '$.stock' && c.classification === 'breaking')
        .flatMap((c) => c.affected.map((a) => a.consumer))
        .sort();
    expect(affected(diffSpecs(v1, v2, contracts, { provider: 'contractors' }))).toEqual(['materials']);
    expect(affected(diffSpecs(v1, v2, contracts, { provider: 'contractors', checkAllDeclaredFields: true }))).toEqual(['materials', 'odd-jobs']);
  });
});
