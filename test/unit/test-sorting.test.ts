/**
 * The unit project stays process-free and load-independent: a test that spawns jest, the CLI or node
 * belongs in `*.integration.test.ts`, and a wall-clock budget belongs in bench/ (`npm run
 * bench:hot-paths`), where it is a ratio against a peer measured in the same run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const UNIT_ROOTS = ['src', 'adapters', 'test/unit', 'test/fuzz'];

function unitTestFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (/\.test\.ts$/.test(entry.name) && !/\.(integration|container)\.test\.ts$/.test(entry.name)) {
        out.push(path.relative(ROOT, full));
      }
    }
  };
  for (const root of UNIT_ROOTS) walk(path.join(ROOT, root));
  return out.sort();
}

/** What makes a unit test file spawn processes: child_process itself, or the helpers that run the CLI / jest. */
const SPAWNS = /from ['"](node:)?child_process['"]|from ['"][./]*(test\/unit\/)?(cli\/)?(run-cli|jest-project)['"]/;
/** An assertion on elapsed wall-clock time. */
const WALL_CLOCK = /expect\([^;]*(Date\.now\(\)|performance\.now\(\)|hrtime)[^;]*\)\.toBeLessThan/;

describe('the unit project', () => {
  const files = unitTestFiles();
  // This file quotes what it forbids.
  const others = files.filter((f) => f !== 'test/unit/test-sorting.test.ts');

  it('finds the unit test files', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('test/unit/test-sorting.test.ts');
  });

  it('spawns no process: such tests are named *.integration.test.ts', () => {
    expect(others.filter((f) => SPAWNS.test(readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('asserts no wall-clock budget: timings live in bench/ as ratios against a peer', () => {
    expect(others.filter((f) => WALL_CLOCK.test(readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('recognises what it forbids', () => {
    expect(SPAWNS.test("import { execFile } from 'node:child_process';")).toBe(true);
    expect(SPAWNS.test("import { verify } from '../../test/unit/cli/run-cli';")).toBe(true);
    expect(SPAWNS.test("import { jestProject } from './jest-project';")).toBe(true);
    expect(WALL_CLOCK.test('expect(Date.now() - begun).toBeLessThan(3_000);')).toBe(true);
    expect(WALL_CLOCK.test('expect(performance.now() - started).toBeLessThan(200);')).toBe(true);
    expect(WALL_CLOCK.test('expect(steps).toBeLessThanOrEqual(1_000);')).toBe(false);
  });
});
