/**
 * Flow verification: the steps of a flow run in order, each with its provider states set up (kept
 * until the flow ends, torn down in reverse order in every outcome) and the values bound from
 * earlier steps added to its params. A step passes when it matches its interaction and carries
 * every bound value unchanged; the first step that does not pass stops the flow, and the steps
 * after it fail as not run. How a step runs (factories, or a real broker) is the caller's.
 */
import { sameBoundValue, valueAt, type ContractFlow, type FlowBinding, type FlowStep, type MessageView, type ValuePath } from '../contract/flow';
import { formatPath } from '../contract/path';
import type { JsonObject, JsonValue } from '../contract/json';
import { isSyncInteraction, type AnyInteraction, type Contract, type MessageInteraction } from '../contract/model';
import type { Mismatch } from '../matchers/mismatch';
import type { InteractionResult } from './result';
import { errorInfo, setUpStates, type StatesDefinition } from './states';

/** What a step produced, as later steps see it: a message's values, or `{ request, reply }`. */
export type StepProduced = MessageView | { readonly request: MessageView; readonly reply: MessageView };

export interface StepRun {
  readonly result: InteractionResult;
  /** Undefined when the step produced nothing to check (it failed before). */
  readonly produced: StepProduced | undefined;
}

/** Runs one step: `params` are its state params plus the bound values, `states` what its state handlers returned. */
export type RunStep = (step: FlowStep, params: JsonObject, states: Readonly<Record<string, unknown>>, bound: JsonObject) => Promise<StepRun>;

/** The interaction whose provider states a step sets up (a request/reply's, read as a message). */
export function statesCarrier(interaction: AnyInteraction): MessageInteraction {
  if (!isSyncInteraction(interaction)) return interaction;
  return { description: interaction.description, providerStates: interaction.providerStates, ...interaction.request, pending: interaction.pending };
}

/** The step's interaction without provider states: the flow set them up already. */
export function withoutStates<T extends AnyInteraction>(interaction: T): T {
  return { ...interaction, providerStates: [] };
}

function base(contract: Contract, interaction: AnyInteraction): Pick<InteractionResult, 'consumer' | 'provider' | 'description' | 'contractFile' | 'pending'> {
  return {
    consumer: contract.consumer,
    provider: contract.provider,
    description: interaction.description,
    ...(contract.source === undefined ? {} : { contractFile: contract.source }),
    pending: interaction.pending,
  };
}

function failedResult(contract: Contract, interaction: AnyInteraction, code: string, message: string, notes: string[] = []): InteractionResult {
  return { ...base(contract, interaction), status: interaction.pending ? 'pending' : 'failed', mismatches: [], notes, error: { code, message }, durationMs: 0 };
}

/** A flow step in a run that checks interactions one at a time: it fails, never passes with its bound values unchecked. */
export function flowStepNotChecked(contract: Contract, interaction: AnyInteraction, run: string): InteractionResult {
  return failedResult(
    contract,
    interaction,
    'HERALD_FLOW_NOT_CHECKED',
    `"${interaction.description}" is a step of a flow, and ${run} checks interactions one at a time, without the values bound from earlier steps. Verify it with verifyFlowsOnBroker, or with factories in process (verifyProvider).`,
  );
}

/** A bound value the step did not carry over, as a mismatch at its place in the step. */
function bindingMismatch(binding: FlowBinding, expected: JsonValue, actual: JsonValue | undefined, isSync: boolean): Mismatch {
  const to: ValuePath = isSync ? binding.to.slice(1) : binding.to;
  const [where, ...rest] = to;
  const path = where === 'payload' ? formatPath(rest) : rest.length === 0 ? String(where) : rest.map(String).join('.');
  const side = isSync ? `the ${String(binding.to[0])}'s ` : '';
  return {
    code: 'value',
    part: where === 'payload' ? 'body' : 'metadata',
    path,
    expected,
    actual,
    message: `Expected ${side}${where === 'payload' ? path : `${String(where)} ${path}`} to be ${JSON.stringify(expected)}, the ${binding.name} step "${binding.from.step}" produced (${binding.from.path.join('.')}), but it is ${actual === undefined ? 'missing' : JSON.stringify(actual)}.`,
  };
}

