/**
 * Regenerates the example contracts into a temporary directory by running the consumer tests of the
 * `examples` jest project in a child process, as a developer would
 * (`jest --selectProjects examples --testPathPattern '\.consumer\.test\.ts$'`), with
 * HERALD_CONTRACTS_DIR pointing at the temporary directory so the committed files stay untouched.
 * Only the consumer tests: the project's provider tests read the contracts from that same directory,
 * which starts empty, and would race the consumer tests that write them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The tests that write contracts, as a jest path pattern. */
const CONSUMER_TESTS = '\\.consumer\\.test\\.ts$';

/** Contracts written by a fresh run of the examples; dispose removes the directory. */
export interface FreshContracts extends AsyncDisposable {
  readonly dir: string;
  /** The JSON files the run wrote, sorted. */
  readonly files: readonly string[];
}

/**
 * Runs the examples' consumer tests and returns where their contracts went. The child gets the
 * parent's environment minus Herald's run variables (an outer jest run may have set them). The path
 * pattern makes it a partial run (merge mode), which writes the same files as a full run into an
 * empty directory.
 */
export async function regenerateExampleContracts(timeoutMs = 120_000): Promise<FreshContracts> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'herald-interop-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('HERALD_') && name !== 'JEST_WORKER_ID') env[name] = value;
  }
  env['HERALD_CONTRACTS_DIR'] = dir;
  const jestBin = require.resolve('jest/bin/jest', { paths: [REPO_ROOT] });
  try {
    await run(process.execPath, [jestBin, '--selectProjects', 'examples', '--testPathPattern', CONSUMER_TESTS, '--ci', '--silent'], {
      cwd: REPO_ROOT,
      env,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const output = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`Failed to regenerate the example contracts: the examples' consumer tests failed. Run \`npx jest --selectProjects examples\` to see why.\n${output}`, { cause: error });
  }
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return {
    dir,
    files,
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}
