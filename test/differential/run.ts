/**
 * Exploratory differential run: `npx tsx test/differential/run.ts --count N --seed S [--keep DIR] [--all] [--by-reason]`
 * Prints pairs run, agreement, and the disagreements (unlisted first; --all also lists the known ones;
 * --by-reason groups the known ones under the entry that explains them).
 * Exits 1 when a disagreement is unlisted or a listed one no longer occurs.
 */
import { parseArgs } from 'node:util';
import { classify, formatTable, runDifferential, summaryLine } from './harness';
import { KNOWN_DIFFERENCES } from './known-differences';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'string' },
      all: { type: 'boolean', default: false },
      'by-reason': { type: 'boolean', default: false },
    },
  });
  const started = performance.now();
  const run = await runDifferential({ count: Number(values.count), seed: Number(values.seed), ...(values.keep === undefined ? {} : { keepDir: values.keep }) });
  const c = classify(run.pairs, KNOWN_DIFFERENCES);
  console.log(summaryLine(run));
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s; ${c.explained.length} known differences, ${c.unlisted.length} unlisted, ${c.stale.length} stale`);
  if (c.unlisted.length > 0) console.log(`\nUnlisted disagreements:\n${formatTable(c.unlisted)}`);
  if (c.stale.length > 0) console.log(`\nListed but no longer disagreeing:\n${formatTable(c.stale.map((s) => s.pair))}`);
  if (values.all && c.explained.length > 0) console.log(`\nKnown differences:\n${formatTable(c.explained.map((e) => e.pair))}`);
  if (values['by-reason']) {
    const groups = new Map<string, string[]>();
    for (const e of c.explained) groups.set(e.by.why, [...(groups.get(e.by.why) ?? []), `${e.pair.description} (Herald ${e.pair.herald.verdict}, pact-js ${e.pair.pactjs.verdict})`]);
    for (const [why, ids] of groups) console.log(`\n${ids.length} × ${why}\n${ids.map((id) => `    ${id}`).join('\n')}`);
  }
  process.exitCode = c.unlisted.length > 0 || c.stale.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
