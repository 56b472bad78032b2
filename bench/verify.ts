/**
 * Benchmark: verifying a provider against one Pact V3 message file, Herald vs pact-js.
 *
 *   npx tsx bench/verify.ts        (npm run bench:verify)
 *
 * 1. Writes one Pact V3 message pact with 1 000 interactions: realistic order events with type,
 *    regex, integer, eachLike (type + min), decimal and datetime (V3 `timestamp`) rules, a
 *    provider state with params, and metadata (Kafka key with a regex rule, an event-type header).
 * 2. Verifies it with Herald in this process (loadContracts + verifyProvider, a factory per
 *    interaction), then with pact-js' MessageProviderPact (v16: a messageProvider per description,
 *    pactUrls: [file]) in a child process whose stdout (pact's per-interaction output) is discarded;
 *    the time is measured around verify() inside it. Both must report all 1 000 passed, or the
 *    script fails.
 * 3. Herald alone on 10 000 interactions in a fresh process (a child of this one), so that its
 *    peak RSS (getrusage ru_maxrss) is Herald's alone.
 *
 * Producers return values that differ from the contract's examples (other ids, dates, quantities,
 * one to three items), so both verifiers pass only through the matching rules.
 *
 * 4. The "limit" row: a minimal checker (JSON.parse the pact, run the state, call the factory, check
 *    every rule in plain JS) in the same process: the floor a verifier can reach on this machine.
 *    "Warm" means after BENCH_WARMUP unmeasured runs of each (default 20; V8 is still optimising
 *    Herald's larger code through its first few thousand interactions, the checker's much sooner),
 *    then the median of 7 alternating runs.
 * 5. Whole process, cold: Herald's worker and pact-js' worker (this file, `--worker`) as fresh
 *    processes, paired runs, wall time from spawn to exit; the median of the pairs is reported.
 *    In the same pairs, the installed CLI as a provider runs it: `herald verify` from dist/ (built
 *    when missing, or with BENCH_BUILD=1) in a scratch project with a JavaScript factories module
 *    requiring 'herald'; once with its module cache filled by an unmeasured first run (any run
 *    after the first), once with HERALD_DISABLE_COMPILE_CACHE=1.
 * 6. Memory per interaction: heapUsed after a full GC (`--expose-gc`, a fresh child each), holding
 *    the loaded contracts and the report, for Herald and the checker, at each of BENCH_MEM_NS.
 *
 * Every figure is printed with os.loadavg() beside it: on a busy machine the µs are inflated.
 *
 * Environment: BENCH_N (default 1000), BENCH_LARGE_N (default 10000), BENCH_PAIRS (default 3),
 * BENCH_MEM_NS (default 10000,100000; empty to skip), BENCH_WARMUP (default 20), BENCH_SKIP_PACTJS=1,
 * BENCH_BUILD=1.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MessageProviders } from '@pact-foundation/pact';
import type { ProviderDefinition, VerificationReport } from '../src/index';
import { buildPackageIfStale, PACKAGE_CJS } from './dist';
import { description, EVENTS, ordersFactories, OrdersService, type OrderPlacedRecord } from './orders-service';

// Herald as users load it: the package build (dist/), not the sources through tsx. The main process
// rebuilds it first when stale; its workers, timed from their start, load it as it is.
if (process.argv[2] !== '--worker') buildPackageIfStale();
const { loadContracts, message, provider, verifyProvider } = require(path.join(PACKAGE_CJS, 'src/index.js')) as typeof import('../src/index');

const N = Number(process.env['BENCH_N'] ?? 1000);
const LARGE_N = Number(process.env['BENCH_LARGE_N'] ?? 10_000);
const PAIRS = Math.max(1, Number(process.env['BENCH_PAIRS'] ?? 3));
const WARMUP = Math.max(0, Number(process.env['BENCH_WARMUP'] ?? 20));
const MEM_NS = (process.env['BENCH_MEM_NS'] ?? '10000,100000')
  .split(',')
  .filter((v) => v.trim() !== '')
  .map(Number);
/** Per-interaction goals (issue 16): ≤ 10 µs warm, within 1.2× of the checker. */
const WARM_GOAL_US = 10;
const LIMIT_GOAL = 1.2;
const GOAL = 100;

// ---- the contract ------------------------------------------------------------------------------

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const DATETIME = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const rules = (matchers: readonly object[]): { matchers: readonly object[] } => ({ matchers });

