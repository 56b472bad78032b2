import { runsHeavyProjects, selectedProjects, workerArgs } from '../../scripts/jest-workers';

describe('the jest worker count scripts/test.js asks for', () => {
  it('asks for one worker more than cores when no heavy project runs', () => {
    expect(workerArgs(['--selectProjects', 'unit', 'integration', 'examples', 'conformance', 'differential', 'interop', 'package'], 2)).toEqual(['--maxWorkers=3']);
    expect(workerArgs(['src/verify', '--selectProjects=unit'], 4)).toEqual(['--maxWorkers=5']);
  });

  it("keeps jest's default when the run includes the containers or browser project, as a run of every project does", () => {
    expect(workerArgs([], 2)).toEqual([]);
    expect(workerArgs(['--selectProjects', 'unit', 'containers'], 2)).toEqual([]);
    expect(workerArgs(['--selectProjects', 'browser'], 2)).toEqual([]);
  });

  it('leaves the choice to the arguments when they make one', () => {
    for (const flag of ['--maxWorkers=1', '--maxWorkers', '-w', '-w=2', '--runInBand', '-i']) expect(workerArgs([flag, '--selectProjects', 'unit'], 2)).toEqual([]);
  });

  it('reads the projects from --selectProjects (both forms, up to the next option) and --ignoreProjects', () => {
    expect(selectedProjects(['--selectProjects', 'unit', 'examples', '--ci'])).toEqual(['unit', 'examples']);
    expect(selectedProjects(['--selectProjects=unit', '--selectProjects=package'])).toEqual(['unit', 'package']);
    expect(selectedProjects(['--ignoreProjects', 'containers', 'browser'])).toEqual(['unit', 'integration', 'examples', 'conformance', 'interop', 'differential', 'package']);
    expect(workerArgs(['--ignoreProjects', 'containers', 'browser'], 2)).toEqual(['--maxWorkers=3']);
  });

  it('tells a run with the containers or browser project (whose checks run before jest) from one without', () => {
    expect(runsHeavyProjects([])).toBe(true);
    expect(runsHeavyProjects(['--selectProjects', 'unit', 'containers'])).toBe(true);
    expect(runsHeavyProjects(['--selectProjects', 'unit', 'integration'])).toBe(false);
    expect(runsHeavyProjects(['--ignoreProjects', 'containers', 'browser'])).toBe(false);
  });
});
