#!/usr/bin/env node
// Start-up of the installed CLI against `node -e 0`: median wall time of N runs each.
//   node scripts/measure-startup.js <project with node_modules/herald, contracts/ and factories.js> [runs]
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const project = path.resolve(process.argv[2] ?? '.');
const runs = Number(process.argv[3] ?? 15);
const bin = path.join(project, 'node_modules/herald/bin/herald.js');

function median(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: project, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const rows = [
  ['node -e 0', ['-e', '0']],
  ['herald --help', [bin, '--help']],
  ['herald verify (.js factories, 1 interaction)', [bin, 'verify', '--contracts', 'contracts/', '--factories', 'factories.js']],
];
for (const [name, args] of rows) console.log(`${name.padEnd(46)} ${median(args).toFixed(0)} ms`);
