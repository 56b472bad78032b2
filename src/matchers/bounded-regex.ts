/**
 * Bounded-time matching for the expressions RE2 refuses (look-around, back-references): Pact files
 * written by the JVM or JS carry them, and refusing them would fail rules a producer satisfies.
 * They run on JavaScript's backtracking engine in a worker thread, and the caller waits at most
 * {@link REGEX_BUDGET_MS}: past it the worker is terminated and the match counts as undecided, so a
 * hostile pattern (`^(a+)+$` with a back-reference) costs one budget, never a hung run.
 *
 * The wait is synchronous (Atomics.wait on a shared flag) because matcher checks are synchronous.
 */
import type { Worker } from 'node:worker_threads';

/** Longest a single backtracking match may run. */
export const REGEX_BUDGET_MS = 1000;
/** Longest the worker may take to start (a loaded CI machine). */
const STARTUP_MS = 15_000;

const WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, input, shared }) => {
  const state = new Int32Array(shared);
  let result = 3;
  try { result = new RegExp(source).test(input) ? 1 : 2; } catch { result = 3; }
  Atomics.store(state, 0, result);
  Atomics.notify(state, 0);
});
const ready = new Int32Array(require('node:worker_threads').workerData);
Atomics.store(ready, 0, 1);
Atomics.notify(ready, 0);
`;

let worker: Worker | undefined;

function started(): Worker | undefined {
  if (worker !== undefined) return worker;
  const ready = new SharedArrayBuffer(4);
  // node:worker_threads only once an expression RE2 refuses is tested: most runs never start the worker, and loading it costs start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const w = new Worker(WORKER, { eval: true, workerData: ready });
  w.unref();
  if (Atomics.wait(new Int32Array(ready), 0, 0, STARTUP_MS) === 'timed-out') {
    void w.terminate();
    return undefined;
  }
  worker = w;
  return w;
}

/** True when `source` is a valid JavaScript regular expression. */
export function isJavaScriptRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * Tests `input` against the JavaScript expression `source` within the budget: true or false, or
 * undefined when the budget ran out (or the worker could not start): undecided, never a pass.
 */
export function boundedTest(source: string, input: string, budgetMs = REGEX_BUDGET_MS): boolean | undefined {
  const w = started();
  if (w === undefined) return undefined;
  const shared = new SharedArrayBuffer(4);
  const state = new Int32Array(shared);
  w.postMessage({ source, input, shared });
  if (Atomics.wait(state, 0, 0, budgetMs) === 'timed-out' && Atomics.load(state, 0) === 0) {
    void w.terminate();
    worker = undefined;
    return undefined;
  }
  const result = Atomics.load(state, 0);
  return result === 1 ? true : result === 2 ? false : undefined;
}
