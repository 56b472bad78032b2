/**
 * Provider states, shared by every kind of producer verification (message factories in-process,
 * triggers on a broker): set up an interaction's states in order with a timeout each, merge what
 * the handlers return into the params, and tear down in reverse order whatever was set up, even
 * when a later set-up step failed.
 */
import type { JsonObject } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { HeraldError, isHeraldError } from '../errors/herald-error';
import type { StateHandler, StateLifecycle } from './provider';
import { isThenable, raceWithTimeout, withTimeout } from './timeout';

/** What a definition says about provider states: factories and triggers definitions both have it. */
export interface StatesDefinition {
  readonly states?: Readonly<Record<string, StateHandler | StateLifecycle>>;
  /** Time a state handler may take (default 10 000 ms). */
  readonly stateTimeoutMs?: number;
}

/** A coded failure as reports carry it. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** The states of one interaction, set up (or not): always call `teardown()`, pass or fail. */
export interface StatesSetUp {
  /** The params of every state, merged with what the state handlers returned. */
  readonly params: JsonObject;
  /** What each state handler returned, by state name. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Set when a state has no handler, threw or timed out (status `state-failed`). */
  readonly failure: ErrorInfo | undefined;
  /** Tears down, in reverse order, every state whose set-up was attempted; failures become notes. */
  teardown(): Promise<void>;
}

/** Copies own enumerable entries as data properties: a `__proto__` key stays a key, not a prototype. */
function assignOwn(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): void {
  // Indexed, not for…of: until V8 optimises this (it runs for every state), each iterator step allocates.
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    defineOwn(target, key, source[key]);
  }
}

/**
 * `target[key] = value` as a data property. Plain assignment does that for every key but
 * `__proto__`, the one accessor Object.prototype has (it would set the prototype); that key is
 * defined instead (assignment is the fast path: this runs for every state of every interaction).
 */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Code and message of an unknown thrown value. */
export function errorInfo(error: unknown, fallbackCode: string): ErrorInfo {
  if (isHeraldError(error)) return { code: error.code, message: error.message };
  return { code: fallbackCode, message: error instanceof Error ? error.message : String(error) };
}

export const lifecycleOf = (handler: StateHandler | StateLifecycle | undefined): StateLifecycle | undefined =>
  handler === undefined ? undefined : typeof handler === 'function' ? { setup: handler } : handler;

/** A state whose set-up was attempted, with what its teardown needs. */
interface SetUpState {
  readonly name: string;
  readonly lifecycle: StateLifecycle;
  readonly params: JsonObject;
}

/** The teardown of states none of which has a teardown handler: callers may skip awaiting it. */
export async function nothingToTearDown(): Promise<void> {}

/**
 * The outcome of setting up states. Built by a plain function, not closures per interaction: the
 * teardown is the shared no-op unless some state has a teardown handler.
 */
function settled(params: JsonObject, values: Record<string, unknown>, setUp: SetUpState[], stateTimeout: number, notes: string[], failure: ErrorInfo | undefined): StatesSetUp {
  return { params, values, failure, teardown: setUp.some((state) => state.lifecycle.teardown !== undefined) ? tearDown(setUp, stateTimeout, notes) : nothingToTearDown };
}

/** Tears down, once and in reverse order, the states of `setUp` that have a teardown handler. */
function tearDown(setUp: SetUpState[], stateTimeout: number, notes: string[]): () => Promise<void> {
  return async () => {
    for (const state of setUp.splice(0).reverse()) {
      if (state.lifecycle.teardown === undefined) continue;
      try {
        await withTimeout(
          () => (state.lifecycle.teardown as StateHandler)(state.params),
          stateTimeout,
          () => new Error(`timed out after ${stateTimeout} ms`),
        );
      } catch (error) {
        notes.push(`Teardown of the state "${state.name}" failed: ${errorInfo(error, '').message}`);
      }
    }
  };
}

/**
 * Sets up the provider states of `interaction`, stopping at the first failure. `where` names the
 * interaction in messages; `notes` receives teardown failures.
 *
 * @example
 * const states = await setUpStates(interaction, definition, where, notes);
 * try { if (states.failure) return stateFailed(states.failure); … } finally { await states.teardown(); }
 */
export async function setUpStates(interaction: MessageInteraction, definition: StatesDefinition, where: string, notes: string[], fixHint = "the provider's factories"): Promise<StatesSetUp> {
  return setUpStatesNow(interaction, definition, where, notes, fixHint);
}

/** How messages name the interaction: its text, or a function that builds it (only a failure needs it). */
export type Where = string | (() => string);

const whereText = (where: Where): string => (typeof where === 'string' ? where : where());

