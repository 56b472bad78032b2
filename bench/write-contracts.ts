/**
 * Benchmark: writing N message interactions to one contract file, Herald vs pact-js.
 *
 *   npx tsx bench/write-contracts.ts [--herald-only]       (npm run bench:write)
 *
 * Each measurement runs in a fresh child process (this file in `worker` mode) so that JIT warm-up,
 * heap and pact-js' native state are never shared between points, and the peak RSS reported is that
 * process's alone. A worker times everything after its imports: declaring the N interactions,
 * running each consumer handler, and writing the file.
 *
 * - Herald: N declarations through the public consumer DSL, `.verify(handler)` on each, then one
 *   `writeContracts()`. Outside jest, interactions are recorded under process.argv[1] as owner.
 *   Herald is loaded as users load it, from the package build (dist/, rebuilt first when stale).
 *   Each Herald point is run 3 times; the median is reported.
 * - pact-js: the V3 message consumer API, `MessageConsumerPact` `.given().expectsToReceive()
 *   .withContent().withMetadata().verify(handler)` per interaction, which is what pact-js' message
 *   documentation (docs/messages.md) shows in v16. Each verify() makes pact_ffi write the file in
 *   merge mode, re-reading and re-writing everything recorded so far, hence superlinear. Run once per
 *   point, stopped once it passes CAP_MS.
 *
 * Both sides declare the same payload, metadata and matchers (uuid, string, datetime, decimal,
 * regex/oneOf, eachLike with min, integer, like). Every output file is parsed and must hold exactly
 * the number of interactions written, or the script fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildPackageIfStale, PACKAGE_CJS } from './dist';

type Tool = 'herald' | 'pactjs';

/** What a worker reports on its last stdout line. */
interface WorkerResult {
  readonly tool: Tool;
  readonly n: number;
  /** Interactions actually written (less than n only when capped). */
  readonly written: number;
  readonly ms: number;
  /** User + system CPU time of the timed work, in ms: less sensitive than `ms` to a busy machine. */
  readonly cpuMs: number;
  readonly capped: boolean;
  /** Peak resident set size of the worker process, in KiB (getrusage ru_maxrss). */
  readonly maxRssKb: number;
  /** RSS after imports, before the timed work, in KiB. */
  readonly baselineRssKb: number;
}

const HERALD_POINTS = [1_000, 10_000] as const;
const PACTJS_POINTS = [200, 1_000] as const;
const HERALD_REPEATS = 3;
const CAP_MS = 120_000;
/** Issue 16: 1 000 declarations in one file at ≤ 0.3 ms each, and linear to 10 000. */
const GOAL_MS_PER_DECLARATION = 0.3;
/** `--herald-only` skips pact-js (minutes at N=1000) when only Herald's own cost is wanted. */
const HERALD_ONLY = process.argv.includes('--herald-only');
const CONSUMER = 'bench-shipping';
const PROVIDER = 'bench-orders';

// ---- the worker side ----

const TRACE_ID_EXAMPLE = '4bf92f3577b34da6a3ce929d0e0e4736';
const DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

type Timed = Omit<WorkerResult, 'maxRssKb'>;

const rssKb = (): number => Math.round(process.memoryUsage().rss / 1024);

/** Starts the clock (wall and CPU) for the timed region, after the imports. */
function startTimer(): () => { ms: number; cpuMs: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
}

async function heraldWorker(n: number, dir: string): Promise<Timed> {
  // Herald as users load it: the package build (dist/, rebuilt by the main process when stale).
  const { consumer, kafkaTopic, m, writeContracts } = require(path.join(PACKAGE_CJS, 'src/index.js')) as typeof import('herald');
  const baselineRssKb = rssKb();
  const stop = startTimer();
  const orders = consumer(CONSUMER).expectsFrom(PROVIDER);
  for (let i = 0; i < n; i++) {
    const declaration = orders
      .message(`an OrderPlaced event #${i}`)
      .given('an order exists', { orderId: i })
      .on(kafkaTopic('orders.v1'))
      .withKey(m.uuid())
      .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{32}$/, TRACE_ID_EXAMPLE), 'event-type': 'OrderPlaced' })
      .withPayload({
        orderId: m.uuid(),
        customerId: m.string(`cust-${1000 + i}`),
        placedAt: m.datetime(),
        total: m.decimal(12.5),
        currency: m.oneOf(['EUR', 'GBP', 'USD']),
        items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }, { min: 1 }),
        shippingAddress: m.like({ street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' }),
      })
      .writeTo(dir);
    // A trivial handler: the benchmark measures recording and writing, not consumer logic.
    await declaration.verify((message) => message.payload.items.length);
  }
  await writeContracts();
  return { tool: 'herald', n, written: n, ...stop(), capped: false, baselineRssKb };
}

