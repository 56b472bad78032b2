#!/usr/bin/env node
// Start-up of the compiled CLI against `node -e 0`, self-contained (npm run bench:startup):
// installs this repository's dist/ (built first when missing, or with --build) into a scratch
// project in a temporary directory, beside a small plain JSON contract and JavaScript factories
// modules (plain objects; message() and provider() from 'herald'), then prints the median wall time of N runs of each command, interleaved (run i of every
// command before run i+1, so load changes hit them alike), its ratio to `node -e 0`, and the load.
// The CLI's module cache fills on the first round; one row runs with it off (HERALD_DISABLE_COMPILE_CACHE).
// With --baseline <dir> (another checkout of Herald, built), its CLI runs in the same rounds as a peer.
//   node scripts/measure-startup.js [runs=15] [--build] [--keep] [--baseline <dir>]
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const baselineAt = args.indexOf('--baseline');
const baseline = baselineAt < 0 ? undefined : path.resolve(args[baselineAt + 1] ?? '');
const INTERACTIONS = 120;

if (args.includes('--build') || !existsSync(path.join(root, 'dist/cjs/src/cli/main.js'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { stdio: 'inherit' });
}

/** Installs the Herald checkout at `from` as the package ships (package.json, bin/, dist/; dependencies from this repository) at `to`. */
function install(from, to) {
  if (!existsSync(path.join(from, 'dist/cjs/src/cli/main.js'))) throw new Error(`${from} has no dist/: build it first (node scripts/build.js there)`);
  mkdirSync(to, { recursive: true });
  for (const part of ['package.json', 'bin', 'dist']) cpSync(path.join(from, part), path.join(to, part), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(to, 'node_modules'));
}

/** A project with herald installed, a small plain contract (1 and many interactions) and .js factories. */
function scratchProject() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-startup-'));
  install(root, path.join(dir, 'node_modules/herald'));
  if (baseline !== undefined) install(baseline, path.join(dir, 'baseline/herald'));
  const interaction = (i) => ({
    type: 'Asynchronous/Messages',
    description: `an OrderPlaced event ${i}`,
    contents: { content: { orderId: `o-${i}`, total: 9.5, items: [{ sku: 'ABC-1', qty: 2 }] }, contentType: 'application/json', encoded: false },
    metadata: { contentType: 'application/json' },
    matchingRules: {
      body: {
        '$.orderId': { combine: 'AND', matchers: [{ match: 'type' }] },
        '$.total': { combine: 'AND', matchers: [{ match: 'decimal' }] },
        '$.items': { combine: 'AND', matchers: [{ match: 'type', min: 1 }] },
        '$.items[*].qty': { combine: 'AND', matchers: [{ match: 'integer' }] },
      },
    },
  });
  const contract = (n) => ({
    consumer: { name: 'shipping' },
    provider: { name: 'orders' },
    interactions: Array.from({ length: n }, (_, i) => interaction(i)),
    metadata: { pactSpecification: { version: '4.0' } },
  });
  for (const [name, n] of [
    ['one', 1],
    ['many', INTERACTIONS],
  ]) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'shipping-orders.json'), JSON.stringify(contract(n), null, 2));
  }
  // The same factories written as a provider team does: message() and provider() from 'herald'.
  writeFileSync(
    path.join(dir, 'herald-factories.js'),
    `const { message, provider } = require('herald');
const messages = {};
for (let i = 0; i < ${INTERACTIONS}; i++) messages['an OrderPlaced event ' + i] = () => message({ orderId: 'o-' + i, total: 12.25, items: [{ sku: 'XYZ-42', qty: 3 }] });
module.exports = provider('orders', { messages });
`,
  );
  writeFileSync(
    path.join(dir, 'factories.js'),
    `const order = (i) => ({ orderId: 'o-' + i, total: 12.25, items: [{ sku: 'XYZ-42', qty: 3 }] });
const messages = {};
for (let i = 0; i < ${INTERACTIONS}; i++) messages['an OrderPlaced event ' + i] = () => order(i);
module.exports = { name: 'orders', messages };
`,
  );
  return dir;
}

const dir = scratchProject();
const bin = path.join(dir, 'node_modules/herald/bin/herald.js');
const baseBin = path.join(dir, 'baseline/herald/bin/herald.js');
const verify = (contracts, cli = bin, factories = 'factories.js') => [cli, 'verify', '--contracts', `${contracts}/`, '--factories', factories, '--allow-unchecked-channel', '--quiet'];
/** The CLI's module cache (node_modules/.cache/herald) off: what the first run after installing pays. */
const noCache = { HERALD_DISABLE_COMPILE_CACHE: '1' };
/** [name, node arguments, extra environment] */
const rows = [
  ['node -e 0', ['-e', '0']],
  ['herald --help', [bin, '--help']],
  ['herald verify (1 interaction, .js factories)', verify('one')],
  [`herald verify (${INTERACTIONS} interactions, .js factories)`, verify('many')],
  [`herald verify (${INTERACTIONS}, factories require('herald'))`, verify('many', bin, 'herald-factories.js')],
  [`herald verify (${INTERACTIONS}, .js factories), no module cache`, verify('many'), noCache],
  ...(baseline === undefined
    ? []
    : [
        ['baseline herald --help', [baseBin, '--help']],
        ['baseline herald verify (1 interaction)', verify('one', baseBin)],
        [`baseline herald verify (${INTERACTIONS} interactions)`, verify('many', baseBin)],
      ]),
];

const times = rows.map(() => []);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
try {
  for (let i = 0; i < runs; i++) {
    rows.forEach(([name, argv, env], row) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, argv, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
      times[row].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.status !== 0) throw new Error(`${name} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    });
  }
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const base = median(times[0]);
console.log(`Start-up, median of ${runs} interleaved runs each (node ${process.version}, ${os.cpus().length} CPUs)`);
rows.forEach(([name], row) => {
  const m = median(times[row]);
  console.log(`  ${name.padEnd(48)} ${m.toFixed(0).padStart(6)} ms  ${(m / base).toFixed(2).padStart(5)}× node -e 0  (+${(m - base).toFixed(0)} ms)`);
});
console.log(`Load average (1 5 15 min): ${loadBefore} before, ${load()} after`);