/** `Flow "authorised push", step 2 of 2 "push"`. */
function stepName(flow: ContractFlow, index: number): string {
  return `flow "${flow.name}", step ${index + 1} of ${flow.steps.length} "${flow.steps[index]?.name ?? '?'}"`;
}

/** The result of a step that did not pass, with the flow and step named in its error. */
function namedFailure(flow: ContractFlow, index: number, result: InteractionResult, extra: readonly Mismatch[]): InteractionResult {
  const where = stepName(flow, index);
  const mismatches = [...result.mismatches, ...extra];
  const error =
    result.error === undefined
      ? { code: 'HERALD_FLOW_STEP_FAILED', message: `The ${where} failed: ${mismatches.map((m) => m.message).join(' ')} The flow stopped here.` }
      : { ...result.error, message: `The ${where} failed: ${result.error.message} The flow stopped here.` };
  const status = result.status === 'passed' ? (result.pending ? 'pending' : 'failed') : result.status;
  return { ...result, status, mismatches, error };
}

/** Runs a flow's steps in order; every state set up is torn down, whatever happens. */
export async function verifyFlow(contract: Contract, flow: ContractFlow, definition: StatesDefinition, runStep: RunStep): Promise<InteractionResult[]> {
  if (flow.problem !== undefined) {
    const message = `Failed to verify the flow "${flow.name}" (${contract.consumer} → ${contract.provider}): ${flow.problem}. No step of an incomplete flow is verified; re-run the consumer test that declares it.`;
    return flow.steps.map((s) => failedResult(contract, s.interaction, 'HERALD_FLOW_INVALID', message));
  }
  const results: InteractionResult[] = [];
  const produced: Record<string, JsonValue> = {};
  const teardowns: (() => Promise<void>)[] = [];
  let stopped: number | undefined;
  try {
    for (const [index, step] of flow.steps.entries()) {
      if (stopped !== undefined) {
        results.push(
          failedResult(
            contract,
            step.interaction,
            'HERALD_FLOW_STEP_NOT_RUN',
            `Not run: the ${stepName(flow, index)} comes after step ${stopped + 1} "${flow.steps[stopped]?.name ?? '?'}", which failed.`,
          ),
        );
        continue;
      }
      const notes: string[] = [];
      const where = `${stepName(flow, index)} ("${step.interaction.description}", ${contract.consumer} → ${contract.provider})`;
      const states = await setUpStates(statesCarrier(step.interaction), definition, where, notes);
      teardowns.push(states.teardown);
      if (states.failure !== undefined) {
        results.push({ ...base(contract, step.interaction), status: step.interaction.pending ? 'pending' : 'state-failed', mismatches: [], notes, error: states.failure, durationMs: 0 });
        stopped = index;
        continue;
      }
      const bound: JsonObject = {};
      for (const b of step.bind) bound[b.name] = valueAt(produced as JsonValue, [b.from.step, ...b.from.path]) ?? null;
      let run: StepRun;
      try {
        run = await runStep(step, { ...states.params, ...bound }, states.values, bound);
      } catch (error) {
        // A step that could not run (the broker went away, a capture could not start) fails, and the flow stops.
        run = { result: { ...base(contract, step.interaction), status: 'failed', mismatches: [], notes: [], error: errorInfo(error, 'HERALD_FLOW_STEP_FAILED'), durationMs: 0 }, produced: undefined };
      }
      // The state notes array stays the result's: teardown problems at the end of the flow land in it.
      notes.push(...run.result.notes);
      const isSync = isSyncInteraction(step.interaction);
      const extra =
        run.result.status === 'passed' && run.produced !== undefined
          ? step.bind.flatMap((b) => {
              const actual = valueAt(run.produced as unknown as JsonValue, b.to);
              return sameBoundValue(bound[b.name], actual) ? [] : [bindingMismatch(b, bound[b.name] ?? null, actual, isSync)];
            })
          : [];
      const result = run.result.status === 'passed' && extra.length === 0 ? { ...run.result, notes } : namedFailure(flow, index, { ...run.result, notes }, extra);
      results.push(result);
      if (run.produced !== undefined) produced[step.name] = run.produced as unknown as JsonValue;
      if (result.status !== 'passed') stopped = index;
    }
  } finally {
    for (const teardown of teardowns.reverse()) await teardown();
  }
  return results;
}