async function pactjsWorker(n: number, dir: string): Promise<Timed> {
  const { MessageConsumerPact, MatchersV3: M } = await import('@pact-foundation/pact');
  const baselineRssKb = rssKb();
  const start = performance.now();
  const stop = startTimer();
  const pact = new MessageConsumerPact({ consumer: CONSUMER, provider: PROVIDER, dir, logLevel: 'error' });
  let written = 0;
  let capped = false;
  for (let i = 0; i < n; i++) {
    await pact
      .given({ name: 'an order exists', params: { orderId: String(i) } })
      .expectsToReceive(`an OrderPlaced event #${i}`)
      .withContent({
        orderId: M.uuid(),
        customerId: M.string(`cust-${1000 + i}`),
        placedAt: M.datetime(DATETIME_FORMAT, '2024-01-15T09:30:00.000Z'),
        total: M.decimal(12.5),
        currency: M.regex(/^(?:EUR|GBP|USD)$/, 'EUR'),
        items: M.eachLike({ sku: M.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: M.integer(1) }, 1),
        shippingAddress: M.like({ street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' }),
      })
      .withMetadata({ kafka_topic: 'orders.v1', kafka_key: M.uuid(), 'trace-id': M.regex(/^[0-9a-f]{32}$/, TRACE_ID_EXAMPLE), 'event-type': 'OrderPlaced' })
      .verify(async (message) => message.contents);
    written++;
    if (performance.now() - start > CAP_MS && written < n) {
      capped = true;
      break;
    }
  }
  return { tool: 'pactjs', n, written, ...stop(), capped, baselineRssKb };
}

async function runWorker(tool: Tool, n: number, dir: string): Promise<void> {
  const result = tool === 'herald' ? await heraldWorker(n, dir) : await pactjsWorker(n, dir);
  const report: WorkerResult = { ...result, maxRssKb: process.resourceUsage().maxRSS };
  process.stdout.write(`\n${JSON.stringify(report)}\n`);
}

// ---- the parent side ----

function isWorkerResult(v: unknown): v is WorkerResult {
  return typeof v === 'object' && v !== null && 'tool' in v && 'ms' in v && 'written' in v && typeof v.ms === 'number' && typeof v.written === 'number';
}

/** Runs one measurement in a fresh process running this same file (through tsx's loader). */
function spawnWorker(tool: Tool, n: number, dir: string): Promise<WorkerResult> {
  const execArgv = process.execArgv.filter((a) => a !== '--eval' && a !== '-e');
  const child = spawn(process.execPath, [...execArgv, __filename, 'worker', tool, String(n), dir], {
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // The worker stops itself at CAP_MS; this only catches a hung worker.
  const killer = setTimeout(() => child.kill('SIGKILL'), CAP_MS + 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(last);
      } catch {
        parsed = undefined;
      }
      if (code !== 0 || !isWorkerResult(parsed)) {
        reject(new Error(`Failed to benchmark ${tool} at N=${n}: the worker exited with ${signal ?? code}.\n${stderr}${stdout}`));
        return;
      }
      resolve(parsed);
    });
  });
}