/** One interaction's state set-up in progress: what `setUpFrom` carries from one state to the next. */
interface StatesRun {
  readonly interaction: MessageInteraction;
  readonly definition: StatesDefinition;
  readonly where: Where;
  readonly notes: string[];
  readonly fixHint: string;
  readonly stateTimeout: number;
  readonly params: JsonObject;
  readonly values: Record<string, unknown>;
  readonly setUp: SetUpState[];
}

/**
 * `setUpStates` without a promise when every state handler returns a plain value: the set-up is
 * then done when this returns (most interactions of a run, in a process whose code is still cold,
 * where each promise and microtask costs). A handler that returns a thenable makes the rest of
 * the set-up asynchronous, in the same order and with the same outcome as `setUpStates`.
 * Callers write `const s = setUpStatesNow(…); const states = s instanceof Promise ? await s : s;`.
 */
export function setUpStatesNow(interaction: MessageInteraction, definition: StatesDefinition, where: Where, notes: string[], fixHint = "the provider's factories"): StatesSetUp | Promise<StatesSetUp> {
  const run: StatesRun = { interaction, definition, where, notes, fixHint, stateTimeout: definition.stateTimeoutMs ?? 10_000, params: {}, values: {}, setUp: [] };
  return setUpFrom(run, 0);
}

/** Sets up the states from index `from` on, synchronously until a handler returns a thenable. */
function setUpFrom(run: StatesRun, from: number): StatesSetUp | Promise<StatesSetUp> {
  const { interaction, params, setUp, stateTimeout } = run;
  const states = interaction.providerStates;
  for (let i = from; i < states.length; i += 1) {
    const state = states[i] as MessageInteraction['providerStates'][number];
    assignOwn(params, state.params ?? {});
    // Own properties only: a state named "constructor" or "toString" has no handler unless defined.
    const handlers = run.definition.states;
    const lifecycle = lifecycleOf(handlers !== undefined && Object.hasOwn(handlers, state.name) ? handlers[state.name] : undefined);
    if (lifecycle === undefined) {
      return settled(params, run.values, setUp, stateTimeout, run.notes, {
        code: 'HERALD_STATE_MISSING',
        message: `No state handler for the provider state "${state.name}" needed by ${whereText(run.where)}. Add states[${JSON.stringify(state.name)}] to ${run.fixHint}.`,
      });
    }
    setUp.push({ name: state.name, lifecycle, params: state.params ?? {} });
    let result: unknown;
    try {
      result = lifecycle.setup === undefined ? undefined : lifecycle.setup(state.params ?? {});
      if (!isThenable(result)) {
        stateSetUp(run, state.name, result);
        continue;
      }
    } catch (error) {
      return stateFailed(run, state.name, error);
    }
    // A thenable is raced against the timeout, and the states after this one wait for it.
    return setUpAfter(run, i, state.name, result);
  }
  return settled(params, run.values, setUp, stateTimeout, run.notes, undefined);
}

/** Waits for the thenable state `index` returned, then sets up the states after it. */
async function setUpAfter(run: StatesRun, index: number, name: string, pending: PromiseLike<unknown>): Promise<StatesSetUp> {
  try {
    const value = await raceWithTimeout(
      pending,
      run.stateTimeout,
      () =>
        new HeraldError('HERALD_STATE_TIMEOUT', `The state handler "${name}" did not finish within ${run.stateTimeout} ms (for ${whereText(run.where)}). Make it resolve, or raise stateTimeoutMs.`, {
          interaction: run.interaction.description,
        }),
    );
    stateSetUp(run, name, value);
  } catch (error) {
    return stateFailed(run, name, error);
  }
  return setUpFrom(run, index + 1);
}

/** Records what a state handler returned: under its name, and merged into the params when an object. */
function stateSetUp(run: StatesRun, name: string, value: unknown): void {
  defineOwn(run.values, name, value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) assignOwn(run.params, value as JsonObject);
}

/** The outcome when the state handler `name` threw, rejected or timed out. */
function stateFailed(run: StatesRun, name: string, error: unknown): StatesSetUp {
  return settled(
    run.params,
    run.values,
    run.setUp,
    run.stateTimeout,
    run.notes,
    isHeraldError(error)
      ? errorInfo(error, 'HERALD_STATE_FAILED')
      : { code: 'HERALD_STATE_FAILED', message: `The state handler "${name}" failed for ${whereText(run.where)}: ${errorInfo(error, '').message}` },
  );
}

/** Edit distance, to suggest the name a user probably meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/** The candidate closest to `name`, if close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestScore) [best, bestScore] = [c, d];
  }
  return best !== undefined && bestScore <= Math.max(3, name.length / 3) ? best : undefined;
}

/** "an interaction" (consumer → provider, file) as messages name it. */
export function describeInteraction(contract: { readonly consumer: string; readonly provider: string; readonly source?: string }, interaction: MessageInteraction): string {
  return `"${interaction.description}" (${contract.consumer} → ${contract.provider}${contract.source === undefined ? '' : `, ${contract.source}`})`;
}
