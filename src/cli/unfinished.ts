/**
 * The run-level guard against silent passes: when the event loop drains while the run still waits
 * for user code (a promise or thenable that can never settle, a module whose top-level await never
 * ends), node would exit 0 with no output. The guard notices (`beforeExit`), and the run ends with a
 * verdict for every interaction instead: those not verified fail as HERALD_RUN_UNFINISHED.
 */
import type { Contract } from '../contract/model';
import { notVerifiedResult, summarise, type InteractionResult, type VerificationReport } from '../verify/result';
import { describeInteraction } from '../verify/states';
import { descriptionTest, selectContracts, type DescriptionFilter } from '../verify/verify-provider';

/** Settles when the event loop drains; `dispose()` stops listening. */
export interface DrainGuard {
  readonly drained: Promise<'drained'>;
  dispose(): void;
}

export function guardDrain(): DrainGuard {
  let listener: (() => void) | undefined;
  const drained = new Promise<'drained'>((resolve) => {
    listener = () => resolve('drained');
    process.once('beforeExit', listener);
  });
  return {
    drained,
    dispose: () => {
      if (listener !== undefined) process.removeListener('beforeExit', listener);
    },
  };
}

export interface Selection {
  readonly provider: string;
  readonly consumers?: readonly string[];
  readonly description?: DescriptionFilter;
}

/**
 * The report of a run that stopped waiting: the verdicts reached, then every other selected
 * interaction failed with HERALD_RUN_UNFINISHED (the first one is the one that was running).
 */
export function unfinishedReport(
  contracts: readonly Contract[],
  selection: Selection,
  done: readonly InteractionResult[],
  durationMs: number,
  producedBy: 'factories' | 'triggers',
): VerificationReport {
  const matches = descriptionTest(selection.description);
  const finished = new Set(done.map((r) => JSON.stringify([r.consumer, r.provider, r.contractFile, r.description])));
  const results = [...done];
  let first = true;
  for (const contract of selectContracts(contracts, selection.provider, selection.consumers)) {
    for (const interaction of contract.interactions) {
      if (matches !== undefined && !matches(interaction.description)) continue;
      if (finished.has(JSON.stringify([contract.consumer, contract.provider, contract.source, interaction.description]))) continue;
      const message = first
        ? `The run stopped while verifying ${describeInteraction(contract, interaction)}: it was waiting for user code (a factory, state handler, trigger or module load) that can never settle, and nothing else was left to run. Make it resolve or return a plain value.`
        : `Not run: the run stopped earlier, waiting for user code that can never settle (see the first HERALD_RUN_UNFINISHED).`;
      first = false;
      // Not a pending pass: the interaction was never verified.
      results.push(notVerifiedResult(contract, interaction, { code: 'HERALD_RUN_UNFINISHED', message }));
    }
  }
  return { summary: summarise(results, [], durationMs, producedBy), results };
}
