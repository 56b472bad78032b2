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
 * Environment: BENCH_N (default 1000), BENCH_LARGE_N (default 10000), BENCH_SKIP_PACTJS=1.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
// The module itself, not the package root (which also loads pact-js' HTTP verifier proxy).
import { MessageProviderPact, providerWithMetadata } from '@pact-foundation/pact/src/messageProviderPact';
import type { MessageProviders } from '@pact-foundation/pact';
import { loadContracts, message, provider, verifyProvider, type ProviderDefinition, type VerificationReport } from '../src/index';

const N = Number(process.env['BENCH_N'] ?? 1000);
const LARGE_N = Number(process.env['BENCH_LARGE_N'] ?? 10_000);
const GOAL = 100;

// ---- the contract ------------------------------------------------------------------------------

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const DATETIME = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const EVENTS = ['OrderPlaced', 'OrderPaid', 'OrderPacked', 'OrderShipped'] as const;

const description = (i: number): string => `an ${EVENTS[i % EVENTS.length]} event for order ${i}`;
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

interface OrderPlacedRecord {
  readonly key: string;
  readonly headers: { readonly 'event-type': string };
  readonly value: Record<string, unknown>;
}

/** The orders service: states seed orders, events are built from them. */
class OrdersService {
  readonly #orders = new Map<number, { id: string; placedAt: Date; lines: { sku: string; qty: number; unitPrice: number }[] }>();

  seed(orderNumber: number): void {
    const lines = Array.from({ length: 1 + (orderNumber % 3) }, (_, k) => ({ sku: `SKU-${100 + k}`, qty: 2 + k, unitPrice: 3.25 + k }));
    this.#orders.set(orderNumber, { id: randomUUID(), placedAt: new Date(Date.UTC(2025, 5, 1, 12, 0, orderNumber % 60)), lines });
  }

  record(orderNumber: number): OrderPlacedRecord {
    const order = this.#orders.get(orderNumber);
    if (order === undefined) throw new Error(`order ${orderNumber} was not seeded: the provider state did not run`);
    const event = EVENTS[orderNumber % EVENTS.length] ?? 'OrderPlaced';
    return {
      key: order.id,
      headers: { 'event-type': event },
      value: {
        orderId: order.id,
        orderNumber,
        customerId: `customer-${orderNumber * 7}`,
        placedAt: order.placedAt.toISOString(),
        total: order.lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0) + 0.01,
        currency: 'GBP',
        status: event,
        items: order.lines,
        shippingAddress: { street: '22 Station Rd', city: 'York', postcode: 'YO1 7HH', country: 'GB' },
      },
    };
  }
}

function heraldFactories(n: number): ProviderDefinition {
  const orders = new OrdersService();
  const messages: ProviderDefinition['messages'] = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      description(i),
      () => {
        const record = orders.record(i);
        return message(record.value, { key: record.key, headers: record.headers });
      },
    ]),
  );
  return provider('orders', { states: { 'an order exists': ({ orderId }) => orders.seed(Number(orderId)) }, messages });
}

// ---- runs ----------------------------------------------------------------------------------------

async function runHerald(file: string, n: number): Promise<{ ms: number; report: VerificationReport }> {
  const started = performance.now();
  const contracts = await loadContracts([file]);
  const report = await verifyProvider(contracts, heraldFactories(n));
  return { ms: performance.now() - started, report };
}

function assertHerald(report: VerificationReport, n: number): void {
  const s = report.summary;
  if (!s.ok || s.passed !== n || s.total !== n) {
    const first = report.results.find((r) => r.status !== 'passed');
    throw new Error(`Herald did not pass all ${n} interactions: ${JSON.stringify({ ...s, unusedFactories: s.unusedFactories.length })}; first problem: ${JSON.stringify(first)}`);
  }
}

async function runPactJs(file: string, n: number): Promise<{ ms: number; passed: number }> {
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

function runWorker<T>(tool: 'herald' | 'pactjs', file: string, n: number): Promise<T> {
  return new Promise((resolve, reject) => {
    // process.execArgv carries tsx's loader flags when this file runs under `tsx`.
    const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--worker', tool, file, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || line === undefined) reject(new Error(`the ${tool} worker (${n} interactions) exited with ${String(code)}:\n${out.slice(-4000)}`));
      else resolve(JSON.parse(line.slice(RESULT.length)) as T);
    });
  });
}

async function worker(tool: string, file: string, n: number): Promise<void> {
  const result = tool === 'pactjs' ? await runPactJs(file, n) : await heraldWorker(file, n);
  process.stdout.write(`\n${RESULT}${JSON.stringify(result)}\n`);
}

// ---- report ----------------------------------------------------------------------------------------

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: readonly string[]): string => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

async function mainBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-verify-'));
  try {
    const file = writePact(dir, N);
    console.log(`Pact V3 message file: ${N} interactions, ${file}`);

    const herald = await runHerald(file, N);
    assertHerald(herald.report, N);
    const warm: number[] = [];
    for (let run = 0; run < 3; run++) {
      const again = await runHerald(file, N);
      assertHerald(again.report, N);
      warm.push(again.ms);
    }
    const warmMedian = [...warm].sort((a, b) => a - b)[1] ?? NaN;
    console.log(`Herald: ${N}/${N} passed in ${fmtMs(herald.ms)} (first run; warm median ${fmtMs(warmMedian)})`);

    let pactjs: { ms: number; passed: number } | undefined;
    if (process.env['BENCH_SKIP_PACTJS'] !== '1') {
      pactjs = await runWorker<{ ms: number; passed: number }>('pactjs', file, N);
      console.log(`pact-js: ${pactjs.passed}/${N} passed in ${fmtMs(pactjs.ms)}`);
    }

    const largeFile = writePact(dir, LARGE_N);
    const large = await runWorker<LargeResult>('herald', largeFile, LARGE_N);

    const rows: string[][] = [['verifier', 'interactions', 'passed', 'time', 'per interaction', 'peak RSS', 'vs pact-js']];
    if (pactjs !== undefined) rows.push(['pact-js 16 (MessageProviderPact)', String(N), String(pactjs.passed), fmtMs(pactjs.ms), `${(pactjs.ms / N).toFixed(2)} ms`, '-', '1×']);
    const ratio = (ms: number): string => (pactjs === undefined ? '-' : `${Math.round(pactjs.ms / ms)}× faster`);
    rows.push(['Herald, first run', String(N), String(herald.report.summary.passed), fmtMs(herald.ms), `${((herald.ms / N) * 1000).toFixed(0)} µs`, '-', ratio(herald.ms)]);
    rows.push(['Herald, warm (median of 3)', String(N), String(N), fmtMs(warmMedian), `${((warmMedian / N) * 1000).toFixed(0)} µs`, '-', ratio(warmMedian)]);
    rows.push([
      'Herald, fresh process',
      String(large.n),
      String(large.passed),
      fmtMs(large.ms),
      `${((large.ms / large.n) * 1000).toFixed(0)} µs`,
      `${large.peakRssMiB.toFixed(0)} MiB (baseline ${large.baselineRssMiB.toFixed(0)}, heap retained ${large.heapRetainedMiB.toFixed(0)})`,
      '-',
    ]);
    console.log(`\n${table(rows)}\n`);
    console.log(
      `Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    if (pactjs !== undefined) {
      const speedup = pactjs.ms / herald.ms;
      console.log(`Herald is ${speedup.toFixed(0)}× faster than pact-js on ${N} interactions (first run; goal ≥ ${GOAL}×).`);
      if (speedup < GOAL) console.log(`WARNING: below the ${GOAL}× goal.`);
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