/** One V3 message: what a consumer test would have written for order `i`. */
function interaction(i: number): object {
  return {
    description: description(i),
    providerStates: [{ name: 'an order exists', params: { orderId: i } }],
    contents: {
      orderId: 'e2490de5-5bd3-43d5-b7c4-526e33f71304',
      orderNumber: i,
      customerId: `cust-${i}`,
      placedAt: '2024-01-15T09:30:00.000Z',
      total: 12.5,
      currency: 'EUR',
      status: EVENTS[i % EVENTS.length],
      items: [{ sku: 'ABC-1', qty: 1, unitPrice: 12.5 }],
      shippingAddress: { street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' },
    },
    metadata: { contentType: 'application/json', kafka_key: 'e2490de5-5bd3-43d5-b7c4-526e33f71304', 'event-type': EVENTS[i % EVENTS.length] },
    matchingRules: {
      body: {
        '$.orderId': rules([{ match: 'regex', regex: UUID }]),
        '$.orderNumber': rules([{ match: 'integer' }]),
        '$.customerId': rules([{ match: 'type' }]),
        '$.placedAt': rules([{ match: 'timestamp', timestamp: DATETIME }]),
        '$.total': rules([{ match: 'decimal' }]),
        '$.currency': rules([{ match: 'regex', regex: '^(EUR|GBP|USD)$' }]),
        '$.items': rules([{ match: 'type', min: 1 }]),
        '$.items[*].sku': rules([{ match: 'regex', regex: '^[A-Z]{3}-\\d+$' }]),
        '$.items[*].qty': rules([{ match: 'integer' }]),
        '$.items[*].unitPrice': rules([{ match: 'decimal' }]),
        '$.shippingAddress': rules([{ match: 'type' }]),
      },
      metadata: { kafka_key: rules([{ match: 'regex', regex: UUID }]) },
    },
  };
}

function writePact(dir: string, n: number): string {
  const file = path.join(dir, `bench-${n}.json`);
  const pact = {
    consumer: { name: 'shipping' },
    provider: { name: 'orders' },
    messages: Array.from({ length: n }, (_, i) => interaction(i)),
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
  writeFileSync(file, JSON.stringify(pact));
  return file;
}

// ---- the producer --------------------------------------------------------------------------------

function heraldFactories(n: number): ProviderDefinition {
  return ordersFactories({ message, provider }, n);
}

// ---- the limit: a minimal checker -----------------------------------------------------------------
//
// What any verifier must do at least: parse the file, run the state, call the factory, check every
// rule of the interaction in plain JS. No reports, no messages, no generality beyond these rules.

interface CheckerRule {
  readonly match?: string;
  readonly regex?: string;
  readonly min?: number;
}
interface CheckerMessage {
  readonly description: string;
  readonly providerStates: readonly { readonly name: string; readonly params: { readonly orderId: number } }[];
  readonly contents: Record<string, unknown>;
  readonly matchingRules: { readonly body: Record<string, { readonly matchers: readonly CheckerRule[] }>; readonly metadata: Record<string, { readonly matchers: readonly CheckerRule[] }> };
}

const checkerRegexes = new Map<string, RegExp>();
const checkerPaths = new Map<string, readonly string[]>();
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

function checkerRegex(source: string): RegExp {
  let re = checkerRegexes.get(source);
  if (re === undefined) checkerRegexes.set(source, (re = new RegExp(source)));
  return re;
}

/** `$.a.b[*].c` → ['a', 'b', '*', 'c'] (a metadata key stays itself), parsed once per path. */
function checkerPath(p: string): readonly string[] {
  let segments = checkerPaths.get(p);
  if (segments === undefined) checkerPaths.set(p, (segments = (p.startsWith('$.') ? p.slice(2) : p).replace(/\[\*\]/g, '.*').split('.')));
  return segments;
}

function checkValue(rule: CheckerRule, value: unknown, expected: unknown): boolean {
  switch (rule.match) {
    case 'regex':
      return typeof value === 'string' && checkerRegex(rule.regex ?? '').test(value);
    case 'integer':
      return Number.isInteger(value);
    case 'decimal':
      return typeof value === 'number';
    case 'timestamp':
      return typeof value === 'string' && ISO_DATETIME.test(value);
    case 'type':
      if (Array.isArray(expected)) return Array.isArray(value) && value.length >= (rule.min ?? 0);
      return typeof value === typeof expected && value !== null;
    default:
      return false;
  }
}

/** Checks every rule at every value its path selects; returns the number of failures. */
function checkRules(rules: CheckerMessage['matchingRules']['body'], actual: unknown, expected: unknown): number {
  let failures = 0;
  for (const p in rules) {
    const segments = checkerPath(p);
    const matchers = rules[p]?.matchers ?? [];
    const visit = (a: unknown, e: unknown, depth: number): void => {
      if (depth === segments.length) {
        for (const rule of matchers) if (!checkValue(rule, a, e)) failures++;
        return;
      }
      const segment = segments[depth] as string;
      if (segment === '*') {
        if (!Array.isArray(a) || !Array.isArray(e)) {
          failures++;
          return;
        }
        for (const item of a) visit(item, e[0], depth + 1);
      } else if (typeof a === 'object' && a !== null && segment in a) {
        visit((a as Record<string, unknown>)[segment], (e as Record<string, unknown> | undefined)?.[segment], depth + 1);
      } else failures++;
    };
    visit(actual, expected, 0);
  }
  return failures;
}

/** The checker over a whole file: returns how many interactions passed, and what it holds. */
function runChecker(file: string, n: number): { ms: number; loadMs: number; passed: number; held: unknown } {
  const started = performance.now();
  const pact = JSON.parse(readFileSync(file, 'utf8')) as { messages: CheckerMessage[] };
  const loaded = performance.now();
  const orders = new OrdersService();
  const factories = new Map<string, () => OrderPlacedRecord>();
  for (let i = 0; i < n; i++) factories.set(description(i), () => orders.record(i));
  const verdicts: boolean[] = [];
  let passed = 0;
  for (const m of pact.messages) {
    for (const state of m.providerStates) orders.seed(Number(state.params.orderId));
    const record = factories.get(m.description)?.();
    let failures = record === undefined ? 1 : checkRules(m.matchingRules.body, record.value, m.contents);
    if (record !== undefined) failures += checkRules(m.matchingRules.metadata, { kafka_key: record.key }, { kafka_key: '' });
    verdicts.push(failures === 0);
    if (failures === 0) passed++;
  }
  return { ms: performance.now() - started, loadMs: loaded - started, passed, held: [pact, verdicts] };
}

// ---- runs ----------------------------------------------------------------------------------------

async function runHerald(file: string, n: number): Promise<{ ms: number; loadMs: number; report: VerificationReport }> {
  const started = performance.now();
  const contracts = await loadContracts([file]);
  const loaded = performance.now();
  const report = await verifyProvider(contracts, heraldFactories(n));
  return { ms: performance.now() - started, loadMs: loaded - started, report };
}

function assertHerald(report: VerificationReport, n: number): void {
  const s = report.summary;
  if (!s.ok || s.passed !== n || s.total !== n) {
    const first = report.results.find((r) => r.status !== 'passed');
    throw new Error(`Herald did not pass all ${n} interactions: ${JSON.stringify({ ...s, unusedFactories: s.unusedFactories.length })}; first problem: ${JSON.stringify(first)}`);
  }
}

async function runPactJs(file: string, n: number): Promise<{ ms: number; passed: number }> {
  // Loaded here, not at the top: Herald's whole-process runs must not pay for pact-js' modules.
  // The module itself, not the package root (which also loads pact-js' HTTP verifier proxy).
  const { MessageProviderPact, providerWithMetadata } = await import('@pact-foundation/pact/src/messageProviderPact');
  const orders = new OrdersService();
  const messageProviders: MessageProviders = {};
  for (let i = 0; i < n; i++) {
    messageProviders[description(i)] = (descriptor) => {
      const record = orders.record(i);
      return providerWithMetadata(() => record.value, { contentType: 'application/json', kafka_key: record.key, ...record.headers })(descriptor);
    };
  }
  const started = performance.now();
  const raw: unknown = await new MessageProviderPact({
    provider: 'orders',
    pactUrls: [file],
    messageProviders,
    stateHandlers: {
      'an order exists': async (_state, params) => {
        orders.seed(Number(params?.['orderId']));
      },
    },
    logLevel: 'error',
  }).verify();
  const ms = performance.now() - started;
  return { ms, passed: countPactJsPassed(raw, n) };
}

/** Reads pact-js' JSON verification report; throws unless every interaction passed. */
function countPactJsPassed(raw: unknown, n: number): number {
  const report: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isRecord(report) || report['result'] !== true || !Array.isArray(report['interactionResults'])) {
    throw new Error(`pact-js did not report success: ${String(raw).slice(0, 500)}`);
  }
  const results = report['interactionResults'].filter(isRecord);
  const passed = results.filter((r) => r['result'] === 'OK').length;
  if (results.length !== n || passed !== n) {
    throw new Error(`pact-js verified ${results.length} interactions, ${passed} passed; expected ${n}. First: ${JSON.stringify(results.find((r) => r['result'] !== 'OK'))}`);
  }
  return passed;
}

// ---- workers: fresh processes ----------------------------------------------------------------------
//
// pact-js runs in a child process because its native verifier prints ~8 lines per interaction to
// stdout (no option silences it); the child's stdout is read for the result line only. Herald's
// 10 000-interaction run gets a fresh process so that its peak RSS is Herald's alone.

const RESULT = 'BENCH_RESULT ';

interface LargeResult {
  readonly n: number;
  readonly ms: number;
  readonly passed: number;
  /** Peak resident set size of the worker process, MiB. */
  readonly peakRssMiB: number;
  /** RSS before loading the contract, MiB. */
  readonly baselineRssMiB: number;
  /** Heap still used once the report exists (after a full GC), MiB above the baseline. */
  readonly heapRetainedMiB: number;
}

const MiB = 1024 * 1024;

async function heraldWorker(file: string, n: number): Promise<LargeResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baselineRss = process.memoryUsage().rss;
  const baselineHeap = process.memoryUsage().heapUsed;
  const { ms, report } = await runHerald(file, n);
  assertHerald(report, n);
  gc?.();
  const heapRetained = process.memoryUsage().heapUsed - baselineHeap;
  return {
    n,
    ms,
    passed: report.summary.passed,
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    baselineRssMiB: baselineRss / MiB,
    heapRetainedMiB: heapRetained / MiB,
  };
}

