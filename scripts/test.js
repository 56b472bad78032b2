#!/usr/bin/env node
// The test command: type check, lint, then every jest project (unit, examples, conformance,
// package, interop, differential, containers, browser). Prints one closing line "N passed, N failed" and exits
// non-zero on any failure.
// Before it, the 10 slowest suites and each project's suites, tests and time (scripts/test-timings.js).
// Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { suiteTimings, timingLines } = require('./test-timings');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

console.log('herald: tsc --noEmit');
const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', root], { stdio: 'inherit', cwd: root });
if (tsc.status !== 0) {
  console.log('typecheck: 0 passed, 1 failed');
  process.exit(1);
}

console.log('herald: lint (folder cycles, eslint, prettier --check)');
const lint = spawnSync('npm', ['run', '--silent', 'lint'], { stdio: 'inherit', cwd: root });
if (lint.status !== 0) {
  console.log('lint: 0 passed, 1 failed');
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-jest-'));
const results = path.join(dir, 'results.json');
const projectsFile = path.join(dir, 'projects.jsonl');
// Last: --reporters takes a list, so it would swallow the test paths after it.
const reporters = ['--reporters=default', `--reporters=${path.join(__dirname, 'jest-project-reporter.js')}`];
const jest = spawnSync(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${results}`, ...process.argv.slice(2), ...reporters], {
  stdio: 'inherit',
  cwd: root,
  env: { PACT_DO_NOT_TRACK: 'true', ...process.env, HERALD_JEST_PROJECTS_FILE: projectsFile },
});
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
const ok = jest.status === 0 && failed === 0 && summary.numPendingTests === 0 && summary.numTotalTests > 0;
process.exit(ok ? 0 : 1);
