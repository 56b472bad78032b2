/**
 * Flows inside a broker run (`herald verify --transport kafka|amqp`): each flow of a contract runs
 * through verifyFlowsOnBroker, its steps in order, with the run's broker triggers adapted to flow
 * triggers. A flow step captures on the contract's own channel (the provider's running service
 * answers and publishes there, not on run-scoped names), and its trigger gets a context naming
 * that channel. Without a request/reply client (the in-memory transport), or once the connection
 * is lost, every step fails instead of passing unseen; when the run is interrupted or loses its
 * connection while a flow runs, the step in progress fails at once and the rest are not run.
 */
import { isFlowStep } from '../../contract/flow';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import { isSyncInteraction, type Contract, type MessageInteraction } from '../../contract/model';
import type { TransportAdapter } from '../../transport/types';
import { flowStepNotChecked } from '../flow';
import { verifyFlowsOnBroker, type FlowTrigger } from '../flow-broker';
import type { RequestReplyClient } from '../reply-broker';
import type { RunProgress } from '../progress';
import type { InteractionResult } from '../result';
import type { ErrorInfo } from '../states';
import type { DescriptionFilter } from '../verify-provider';
import { connectionDetails, type BrokerConnection } from './connection';
import { contractChannel } from './contract-channel';
import type { BrokerProviderDefinition, Trigger, TriggerContext } from './definition';

export interface FlowRunOptions {
  readonly transport: TransportAdapter;
  readonly connection: BrokerConnection | undefined;
  /** Publishes request steps and captures their replies; undefined: flows are not checked. */
  readonly client: RequestReplyClient | undefined;
  readonly description: DescriptionFilter | undefined;
  readonly timeoutMs: number;
  /** The run lost its connection (or was interrupted): every step fails with this error. */
  readonly lost: ErrorInfo | undefined;
  /** Aborted when the run loses its connection or is interrupted while a flow runs: the step in progress fails, the rest are not run. */
  readonly signal?: AbortSignal;
  /** Progress of the flows' steps (counted from 0: the caller adds what ran before). */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** The contract's flow steps (one-way and request/reply) that the description filter selects. */
export function flowStepsOf(contract: Contract, description: DescriptionFilter | undefined): (MessageInteraction | NonNullable<Contract['synchronous']>[number])[] {
  return [...contract.interactions, ...(contract.synchronous ?? [])].filter((i) => isFlowStep(i) && (description === undefined || description.test(i.description)));
}

/** A broker trigger called as a flow trigger: the context names the step's contract channel. */
function asFlowTrigger(trigger: Trigger, interaction: MessageInteraction, options: FlowRunOptions): FlowTrigger {
  return (params) => {
    const channel = contractChannel(interaction);
    if (channel === undefined) throw new Error(`the contract does not say where "${interaction.description}" is published`);
    const context: TriggerContext = {
      ...connectionDetails(options.transport.name, options.connection, `the trigger for "${interaction.description}"`),
      interaction,
      states: {},
      channel,
      topic: isKafkaChannel(channel) ? channel.topic : undefined,
      exchange: isAmqpChannel(channel) ? channel.exchange : undefined,
      routingKey: isAmqpChannel(channel) ? channel.routingKey : undefined,
      namespace: undefined,
      name: (base) => base,
      transport: options.transport,
      signal: options.signal ?? new AbortController().signal,
    };
    return trigger(params, context);
  };
}

/** Verifies the contract's flows in order; the results name each step as the other interactions are named. */
export async function verifyContractFlows(contract: Contract, definition: BrokerProviderDefinition, options: FlowRunOptions): Promise<readonly InteractionResult[]> {
  const steps = flowStepsOf(contract, options.description);
  if (steps.length === 0) return [];
  const client = options.client;
  if (client === undefined || options.lost !== undefined) {
    const lost = options.lost;
    return steps.map((step) =>
      lost === undefined
        ? flowStepNotChecked(contract, step, `a broker run on the ${options.transport.name} transport (no request/reply client)`)
        : { ...flowStepNotChecked(contract, step, 'this run'), error: { ...lost, message: `Not run: ${lost.message}` } },
    );
  }
  const triggers: Record<string, FlowTrigger> = {};
  for (const step of steps) {
    if (isSyncInteraction(step)) continue;
    const trigger = definition.triggers !== undefined && Object.hasOwn(definition.triggers, step.description) ? definition.triggers[step.description] : undefined;
    if (trigger !== undefined) triggers[step.description] = asFlowTrigger(trigger, step, options);
  }
  const report = await verifyFlowsOnBroker(
    [contract],
    {
      ...(definition.name === undefined ? {} : { name: definition.name }),
      ...(definition.states === undefined ? {} : { states: definition.states }),
      ...(definition.stateTimeoutMs === undefined ? {} : { stateTimeoutMs: definition.stateTimeoutMs }),
      triggers,
    },
    {
      client,
      transport: options.transport,
      provider: contract.provider,
      ...(options.description === undefined ? {} : { description: options.description }),
      timeoutMs: options.timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
  );
  return report.results;
}
