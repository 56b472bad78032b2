/**
 * Differential: Herald and pact-js 16's Rust verifier judge the same message pacts (written with
 * pact-js' own consumer DSL) against the same provider messages. Every disagreement must be listed,
 * with its reason, in known-differences.ts; every listed pair must still disagree.
 *
 * Bounded and deterministic: the curated corpus (corpus.ts, both spec versions) plus SEEDED random
 * single mutations. Larger exploratory runs: `npx tsx test/differential/run.ts --count N --seed S`.
 */
import { classify, formatTable, runDifferential, summaryLine, type Classified, type Run } from './harness';
import { KNOWN_DIFFERENCES, UNSATISFIABLE_EXAMPLES } from './known-differences';
import { pairId } from './pair';

const RANDOM_MUTATIONS = 300;
const SEED = 1;

let run: Run | undefined;
let classified: Classified | undefined;

beforeAll(async () => {
  run = await runDifferential({ count: RANDOM_MUTATIONS, seed: SEED });
  classified = classify(run.pairs, KNOWN_DIFFERENCES);
  process.stdout.write(`differential: ${summaryLine(run)}\n`);
}, 300_000);

const result = (): { run: Run; classified: Classified } => {
  if (run === undefined || classified === undefined) throw new Error('Failed to read the differential run: beforeAll did not finish. See the error above.');
  return { run, classified };
};

test('pact-js reports a verdict for every pair it was given', () => {
  const missing = result().run.pairs.filter((p) => p.pactjs.verdict === 'error');
  expect(formatTable(missing)).toBe('');
});

test('the example pact-js reifies from each contract passes both verifiers, unless a listed difference says otherwise', () => {
  const { classified: c } = result();
  const unsatisfiable = new Set(UNSATISFIABLE_EXAMPLES.flatMap((u) => u.pairs));
  const examples = c.agreed.filter((p) => p.mutation === 'example' && p.pactjs.verdict !== 'pass' && !unsatisfiable.has(pairId(p)));
  // An example both verifiers reject would mean a contract pact-js' DSL wrote is unsatisfiable: worth a look.
  expect(examples.map(pairId)).toEqual([]);
});

test('every disagreement between Herald and pact-js is a listed known difference', () => {
  const { classified: c } = result();
  if (c.unlisted.length > 0) {
    throw new Error(
      `${c.unlisted.length} disagreement(s) not in test/differential/known-differences.ts. Fix Herald, or list each with the spec text that makes Herald right:\n${formatTable(c.unlisted)}`,
    );
  }
});

test('every listed difference still occurs (remove entries whose fix has landed)', () => {
  const { classified: c } = result();
  if (c.stale.length > 0) {
    throw new Error(
      `${c.stale.length} listed pair(s) now agree; remove them from known-differences.ts:\n${c.stale.map((s) => `  ${s.id} — ${s.by.why.slice(0, 80)}`).join('\n')}\n${formatTable(c.stale.map((s) => s.pair))}`,
    );
  }
});

test('every pair named in known-differences.ts exists in the corpus', () => {
  const ran = new Set(result().run.pairs.map(pairId));
  const named = KNOWN_DIFFERENCES.flatMap((d) => d.pairs.filter((id): id is string => typeof id === 'string'));
  expect(named.filter((id) => !ran.has(id))).toEqual([]);
});
