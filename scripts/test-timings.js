// Where a test run spent its time: the slowest suites (from jest's --json results) and, per jest
// project, suites, tests and time. scripts/test.js prints it after every run; the project of each
// suite comes from scripts/jest-project-reporter.js, which jest runs beside its default reporter.
'use strict';
const path = require('node:path');

/**
 * One entry per suite of jest's JSON results: file, project, seconds, passed/failed tests.
 * `projects` maps a test file to the display names of the projects that ran it, in run order
 * (a file two projects match runs twice); a file not in it belongs to "(no project)".
 */
function suiteTimings(results, projects) {
  const remaining = new Map([...projects].map(([file, names]) => [file, [...names]]));
  return (results.testResults ?? []).map((suite) => {
    const names = remaining.get(suite.name) ?? [];
    const project = names.length > 1 ? names.shift() : (names[0] ?? '(no project)');
    const tests = suite.assertionResults ?? [];
    return {
      file: suite.name,
      project,
      seconds: Math.max(0, (suite.endTime - suite.startTime) / 1000),
      passed: tests.filter((t) => t.status === 'passed').length,
      failed: tests.filter((t) => t.status === 'failed').length + (suite.status === 'failed' && tests.length === 0 ? 1 : 0),
    };
  });
}

/** The report's lines: the `top` slowest suites, then one line per project, slowest first. */
function timingLines(suites, root, top = 10) {
  if (suites.length === 0) return [];
  const lines = [`herald: slowest ${Math.min(top, suites.length)} of ${suites.length} suites`];
  const rel = (file) => path.relative(root, file).split(path.sep).join('/');
  for (const s of [...suites].sort((a, b) => b.seconds - a.seconds).slice(0, top)) {
    lines.push(`  ${s.seconds.toFixed(1).padStart(7)} s  ${s.project.padEnd(12)} ${rel(s.file)}`);
  }
  const totals = new Map();
  for (const s of suites) {
    const t = totals.get(s.project) ?? { suites: 0, passed: 0, failed: 0, seconds: 0 };
    totals.set(s.project, { suites: t.suites + 1, passed: t.passed + s.passed, failed: t.failed + s.failed, seconds: t.seconds + s.seconds });
  }
  lines.push('herald: per project (suite time, summed over parallel workers)');
  for (const [project, t] of [...totals].sort((a, b) => b[1].seconds - a[1].seconds)) {
    lines.push(`  ${project.padEnd(12)} ${String(t.suites).padStart(4)} suites  ${String(t.passed).padStart(5)} passed  ${String(t.failed).padStart(3)} failed  ${t.seconds.toFixed(1).padStart(8)} s`);
  }
  return lines;
}

module.exports = { suiteTimings, timingLines };
