/** Verification results are data: reporters serialise them, formatters render them. */
import type { Contract } from '../contract/model';
import type { Mismatch } from '../matchers/mismatch';

export type InteractionStatus = 'passed' | 'failed' | 'no-factory' | 'state-failed' | 'pending';

export interface InteractionResult {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly contractFile?: string;
  readonly status: InteractionStatus;
  readonly mismatches: readonly Mismatch[];
  /** Set when something other than a mismatch went wrong (factory threw, state handler timed out…). */
  readonly error?: { readonly code: string; readonly message: string; /** Broker verification: retrying the run may pass (connection lost, timeout). */ readonly retriable?: boolean };
  /** Things the verification did not check, and why. */
  readonly notes: readonly string[];
  readonly pending: boolean;
  readonly durationMs: number;
}

export interface VerificationSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly noFactory: number;
  readonly stateFailed: number;
  /** Factories no verified interaction used. */
  readonly unusedFactories: readonly string[];
  readonly durationMs: number;
  /** True when nothing failed (pending interactions do not fail a run). */
  readonly ok: boolean;
  /** What produced the messages: factories (in-process) or triggers (on a broker). */
  readonly producedBy: 'factories' | 'triggers';
}

export interface VerificationReport {
  readonly summary: VerificationSummary;
  readonly results: readonly InteractionResult[];
}

export function summarise(results: readonly InteractionResult[], unusedFactories: readonly string[], durationMs: number, producedBy: 'factories' | 'triggers' = 'factories'): VerificationSummary {
  const count = (status: InteractionStatus): number => results.filter((r) => r.status === status).length;
  const failed = count('failed');
  const noFactory = count('no-factory');
  const stateFailed = count('state-failed');
  return {
    total: results.length,
    passed: count('passed'),
    failed,
    pending: count('pending'),
    noFactory,
    stateFailed,
    unusedFactories,
    durationMs,
    ok: failed + noFactory + stateFailed === 0,
    producedBy,
  };
}

/**
 * The result of an interaction that was never verified (the run ended, or stopped, before or
 * while it ran): failed with `error`, pending or not, since nothing about it was checked.
 */
export function notVerifiedResult(
  contract: Pick<Contract, 'consumer' | 'provider' | 'source'>,
  interaction: { readonly description: string; readonly pending: boolean },
  error: { readonly code: string; readonly message: string },
): InteractionResult {
  return {
    consumer: contract.consumer,
    provider: contract.provider,
    description: interaction.description,
    ...(contract.source === undefined ? {} : { contractFile: contract.source }),
    status: 'failed',
    mismatches: [],
    notes: [],
    error,
    pending: interaction.pending,
    durationMs: 0,
  };
}