/** Runs this file as a worker in a fresh process; `wallMs` is spawn to exit, the whole process. */
function runWorker<T>(tool: 'herald' | 'pactjs' | 'herald-mem' | 'checker-mem', file: string, n: number): Promise<T & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const spawned = performance.now();
    // process.execArgv carries tsx's loader flags when this file runs under `tsx`.
    const heap = tool.endsWith('-mem') ? ['--max-old-space-size=6144'] : [];
    const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', ...heap, __filename, '--worker', tool, file, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || line === undefined) reject(new Error(`the ${tool} worker (${n} interactions) exited with ${String(code)}:\n${out.slice(-4000)}`));
      else resolve({ ...(JSON.parse(line.slice(RESULT.length)) as T), wallMs: performance.now() - spawned });
    });
  });
}

/** heapUsed after a full GC while the run's contracts and report (or the checker's data) are held. */
interface MemoryResult {
  readonly n: number;
  readonly bytesPerInteraction: number;
}

async function memoryWorker(tool: 'herald' | 'checker', file: string, n: number): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory worker needs --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  let held: unknown;
  if (tool === 'herald') {
    const contracts = await loadContracts([file]);
    const report = await verifyProvider(contracts, heraldFactories(n));
    assertHerald(report, n);
    held = [contracts, report];
  } else {
    const run = runChecker(file, n);
    if (run.passed !== n) throw new Error(`the checker passed ${run.passed}/${n}`);
    held = run.held;
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  if (held === undefined) throw new Error('nothing held');
  return { n, bytesPerInteraction: (after - before) / n };
}

