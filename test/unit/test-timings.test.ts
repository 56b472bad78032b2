import { suiteTimings, timingLines, type JestJsonResults } from '../../scripts/test-timings';

const suite = (name: string, seconds: number, statuses: string[], status = 'passed') => ({
  name: `/repo/${name}`,
  startTime: 1_000,
  endTime: 1_000 + seconds * 1000,
  status,
  assertionResults: statuses.map((s) => ({ status: s })),
});

describe('the timings scripts/test.js prints after a run', () => {
  const results: JestJsonResults = {
    testResults: [
      suite('src/a.test.ts', 1.5, ['passed', 'passed']),
      suite('test/unit/cli/x.integration.test.ts', 40, ['passed', 'failed']),
      suite('src/b.test.ts', 0.25, ['passed']),
      suite('broken.test.ts', 0, [], 'failed'),
      ...Array.from({ length: 10 }, (_, i) => suite(`src/many${i}.test.ts`, 0.1, ['passed'])),
    ],
  };
  const projects = new Map([
    ['/repo/src/a.test.ts', ['unit']],
    ['/repo/src/b.test.ts', ['unit']],
    ['/repo/test/unit/cli/x.integration.test.ts', ['integration']],
  ]);

  it('names each suite with its project, seconds and test counts; a suite that failed to run counts as one failure', () => {
    const timings = suiteTimings(results, projects);
    expect(timings[1]).toEqual({ file: '/repo/test/unit/cli/x.integration.test.ts', project: 'integration', seconds: 40, passed: 1, failed: 1 });
    expect(timings[3]).toMatchObject({ project: '(no project)', failed: 1 });
  });

  it('prints the 10 slowest suites, slowest first, then per-project totals', () => {
    const lines = timingLines(suiteTimings(results, projects), '/repo');
    expect(lines[0]).toBe('herald: slowest 10 of 14 suites');
    expect(lines[1]).toBe('     40.0 s  integration  test/unit/cli/x.integration.test.ts');
    expect(lines[2]).toBe('      1.5 s  unit         src/a.test.ts');
    expect(lines.slice(1, 11)).toHaveLength(10);
    expect(lines[11]).toBe('herald: per project (suite time, summed over parallel workers)');
    expect(lines.slice(12)).toEqual([
      '  integration     1 suites      1 passed    1 failed      40.0 s',
      '  unit            2 suites      3 passed    0 failed       1.8 s',
      '  (no project)   11 suites     10 passed    1 failed       1.0 s',
    ]);
  });

  it('prints nothing when jest wrote no results', () => {
    expect(timingLines(suiteTimings({}, new Map()), '/repo')).toEqual([]);
  });
});
