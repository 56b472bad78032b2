/**
 * Benchmark: Herald's hot paths and hostile inputs, each timed against a peer measured in the same
 * run, so the verdict is a ratio that a busy machine does not change much (the unit tests keep the
 * behavioural assertions; these timings left them because a wall-clock budget fails under load).
 *
 *   npx tsx bench/hot-paths.ts        (npm run bench:hot-paths)
 *
 * Each case runs a warm-up, then BENCH_RUNS times (default 5) for itself and its peer, alternating;
 * the fastest run of each is compared. The script prints one line per case and exits 1 when a ratio
 * is over its budget.
 *
 * Environment: BENCH_RUNS (default 5).
 */
import { performance } from 'node:perf_hooks';
import { assertSafeJson } from '../src/contract/safe-json';
import type { RuleList, RuleMap } from '../src/contract/model';
import { amqpExchange } from '../src/contract/channel';
import { consumer } from '../src/dsl/consumer';
import { m } from '../src/matchers';
import { compileTemplate } from '../src/matchers/compile';
import { measureDate } from '../src/matchers/date-format';
import { compileRegex } from '../src/matchers/regex';
import { matchBody } from '../src/matching/engine';
import { topicMatches } from '../src/transport/routing';
import { verifyProvider } from '../src/verify/verify-provider';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

interface Case {
  readonly name: string;
  readonly peerName: string;
  /** The largest acceptable ratio of Herald's time to the peer's. */
  readonly budget: number;
  readonly run: () => unknown;
  readonly peer: () => unknown;
}

const once = async (fn: () => unknown): Promise<number> => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

async function measure(c: Case): Promise<{ ms: number; peerMs: number }> {
  await c.run();
  await c.peer();
  let ms = Number.POSITIVE_INFINITY;
  let peerMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i += 1) {
    ms = Math.min(ms, await once(c.run));
    peerMs = Math.min(peerMs, await once(c.peer));
  }
  return { ms, peerMs };
}

const times = (n: number, fn: () => unknown): void => {
  for (let i = 0; i < n; i += 1) fn();
};

const list = (matchers: RuleList['matchers']): RuleList => ({ combine: 'AND', matchers });

// matchBody: 10 000 items against one eachLike template (was engine.test.ts, < 250 ms).
const eachLike: RuleMap = {
  '$.items': list([{ match: 'type', min: 1 }]),
  '$.items[*].qty': list([{ match: 'integer' }]),
  '$.items[*].sku': list([{ match: 'regex', regex: '[A-Z]{3}-\\d+' }]),
};
const wide = { items: Array.from({ length: 10_000 }, (_, i) => ({ qty: i, sku: `ABC-${i}`, name: 'n' })) };

// matchBody: 10 000 small messages with rules at every level (was engine.test.ts, < 1 s).
const small = compileTemplate(
  { orderId: m.uuid(), total: m.decimal(12.5), customer: m.like({ id: 1, email: 'a@b.c' }), lines: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }) },
  'bench',
);
const smallActual = {
  orderId: 'e2490de5-5bd3-43d5-b7c4-526e33f71304',
  total: 99.5,
  customer: { id: 7, email: 'x@y.z', since: 2020 },
  lines: [
    { sku: 'XYZ-12', qty: 3 },
    { sku: 'QRS-1', qty: 1 },
  ],
};
const smallText = JSON.stringify(smallActual);

// assertSafeJson: 50 000 items (was safe-json.test.ts, < 1 s).
const large = { items: Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) };

// topicMatches: 14 `#` words against 60 words (was routing.test.ts, < 200 ms).
const manyHashes = '#.#.#.#.#.#.#.#.#.#.#.#.#.#.x';
const sixtyWords = Array.from({ length: 60 }, () => 'a').join('.');

// RE2 semantics: ^(a+)+$ on 50 000 a's and a b (was matchers.test.ts, < 2 s).
const hostileRegexInput = `${'a'.repeat(50_000)}b`;