async function worker(tool: string, file: string, n: number): Promise<void> {
  const result =
    tool === 'pactjs'
      ? await runPactJs(file, n)
      : tool === 'herald-mem' || tool === 'checker-mem'
        ? await memoryWorker(tool === 'herald-mem' ? 'herald' : 'checker', file, n)
        : await heraldWorker(file, n);
  process.stdout.write(`\n${RESULT}${JSON.stringify(result)}\n`);
}

// ---- the installed CLI ---------------------------------------------------------------------------------

const ROOT = path.resolve(__dirname, '..');

/**
 * A scratch project in `dir` with this repository's dist/ installed as node_modules/herald (as
 * scripts/measure-startup.js does) and factories.js: ordersFactories of bench/orders-service.js over the installed Herald.
 */
function installCli(dir: string, n: number): string {
  const project = path.join(dir, 'cli-project');
  const herald = path.join(project, 'node_modules', 'herald');
  mkdirSync(herald, { recursive: true });
  for (const part of ['package.json', 'bin', 'dist']) cpSync(path.join(ROOT, part), path.join(herald, part), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(herald, 'node_modules'));
  cpSync(path.join(__dirname, 'orders-service.js'), path.join(project, 'orders-service.js'));
  writeFileSync(path.join(project, 'factories.js'), `module.exports = require('./orders-service.js').ordersFactories(require('herald'), ${n});\n`);
  return project;
}

