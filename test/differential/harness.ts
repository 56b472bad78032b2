/**
 * The differential harness: pact-js 16 (Rust verifier) and Herald verify the same pact files
 * against the same provider messages; every disagreement must be a known, justified difference.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyWithHerald } from './herald-side';
import type { KnownDifference } from './known-differences';
import { pairId, type ComparedPair, type PactJsPair } from './pair';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface RunOptions {
  /** Seeded random mutations added to the curated corpus. */
  readonly count: number;
  readonly seed: number;
  /** Keep the pact files and pairs.json here instead of a removed temp dir. */
  readonly keepDir?: string;
}

export interface Run {
  readonly pairs: readonly ComparedPair[];
  readonly pactJsMs: number;
  readonly heraldMs: number;
}

/** Runs the pact-js side in a child process (its native verifier writes to stdout). */
async function runPactJsSide(out: string, options: RunOptions): Promise<PactJsPair[]> {
  const tsx = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const script = path.join(__dirname, 'pactjs-side.ts');
  const log = path.join(out, 'pactjs.log');
  const chunks: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, script, '--out', out, '--count', String(options.count), '--seed', String(options.seed)], {
      cwd: REPO_ROOT,
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const output = Buffer.concat(chunks).toString('utf8');
  await writeFile(log, output);
  if (code !== 0) throw new Error(`Failed to run the pact-js side (exit ${String(code)}): ${output.slice(-3000)}`);
  return JSON.parse(await readFile(path.join(out, 'pairs.json'), 'utf8')) as PactJsPair[];
}

export async function runDifferential(options: RunOptions): Promise<Run> {
  const out = options.keepDir ?? (await mkdtemp(path.join(os.tmpdir(), 'herald-differential-')));
  try {
    const t0 = performance.now();
    const pactjs = await runPactJsSide(out, options);
    const t1 = performance.now();
    const pairs = await verifyWithHerald(pactjs);
    return { pairs, pactJsMs: t1 - t0, heraldMs: performance.now() - t1 };
  } finally {
    if (options.keepDir === undefined) await rm(out, { recursive: true, force: true });
  }
}

const passes = (v: { verdict: string }): boolean => v.verdict === 'pass';
/** Pass versus not pass: the verdict a CI gate acts on. */
export const agrees = (p: ComparedPair): boolean => passes(p.pactjs) === passes(p.herald);

const matches = (d: KnownDifference, p: ComparedPair): boolean => d.pairs.some((id) => (typeof id === 'string' ? id === pairId(p) : id.test(pairId(p))));

export interface Classified {
  readonly agreed: readonly ComparedPair[];
  /** Disagreements with the known difference that explains each. */
  readonly explained: readonly { pair: ComparedPair; by: KnownDifference }[];
  /** Disagreements nobody listed: the test fails on these. */
  readonly unlisted: readonly ComparedPair[];
  /** Listed pairs (by exact id) that ran but no longer disagree as listed: the list is stale. */
  readonly stale: readonly { id: string; by: KnownDifference; pair: ComparedPair }[];
  /** Listed differences none of whose pairs ran (e.g. a smaller --count): not checked. */
  readonly notRun: readonly KnownDifference[];
}

export function classify(pairs: readonly ComparedPair[], known: readonly KnownDifference[]): Classified {
  const agreed: ComparedPair[] = [];
  const explained: { pair: ComparedPair; by: KnownDifference }[] = [];
  const unlisted: ComparedPair[] = [];
  const stale: { id: string; by: KnownDifference; pair: ComparedPair }[] = [];
  for (const p of pairs) {
    if (agrees(p)) {
      agreed.push(p);
      const listed = known.find((d) => d.mayAgree !== true && d.pairs.includes(pairId(p)));
      if (listed !== undefined) stale.push({ id: pairId(p), by: listed, pair: p });
      continue;
    }
    const heraldVerdict = passes(p.herald) ? 'pass' : 'fail';
    const by = known.find((d) => d.herald === heraldVerdict && matches(d, p));
    if (by !== undefined) explained.push({ pair: p, by });
    else unlisted.push(p);
  }
  const ran = new Set(pairs.map(pairId));
  const notRun = known.filter((d) => d.mayAgree !== true && !d.pairs.some((id) => (typeof id === 'string' ? ran.has(id) : pairs.some((p) => id.test(pairId(p))))));
  return { agreed, explained, unlisted, stale, notRun };
}

const cell = (s: string, width: number): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
// JSON.stringify escapes lone surrogates (\ud800) and control characters, so the table shows them.
const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

/** A readable table: pact, interaction, mutation, the message, both verdicts with their messages. */
export function formatTable(pairs: readonly ComparedPair[], detailWidth = 140): string {
  const lines: string[] = [];
  for (const p of pairs) {
    lines.push(`• ${p.description}   [${path.basename(p.pactFile)}]`);
    lines.push(`    message   body=${cell(show(p.message.body), 100)} metadata=${cell(show(p.message.metadata), 120)}`);
    lines.push(`    pact-js   ${p.pactjs.verdict.toUpperCase().padEnd(5)} ${cell(p.pactjs.detail, detailWidth)}`);
    lines.push(`    herald    ${p.herald.verdict.toUpperCase().padEnd(5)} ${cell(p.herald.detail, detailWidth)}`);
  }
  return lines.join('\n');
}

export function summaryLine(run: Run): string {
  const agreed = run.pairs.filter(agrees).length;
  const pct = run.pairs.length === 0 ? 0 : (100 * agreed) / run.pairs.length;
  return `${run.pairs.length} pairs, ${agreed} agree (${pct.toFixed(1)} %), ${run.pairs.length - agreed} disagree; pact-js side ${(run.pactJsMs / 1000).toFixed(1)} s, Herald side ${(run.heraldMs / 1000).toFixed(1)} s`;
}
