/**
 * Time budgets for tests that run real processes (jest, the CLI): a base sized for a quiet
 * machine, scaled by how loaded this machine is, so a busy CI runner does not time them out while
 * a hang still fails. HERALD_TEST_LOAD_FACTOR (a number ≥ 1) overrides the measured factor.
 */
import os from 'node:os';

/** The largest factor measured from the load average: beyond it a hang should fail, not wait. */
export const MAX_LOAD_FACTOR = 8;

/**
 * How many times slower than quiet this machine is likely to run a process-heavy test: the 1-minute
 * load average per core (at least 1, at most MAX_LOAD_FACTOR), or HERALD_TEST_LOAD_FACTOR if set.
 *
 * @example loadFactor({}, 6, 2) // 3
 */
export function loadFactor(env: NodeJS.ProcessEnv = process.env, load: number = os.loadavg()[0] ?? 0, cores: number = os.availableParallelism()): number {
  const override = env['HERALD_TEST_LOAD_FACTOR'];
  if (override !== undefined && override !== '') {
    const value = Number(override);
    if (!Number.isFinite(value) || value < 1) throw new Error(`Invalid HERALD_TEST_LOAD_FACTOR "${override}": use a number ≥ 1 (e.g. 3 on a shared CI runner).`);
    return value;
  }
  return Math.min(MAX_LOAD_FACTOR, Math.max(1, load / Math.max(1, cores)));
}

/** `baseMs` scaled by loadFactor(), rounded up to a whole second. */
export function scaledTimeout(baseMs: number, factor: number = loadFactor()): number {
  return Math.ceil((baseMs * factor) / 1000) * 1000;
}