/** `herald verify` of `file` by the CLI installed in `project`: wall time from spawn to exit; throws unless all `n` passed. */
function runCli(project: string, file: string, n: number, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return runCliWith(project, file, n, env, []).then((run) => run.wallMs);
}

/** runCli with `nodeArgs` before the CLI's path; also what the process printed. */
function runCliWith(project: string, file: string, n: number, env: NodeJS.ProcessEnv, nodeArgs: readonly string[]): Promise<{ wallMs: number; out: string }> {
  return new Promise((resolve, reject) => {
    const spawned = performance.now();
    const bin = path.join(project, 'node_modules/herald/bin/herald.js');
    const child = spawn(process.execPath, [...nodeArgs, bin, 'verify', '--contracts', file, '--factories', 'factories.js', '--allow-unchecked-channel', '--quiet'], {
      cwd: project,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - spawned;
      if (code !== 0 || !out.includes(`${n} passed, 0 failed`)) reject(new Error(`herald verify (${n} interactions) exited with ${String(code)}:\n${out.slice(-4000)}`));
      else resolve({ wallMs, out });
    });
  });
}

/** `node -e 0`: Node's own start and exit, the floor of any whole-process run on this machine. */
function runNodeAlone(): Promise<number> {
  return new Promise((resolve, reject) => {
    const spawned = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - spawned) : reject(new Error(`node -e 0 exited with ${String(code)}`))));
  });
}

/** The sum of the garbage collector's pauses that `--trace-gc` printed (`…, 0.84 / 0.00 ms …` per collection). */
function gcPauseMs(traceGcOutput: string): { ms: number; collections: number } {
  let ms = 0;
  let collections = 0;
  for (const match of traceGcOutput.matchAll(/^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: (?:Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Compact|Minor Mark-Sweep)\b.*?, ([\d.]+) \/ [\d.]+ ms/gm)) {
    ms += Number(match[1]);
    collections += 1;
  }
  return { ms, collections };
}

// ---- report ----------------------------------------------------------------------------------------

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: readonly string[]): string => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

const load = (): string => os.loadavg()[0]?.toFixed(1) ?? '?';
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const us = (ms: number, n: number): string => `${((ms / n) * 1000).toFixed(1)} µs`;

