// A jest reporter that records which project ran each test file (jest's --json results do not say):
// appends `{ file, project }` lines to the file HERALD_JEST_PROJECTS_FILE names. Used by scripts/test.js.
'use strict';
const { appendFileSync } = require('node:fs');

class JestProjectReporter {
  onTestResult(test) {
    const file = process.env['HERALD_JEST_PROJECTS_FILE'];
    if (file === undefined || file === '') return;
    const name = test.context.config.displayName;
    const project = typeof name === 'string' ? name : (name?.name ?? '(no project)');
    appendFileSync(file, `${JSON.stringify({ file: test.path, project })}\n`);
  }
}

module.exports = JestProjectReporter;
