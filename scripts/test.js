#!/usr/bin/env node
// The test command: type check, lint, and every jest project (unit, examples, conformance,
// package, interop, differential, containers, browser). Prints one closing line "N passed, N failed" and exits
// non-zero on any failure.
// Before it, the 10 slowest suites and each project's suites, tests and time (scripts/test-timings.js).
// Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
// Without the containers and browser projects (the developer loop), the type check and the lint run
// beside jest, not before it: each holds one core for about a minute while jest's suites mostly wait
// on the processes they spawn. With them (CI), they run first, side by side, as broker and browser
// start-ups need the cores. Their output is printed whole when each ends; a failing one stops jest
// and ends the run with "typecheck: 0 passed, 1 failed" (or "lint: …").
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runsHeavyProjects, workerArgs } = require('./jest-workers');
const { suiteTimings, timingLines } = require('./test-timings');

const root = path.resolve(__dirname, '..');

/** Process groups still running: a failed check or a signal stops them all, with the processes they spawned. */
const running = new Set();
/** The check that failed first, if one did. */
let failedFirst;

function stopAll() {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Ended on its own since: its 'close' event is still on the way.
    }
  }
  running.clear();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopAll();
    process.exit(1);
  });
}

/** Spawns a command in its own process group; resolves to its exit code (1 when a signal ended it). */
function spawnGroup(command, args, options) {
  const child = spawn(command, args, { cwd: root, ...options, detached: true });
  running.add(child.pid);
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child.pid);
      resolve(signal === null ? code : 1);
    });
  });
  return { child, exited };
}

/** Runs `npm run <script>` with its output kept, printed whole when it ends; its failure stops everything else. */
async function check(name, script) {
  const started = Date.now();
  const { child, exited } = spawnGroup('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const code = await exited;
  if (failedFirst !== undefined) return;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`herald: ${name} ${code === 0 ? 'passed' : 'failed'} (${seconds} s)`);
  if (output.length > 0) process.stdout.write(Buffer.concat(output));
  if (code === 0) return;
  failedFirst = name;
  stopAll();
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-jest-'));
  const results = path.join(dir, 'results.json');
  const projectsFile = path.join(dir, 'projects.jsonl');
  const extra = process.argv.slice(2);
  // Last: --reporters takes a list, so it would swallow the test paths after it.
  const reporters = ['--reporters=default', `--reporters=${path.join(__dirname, 'jest-project-reporter.js')}`];
  // A run with brokers or a browser (CI's) checks first, as before: their suites start containers or
  // chromium under start-up timeouts, which the checks' two busy cores would eat into.
  const checksFirst = runsHeavyProjects(extra);
  const checks = () => Promise.all([check('typecheck', 'typecheck'), check('lint', 'lint')]);
  /** Ends the run when a check failed, saying what else it stopped. */
  const endIfACheckFailed = (stopped) => {
    if (failedFirst === undefined) return;
    rmSync(dir, { recursive: true, force: true });
    console.log(`herald: ${failedFirst} failed: ${stopped}`);
    console.log(`${failedFirst}: 0 passed, 1 failed`);
    process.exit(1);
  };
  if (checksFirst) {
    console.log('herald: tsc --noEmit and lint (folder cycles, eslint, prettier --check), then jest');
    await checks();
    endIfACheckFailed('the other check stopped there, jest did not run');
  }
  console.log(checksFirst ? 'herald: jest' : 'herald: tsc --noEmit and lint (folder cycles, eslint, prettier --check) beside jest');
  const jest = spawnGroup(
    process.execPath,
    [path.join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${results}`, ...workerArgs(extra, os.availableParallelism()), ...extra, ...reporters],
    {
      stdio: 'inherit',
      env: { PACT_DO_NOT_TRACK: 'true', ...process.env, HERALD_JEST_PROJECTS_FILE: projectsFile },
    },
  );
  if (!checksFirst) await checks();
  const jestStatus = await jest.exited;
  endIfACheckFailed('jest and the other check stopped there');

  let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTests: 0, numFailedTestSuites: 0, numRuntimeErrorTestSuites: 0 };
  try {
    summary = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    // jest crashed before writing results: the exit status below tells.
  }
  const projects = new Map();
  if (existsSync(projectsFile)) {
    for (const line of readFileSync(projectsFile, 'utf8').split('\n').filter(Boolean)) {
      const { file, project } = JSON.parse(line);
      projects.set(file, [...(projects.get(file) ?? []), project]);
    }
  }
  for (const line of timingLines(suiteTimings(summary, projects), root)) console.log(line);
  rmSync(dir, { recursive: true, force: true });
  const failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  if (summary.numPendingTests > 0) {
    console.log(`herald: ${summary.numPendingTests} skipped test(s): skipped tests are not allowed`);
  }
  console.log(`${summary.numPassedTests} passed, ${failed} failed`);
  const ok = jestStatus === 0 && failed === 0 && summary.numPendingTests === 0 && summary.numTotalTests > 0;
  process.exit(ok ? 0 : 1);
}

void main();