async function mainBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-verify-'));
  try {
    const file = writePact(dir, N);
    console.log(`Pact V3 message file: ${N} interactions, ${file}`);
    const rows: string[][] = [['run', 'interactions', 'time', 'per interaction', 'ratio', 'load']];
    const skipPactJs = process.env['BENCH_SKIP_PACTJS'] === '1';

    // Whole process, cold: paired fresh processes, Herald then pact-js, median of the pairs.
    const coldHerald: number[] = [];
    const coldCli: number[] = [];
    const coldCliNoCache: number[] = [];
    const coldPactJs: number[] = [];
    const inPactJs: number[] = [];
    const coldLoad: string[] = [];
    const nodeAlone: number[] = [];
    const coldCliOne: number[] = [];
    const project = installCli(dir, N);
    const noCache = { HERALD_DISABLE_COMPILE_CACHE: '1' };
    // One interaction of the same file and factories: what the CLI costs before any interaction.
    const oneFile = writePact(dir, 1);
    await runCli(project, file, N); // fills the module cache, as the first run after installing does
    for (let pair = 0; pair < PAIRS; pair++) {
      coldHerald.push((await runWorker<LargeResult>('herald', file, N)).wallMs);
      coldCli.push(await runCli(project, file, N));
      coldCliNoCache.push(await runCli(project, file, N, noCache));
      nodeAlone.push(await runNodeAlone());
      coldCliOne.push(await runCli(project, oneFile, 1));
      if (!skipPactJs) {
        const run = await runWorker<{ ms: number; passed: number }>('pactjs', file, N);
        coldPactJs.push(run.wallMs);
        inPactJs.push(run.ms);
      }
      coldLoad.push(load());
    }
    const coldRatio = skipPactJs ? '-' : `${(median(coldPactJs) / median(coldHerald)).toFixed(1)}× faster (goal ≥ ${GOAL}×)`;
    if (!skipPactJs) rows.push([`pact-js 16, whole process (median of ${PAIRS})`, String(N), fmtMs(median(coldPactJs)), us(median(coldPactJs), N), '1×', coldLoad.join(' ')]);
    rows.push([`Herald, whole process (median of ${PAIRS})`, String(N), fmtMs(median(coldHerald)), us(median(coldHerald), N), coldRatio, coldLoad.join(' ')]);
    const vsPactJs = (ms: number): string => (skipPactJs ? '-' : `${(median(coldPactJs) / ms).toFixed(1)}× faster (goal ≥ ${GOAL}×)`);
    rows.push([`herald verify CLI, whole process (median of ${PAIRS})`, String(N), fmtMs(median(coldCli)), us(median(coldCli), N), vsPactJs(median(coldCli)), coldLoad.join(' ')]);
    rows.push([`  same, no module cache (median of ${PAIRS})`, String(N), fmtMs(median(coldCliNoCache)), us(median(coldCliNoCache), N), vsPactJs(median(coldCliNoCache)), coldLoad.join(' ')]);
    rows.push([`  same, one interaction (median of ${PAIRS})`, '1', fmtMs(median(coldCliOne)), '-', '-', coldLoad.join(' ')]);
    rows.push([`  node -e 0 (median of ${PAIRS})`, '0', fmtMs(median(nodeAlone)), '-', '-', coldLoad.join(' ')]);
    // The garbage collector's share of one more run of the CLI (its pauses, as --trace-gc prints them).
    const traced = gcPauseMs((await runCliWith(project, file, N, {}, ['--trace-gc'])).out);

    // In process, warm: Herald (load + states + factory + match + result) and the checker.
    const first = await runHerald(file, N);
    assertHerald(first.report, N);
    for (let run = 0; run < WARMUP; run++) {
      await runHerald(file, N);
      runChecker(file, N);
    }
    const warm: number[] = [];
    const warmRead: number[] = [];
    const limit: number[] = [];
    const limitRead: number[] = [];
    for (let run = 0; run < 7; run++) {
      const again = await runHerald(file, N);
      assertHerald(again.report, N);
      warm.push(again.ms);
      warmRead.push(again.loadMs);
      const checked = runChecker(file, N);
      if (checked.passed !== N) throw new Error(`the checker passed ${checked.passed}/${N}`);
      limit.push(checked.ms);
      limitRead.push(checked.loadMs);
    }
    const warmLoad = load();
    const heraldUs = (median(warm) / N) * 1000;
    const limitUs = (median(limit) / N) * 1000;
    if (!skipPactJs) rows.push(['pact-js 16, in process (verify() only)', String(N), fmtMs(median(inPactJs)), us(median(inPactJs), N), '1×', coldLoad.join(' ')]);
    rows.push([
      `Herald, in process, warm (median of 7 after ${WARMUP})`,
      String(N),
      fmtMs(median(warm)),
      `${heraldUs.toFixed(1)} µs`,
      skipPactJs ? '-' : `${Math.round(((median(inPactJs) / N) * 1000) / heraldUs)}× pact-js per interaction`,
      warmLoad,
    ]);
    rows.push([
      `limit: minimal checker (median of 7 after ${WARMUP})`,
      String(N),
      fmtMs(median(limit)),
      `${limitUs.toFixed(1)} µs`,
      `Herald = ${(heraldUs / limitUs).toFixed(2)}× the limit`,
      warmLoad,
    ]);

    // Herald alone on LARGE_N interactions in a fresh process (time and peak RSS).
    const largeFile = writePact(dir, LARGE_N);
    const large = await runWorker<LargeResult>('herald', largeFile, LARGE_N);
    rows.push([`Herald, fresh process (peak RSS ${large.peakRssMiB.toFixed(0)} MiB)`, String(large.n), fmtMs(large.ms), us(large.ms, large.n), '-', load()]);
    console.log(`\n${table(rows)}\n`);

    // Memory per interaction: heapUsed after GC, holding what each run produced.
    if (MEM_NS.length > 0) {
      const memRows: string[][] = [['memory (heap after GC, held)', 'interactions', 'per interaction', 'vs checker', 'load']];
      for (const n of MEM_NS) {
        const memFile = n === LARGE_N ? largeFile : writePact(dir, n);
        const herald = await runWorker<MemoryResult>('herald-mem', memFile, n);
        const checker = await runWorker<MemoryResult>('checker-mem', memFile, n);
        const kb = (b: number): string => `${(b / 1024).toFixed(1)} KB`;
        memRows.push(['Herald', String(n), kb(herald.bytesPerInteraction), `${(herald.bytesPerInteraction / checker.bytesPerInteraction).toFixed(2)}×`, load()]);
        memRows.push(['minimal checker', String(n), kb(checker.bytesPerInteraction), '1×', load()]);
        if (memFile !== largeFile) rmSync(memFile, { force: true });
      }
      console.log(`${table(memRows)}\n`);
    }

    console.log(
      `Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `Warm per interaction: ${heraldUs.toFixed(1)} µs (goal ≤ ${WARM_GOAL_US} µs${heraldUs <= WARM_GOAL_US ? ', met' : `, NOT met${limitUs > WARM_GOAL_US ? `: the minimal checker itself takes ${limitUs.toFixed(1)} µs on this machine` : ''}`}); ` +
        `${(heraldUs / limitUs).toFixed(2)}× the minimal checker (goal ≤ ${LIMIT_GOAL}×${heraldUs / limitUs <= LIMIT_GOAL ? ', met' : ', NOT met'}).`,
    );
    // Where the warm time goes, beside the checker's: reading the file, then verifying.
    const perUs = (ms: number): string => `${((ms / N) * 1000).toFixed(1)} µs`;
    console.log(
      `Warm, split: Herald reads ${perUs(median(warmRead))} (the checker's JSON.parse: ${perUs(median(limitRead))}) and verifies ${perUs(median(warm) - median(warmRead))} ` +
        `(the checker: ${perUs(median(limit) - median(limitRead))}) per interaction; reading is the contract checks the checker skips (schema, number literals, repeated keys, depth, rule maps).`,
    );
    // Where the cold CLI's time goes: Node's own start, Herald's fixed cost, the interactions, and the GC's share.
    const fixedMs = median(coldCliOne) - median(nodeAlone);
    const interactionsMs = median(coldCli) - median(coldCliOne);
    console.log(
      `Cold CLI, split: ${fmtMs(median(coldCli))} = Node's own start ${fmtMs(median(nodeAlone))} + Herald's fixed cost ${fmtMs(fixedMs)} (modules, CLI set-up, one interaction) + ${N} interactions ${fmtMs(interactionsMs)} (${perUs(interactionsMs)} each); ` +
        `the garbage collector paused ${fmtMs(traced.ms)} in ${traced.collections} collections of one such run.`,
    );
    if (!skipPactJs) {
      const budget = median(coldPactJs) / GOAL;
      console.log(
        `Cold CLI budget for ≥ ${GOAL}× pact-js: ${fmtMs(budget)}; Node's own start takes ${fmtMs(median(nodeAlone))}, Herald's fixed cost ${fmtMs(fixedMs)}, ` +
          `${budget >= median(coldCli) ? 'within it' : `${fmtMs(median(coldCli) - budget)} over it`}.`,
      );
      const ratio = median(coldPactJs) / median(coldHerald);
      console.log(`Whole process, cold: Herald is ${ratio.toFixed(1)}× faster than pact-js (goal ≥ ${GOAL}×${ratio >= GOAL ? ', met' : ', NOT met'}).`);
      const cliRatio = median(coldPactJs) / median(coldCli);
      console.log(`Whole process, cold, herald verify CLI: ${cliRatio.toFixed(1)}× faster than pact-js (goal ≥ ${GOAL}×${cliRatio >= GOAL ? ', met' : ', NOT met'}).`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, workerTool, workerFile, workerN] = process.argv.slice(2);
(mode === '--worker' && workerTool !== undefined && workerFile !== undefined ? worker(workerTool, workerFile, Number(workerN)) : mainBench()).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