// Date formats: a hostile value costs what a short one does (was date-format.test.ts, < 2 s each).
const datePattern = 'yDyDyDyDyDyDyDyD';
const longDigits = '1'.repeat(100_000);
const shortDigits = '1'.repeat(41);

// The description filter of verifyProvider with a catastrophic RegExp (was verify-provider.test.ts, < 1 s).
const invoice = consumer('ledger')
  .expectsFrom('billing')
  .message('invoice.created')
  .on(amqpExchange('billing', 'invoice.created', { queue: 'ledger.invoices' }))
  .withPayload({ id: m.integer(1) })
  .toInteraction();
const hostileDescription = { ...invoice, description: `${'a'.repeat(40)}!` };
const ledger = { consumer: 'ledger', provider: 'billing', interactions: [invoice, hostileDescription], specVersion: '4.0' as const, metadata: {} };
const billing = { name: 'billing', messages: { 'invoice.created': () => ({ id: 1 }) } };

const cases: readonly Case[] = [
  {
    name: 'matchBody, 10 000 items, one eachLike',
    peerName: 'JSON.parse(JSON.stringify()) of the same body',
    budget: 10,
    run: () => matchBody({ items: [{ qty: 1, sku: 'ABC-1', name: 'x' }] }, wide, eachLike),
    peer: () => JSON.parse(JSON.stringify(wide)),
  },
  {
    name: 'matchBody, 10 000 small messages',
    peerName: 'JSON.parse of each message',
    budget: 20,
    run: () => times(10_000, () => matchBody(small.content, smallActual, small.rules)),
    peer: () => times(10_000, () => JSON.parse(smallText)),
  },
  {
    name: 'assertSafeJson, 50 000 items',
    peerName: 'JSON.stringify of the same value',
    budget: 5,
    run: () => assertSafeJson(large),
    peer: () => JSON.stringify(large),
  },
  {
    name: 'topicMatches, 14 # words, 60-word key, ×1 000',
    peerName: 'topicMatches, exact pattern, same key',
    budget: 50,
    run: () => times(1_000, () => topicMatches(manyHashes, sixtyWords)),
    peer: () => times(1_000, () => topicMatches(sixtyWords, sixtyWords)),
  },
  {
    name: "m.regex ^(a+)+$ on 50 000 a's + b",
    peerName: 'native /^a+$/ on the same input',
    budget: 500,
    run: () => compileRegex('^(a+)+$').test(hostileRegexInput),
    peer: () => /^a+$/.test(hostileRegexInput),
  },
  {
    name: `date format ${datePattern}, 100 000-digit value, ×100`,
    peerName: 'the same pattern, 41-digit value',
    budget: 10,
    run: () => times(100, () => measureDate(datePattern, longDigits)),
    peer: () => times(100, () => measureDate(datePattern, shortDigits)),
  },
  {
    name: 'verifyProvider, description filter /^(a+)+$/',
    peerName: 'the same run filtered by /invoice/',
    budget: 5,
    run: () => verifyProvider([ledger], billing, { description: /^(a+)+$/ }),
    peer: () => verifyProvider([ledger], billing, { description: /invoice/ }),
  },
];

async function main(): Promise<void> {
  let over = 0;
  console.log(`herald bench: hot paths, fastest of ${RUNS} runs each, ratio = Herald / peer (budget in brackets)`);
  for (const c of cases) {
    const { ms, peerMs } = await measure(c);
    const ratio = ms / Math.max(peerMs, 0.001);
    const ok = ratio <= c.budget;
    if (!ok) over += 1;
    console.log(`${ok ? '✓' : '✗'} ${c.name}: ${ms.toFixed(2)} ms; peer (${c.peerName}): ${peerMs.toFixed(2)} ms; ratio ${ratio.toFixed(1)} [≤ ${c.budget}]`);
  }
  console.log(over === 0 ? 'all within budget' : `${over} case(s) over budget`);
  process.exitCode = over === 0 ? 0 : 1;
}

void main();
