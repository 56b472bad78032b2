#!/usr/bin/env node
// npm run demo: the whole Herald loop on the examples, in-memory, no broker.
//   1. the consumer tests (shipping, ledger) run their handlers on generated examples and write
//      the contracts (contracts/, or $HERALD_CONTRACTS_DIR);
//   2. `herald verify` checks the orders and billing providers' factories against those contracts.
// Exits 0 only if every step passed.
'use strict';

const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const contractsDir = process.env.HERALD_CONTRACTS_DIR ?? 'contracts';

const PROVIDERS = [
  { contract: 'shipping-orders.json', factories: 'examples/orders-provider/factories.ts' },
  { contract: 'ledger-billing.json', factories: 'examples/billing-provider/factories.ts' },
];

function run(title, command, args) {
  const shown = [command === process.execPath ? 'node' : command, ...args.map((a) => (path.isAbsolute(a) && a.startsWith(ROOT) ? path.relative(ROOT, a) : a))];
  console.log(`\n── ${title}\n$ ${shown.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function main() {
  const started = Date.now();
  // Only the consumer tests: the examples project also holds the providers' jest tests, which this
  // demo replaces with the CLI (and which would race the writers when the contracts dir is new).
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const consumers = run('consumer tests write the contracts', process.execPath, [jest, '--selectProjects', 'examples', '--testPathPattern', '\\.consumer\\.test\\.ts$']);
  if (consumers !== 0) {
    console.error(`\ndemo: the consumer tests failed (exit ${consumers}); no contract to verify.`);
    return 1;
  }

  const reports = mkdtempSync(path.join(os.tmpdir(), 'herald-demo-'));
  try {
    const verified = [];
    for (const p of PROVIDERS) {
      const contract = path.join(contractsDir, p.contract);
      const report = path.join(reports, `${p.contract}.report.json`);
      const status = run(`herald verify ${p.contract}`, process.execPath, ['bin/herald.js', 'verify', '--contracts', contract, '--factories', p.factories, '--reporter', 'json', '--output', report]);
      let summary;
      let results = [];
      try {
        ({ summary, results } = JSON.parse(readFileSync(report, 'utf8')));
      } catch {
        summary = undefined; // exit 2: no report was written; the CLI said why on stderr
      }
      verified.push({ contract, status, summary, results });
    }

    const pairs = verified.flatMap((v) => v.results.map((r) => [r.consumer, r.provider]));
    const consumersSeen = new Set(pairs.map(([c]) => c));
    const providersSeen = new Set(pairs.map(([, p]) => p));
    const total = verified.reduce((n, v) => n + (v.summary?.total ?? 0), 0);
    const passed = verified.reduce((n, v) => n + (v.summary?.passed ?? 0), 0);
    const failedSteps = verified.filter((v) => v.status !== 0);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `\ndemo: ${consumersSeen.size} consumers, ${providersSeen.size} providers, ${total} interactions verified on the in-memory transport: ` +
        `${passed} passed${failedSteps.length === 0 ? '' : `, ${total - passed} not`} (${seconds} s)`,
    );
    for (const v of failedSteps) console.error(`demo: verifying ${v.contract} exited ${v.status}; see its report above.`);
    return failedSteps.length === 0 ? 0 : 1;
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

process.exitCode = main();