/** Interactions in the single contract file a worker wrote into `dir` (V4 `interactions` or V3 `messages`). */
function countInteractions(dir: string): { file: string; count: number; spec: string } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length !== 1) throw new Error(`Failed to check ${dir}: expected exactly one contract file, found ${files.length} (${files.join(', ')}).`);
  const file = path.join(dir, files[0] ?? '');
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof json !== 'object' || json === null) throw new Error(`Failed to check ${file}: not a JSON object.`);
  const list = 'interactions' in json ? json.interactions : 'messages' in json ? json.messages : undefined;
  if (!Array.isArray(list)) throw new Error(`Failed to check ${file}: it has neither "interactions" nor "messages".`);
  const meta = 'metadata' in json && typeof json.metadata === 'object' && json.metadata !== null ? json.metadata : {};
  const spec =
    'pactSpecification' in meta && typeof meta.pactSpecification === 'object' && meta.pactSpecification !== null && 'version' in meta.pactSpecification ? String(meta.pactSpecification.version) : '?';
  return { file, count: list.length, spec };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** Runs one point (`repeats` times), checks every file, returns the median run (by time). */
async function measure(root: string, tool: Tool, n: number, repeats: number): Promise<WorkerResult & { spec: string; runs: readonly number[]; load: number }> {
  const runs: WorkerResult[] = [];
  let spec = '?';
  for (let r = 0; r < repeats; r++) {
    const dir = mkdtempSync(path.join(root, `${tool}-${n}-`));
    process.stderr.write(`  ${tool.padEnd(6)} N=${String(n).padEnd(5)} run ${r + 1}/${repeats}… `);
    const result = await spawnWorker(tool, n, dir);
    const checked = countInteractions(dir);
    if (checked.count !== result.written) {
      throw new Error(`Benchmark output is wrong: ${checked.file} holds ${checked.count} interactions, ${tool} wrote ${result.written}.`);
    }
    if (!result.capped && checked.count !== n) throw new Error(`Benchmark output is wrong: ${checked.file} holds ${checked.count} interactions, expected ${n}.`);
    spec = checked.spec;
    process.stderr.write(`${result.ms.toFixed(0)} ms${result.capped ? ` (capped after ${result.written})` : ''}\n`);
    rmSync(dir, { recursive: true, force: true });
    runs.push(result);
  }
  const mid = median(runs.map((r) => r.ms));
  const chosen = runs.find((r) => r.ms === mid) ?? runs[0];
  if (chosen === undefined) throw new Error('Failed to measure: no run.');
  return { ...chosen, spec, runs: runs.map((r) => r.ms), load: os.loadavg()[0] ?? 0 };
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const perItem = (r: WorkerResult): string => {
  const ms = r.ms / r.written;
  return ms >= 10 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;
};
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: readonly string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  buildPackageIfStale();
  const root = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-write-'));
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const cpus = os.cpus().length;
    const load = (): string => os.loadavg()[0]?.toFixed(1) ?? '?';
    process.stderr.write(`Writing N message interactions, each measurement in a fresh process (Node ${process.version}, ${cpus} CPUs, load ${load()}).\n`);
    const loadBefore = os.loadavg()[0] ?? 0;
    const herald = new Map<number, Awaited<ReturnType<typeof measure>>>();
    for (const n of HERALD_POINTS) herald.set(n, await measure(root, 'herald', n, HERALD_REPEATS));
    const pactjs = new Map<number, Awaited<ReturnType<typeof measure>>>();
    if (!HERALD_ONLY) for (const n of PACTJS_POINTS) pactjs.set(n, await measure(root, 'pactjs', n, 1));

    const rows: string[][] = [['N', 'Herald', 'Herald / interaction', 'pact-js', 'pact-js / interaction', 'pact-js ÷ Herald', 'Herald peak RSS']];
    for (const n of HERALD_POINTS) {
      const h = herald.get(n);
      const p = pactjs.get(n);
      if (h === undefined) continue;
      const pactCell = p === undefined ? '—' : p.capped ? `> ${fmtMs(p.ms)} (capped at ${p.written}/${n})` : fmtMs(p.ms);
      const ratio = p === undefined ? '—' : p.capped ? `> ${(p.ms / h.ms).toFixed(0)}×` : `${(p.ms / h.ms).toFixed(0)}×`;
      rows.push([String(n), fmtMs(h.ms), perItem(h), pactCell, p === undefined ? '—' : perItem(p), ratio, mb(h.maxRssKb)]);
    }
    process.stdout.write(`\n${table(rows)}\n\n`);

    const per = (n: number): number => {
      const h = herald.get(n);
      return h === undefined ? Number.NaN : h.ms / h.written;
    };
    const first = HERALD_POINTS[0];
    const scaling = HERALD_POINTS.map((n) => `N=${n}: ${(per(n) * 1000).toFixed(0)} µs (${(per(n) / per(first)).toFixed(2)}× N=${first})`).join(', ');
    process.stdout.write(`Herald per-interaction time: ${scaling}. It does not grow with N (fixed and JIT warm-up costs amortise), so total time is linear in N.\n`);
    for (const n of HERALD_POINTS) {
      const h = herald.get(n);
      if (h === undefined) continue;
      const wall = h.ms / h.written;
      const verdict = wall <= GOAL_MS_PER_DECLARATION ? 'met' : `missed by ${(wall / GOAL_MS_PER_DECLARATION).toFixed(2)}×`;
      process.stdout.write(
        `Per declaration at N=${n}: ${wall.toFixed(3)} ms wall, ${(h.cpuMs / h.written).toFixed(3)} ms CPU (goal ≤ ${GOAL_MS_PER_DECLARATION} ms: ${verdict}; 1-min load ${h.load.toFixed(1)} on ${cpus} CPUs).\n`,
      );
    }
    const h5 = herald.get(HERALD_POINTS[HERALD_POINTS.length - 1] ?? first);
    if (h5 !== undefined) process.stdout.write(`Herald peak RSS: ${mb(h5.maxRssKb)} at N=${h5.n} (${mb(h5.baselineRssKb)} after imports).\n`);
    const p200 = pactjs.get(200);
    const p1000 = pactjs.get(1_000);
    if (p200 !== undefined && p1000 !== undefined && !p1000.capped) {
      process.stdout.write(
        `pact-js per-interaction time grows ${(p1000.ms / p1000.written / (p200.ms / p200.written)).toFixed(1)}× from N=200 to N=1000 (superlinear: each verify() re-reads and re-writes the file).\n`,
      );
    }
    const cpuOf = (m: ReadonlyMap<number, WorkerResult>): string => [...m].map(([n, r]) => `N=${n} ${fmtMs(r.cpuMs)}`).join(', ');
    process.stdout.write(`CPU time (user+sys, all threads) of the same runs: Herald ${cpuOf(herald)}${HERALD_ONLY ? '' : `; pact-js ${cpuOf(pactjs)}`}.\n`);
    const loadAfter = os.loadavg()[0] ?? 0;
    if (Math.max(loadBefore, loadAfter) > cpus) {
      process.stdout.write(`Warning: the machine was busy (1-min load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus} CPUs); wall times are noisy, compare CPU times.\n`);
    }
    const herald1000 = herald.get(1_000);
    process.stdout.write(
      `Herald medians of ${HERALD_REPEATS} runs (all runs, ms: ${HERALD_POINTS.map((n) => `N=${n} [${(herald.get(n)?.runs ?? []).map((x) => x.toFixed(0)).join(', ')}]`).join(' ')}); pact-js single runs, cap ${CAP_MS / 1000} s.\n` +
        `Files checked: Herald Pact spec ${herald1000?.spec ?? '?'} (interactions), ${HERALD_ONLY ? '' : `pact-js MessageConsumerPact spec ${p1000?.spec ?? p200?.spec ?? '?'} (messages); `}each holds exactly the interactions written.\n`,
    );
  } finally {
    cleanup();
  }
}

if (process.argv[2] === 'worker') {
  const tool = process.argv[3];
  const n = Number(process.argv[4]);
  const dir = process.argv[5];
  if ((tool !== 'herald' && tool !== 'pactjs') || !Number.isInteger(n) || dir === undefined) {
    process.stderr.write(`Usage: write-contracts.ts worker <herald|pactjs> <N> <dir>\n`);
    process.exit(2);
  }
  runWorker(tool, n, dir).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
