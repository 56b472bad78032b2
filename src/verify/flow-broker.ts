/**
 * Flows on real brokers: the steps run in order against the provider's real service. A
 * request/reply step is published with a reply address and a fresh correlation id through the
 * {@link RequestReplyClient} (its request carrying the values bound from earlier steps) and its
 * reply checked as verifyRepliesOnBroker checks it; a one-way step is captured on its contract
 * channel while the provider's trigger (given the bound values in its params) makes the real code
 * publish it. Each step must carry its bound values unchanged. States are set up per step and torn
 * down when the flow ends; each capture is stopped when its step ends, in every outcome.
 */
import { FLOW_COMMENT_KEY, partWithValue, viewOfPart, flowsOf, type FlowStep, type MessageView } from '../contract/flow';
import type { JsonObject, JsonValue } from '../contract/json';
import { isSyncInteraction, type Contract, type MessageInteraction, type SyncMessageInteraction } from '../contract/model';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import { HeraldError } from '../errors/herald-error';
import type { Mismatch } from '../matchers/mismatch';
import { matchCaptured, toActualMessage } from '../transport/decode';
import { describeChannel } from '../transport/describe';
import type { CapturedMessage, TransportAdapter } from '../transport/types';
import { contractChannel } from './broker/contract-channel';
import { verifyFlow, withoutStates, type RunStep, type StepRun } from './flow';
import { verifyRepliesOnBroker, type BrokerReply, type RequestReplyClient } from './reply-broker';
import type { RunProgress } from './progress';
import { notVerifiedResult, summarise, type InteractionResult, type VerificationReport } from './result';
import { closest, errorInfo, type StatesDefinition } from './states';
import { withTimeout } from './timeout';
import { CONSUMER_SIDE_KEYS, contractsToVerify, descriptionTest, withoutKeys, type DescriptionFilter } from './verify-provider';

/** Makes the provider's real code publish a one-way step's message; `params` hold the state params and the bound values. */
export type FlowTrigger = (params: JsonObject) => unknown;

/** A provider for flows on a broker: its states, and triggers for the flows' one-way steps. */
export interface FlowProvider extends StatesDefinition {
  readonly name?: string;
  /** By interaction description, as the contracts spell it. */
  readonly triggers?: Readonly<Record<string, FlowTrigger>>;
}

export interface VerifyFlowsOnBrokerOptions {
  /** Publishes request/reply steps and captures their replies (herald/amqp's AmqpRequestReplyClient). */
  readonly client: RequestReplyClient;
  /** Captures one-way steps on their contract channels (herald/amqp's AmqpTransport, connected). */
  readonly transport?: TransportAdapter;
  readonly provider?: string;
  readonly consumers?: readonly string[];
  /** Only flows with a step whose description matches. */
  readonly description?: DescriptionFilter;
  /** Wait for each reply and each captured message, and bound on each trigger (default 10 000 ms). */
  readonly timeoutMs?: number;
  /**
   * Ends the run when aborted: the step in progress fails at once with the abort reason (a
   * HeraldError keeps its code, anything else is HERALD_INTERRUPTED), its flow stops there with
   * its states torn down, and every later step is not run.
   */
  readonly signal?: AbortSignal;
  /** Called when a step starts and when a flow ends (its steps counted then, not-run ones included), for progress output. */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** Whether `signal` was aborted (a function, so that a check after an await is not narrowed away). */
function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}

/** What an abort of `signal` makes of the step in progress and of every later one. */
function abortedInfo(signal: AbortSignal): { code: string; message: string } {
  const info = errorInfo(signal.reason, 'HERALD_INTERRUPTED');
  return { code: info.code, message: `The run ended before this step finished: ${info.message}` };
}

/**
 * `work`, or a rejection as soon as `signal` aborts. The abandoned work goes on until its own
 * bound (a capture is stopped by its step's finally, a reply wait by its timeout); its outcome is
 * dropped.
 */
function unlessAborted<T>(signal: AbortSignal | undefined, work: Promise<T>): Promise<T> {
  if (signal === undefined) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function viewOfReply(reply: BrokerReply, contentType: string): MessageView {
  const type = reply.contentType ?? contentType;
  const text = reply.body.toString('utf8');
  let payload: JsonValue | undefined = text;
  if (/json/i.test(type)) {
    try {
      payload = text === '' ? undefined : parseJsonKeepingNumbers(text);
    } catch {
      payload = text;
    }
  }
  const properties: JsonObject = {};
  for (const [name, value] of Object.entries(reply.properties)) if (value !== undefined) properties[name] = value;
  return { payload, headers: { ...reply.headers }, key: undefined, properties };
}

function viewOfCaptured(captured: CapturedMessage, interaction: MessageInteraction): MessageView {
  const actual = toActualMessage(captured, interaction);
  const metadata: JsonObject = {};
  for (const [k, v] of Object.entries(actual.metadata)) if (v !== undefined) metadata[k] = v;
  return viewOfPart({ contents: { content: actual.content, contentType: actual.contentType ?? interaction.contents.contentType, encoded: false }, metadata });
}

/** A request/reply step: verifyRepliesOnBroker on the step alone, its request carrying the bound values. */
async function exchangeStep(contract: Contract, step: FlowStep, sync: SyncMessageInteraction, params: JsonObject, options: VerifyFlowsOnBrokerOptions): Promise<StepRun> {
  let request = sync.request;
  for (const b of step.bind) if (b.to[0] === 'request') request = partWithValue(request, b.to.slice(1), params[b.name] ?? null);
  let reply: BrokerReply | undefined;
  const client: RequestReplyClient = {
    describeReplyAddress: (r) => options.client.describeReplyAddress(r),
    request: async (r) => (reply = await options.client.request(r)),
  };
  // The step without its flow block (in comments when declared, in the herald block when read from a file) and states: here it is verified on its own, once.
  const { comments: _flowBlock, herald, ...rest } = withoutStates({ ...sync, request });
  const { [FLOW_COMMENT_KEY]: _flow, ...heraldRest } = herald ?? {};
  const plain: SyncMessageInteraction = herald === undefined ? rest : { ...rest, herald: heraldRest };
  const report = await unlessAborted(
    options.signal,
    verifyRepliesOnBroker(
      [{ ...contract, interactions: [], synchronous: [plain] }],
      { name: contract.provider },
      { client, ...(options.timeoutMs === undefined ? {} : { replyTimeoutMs: options.timeoutMs }) },
    ),
  );
  const result = report.results[0];
  if (result === undefined) throw new HeraldError('HERALD_FLOW_INVALID', `Failed to verify "${sync.description}": the step was not run.`);
  const contentType = sync.response[0]?.contents.contentType ?? 'application/json';
  return { result, produced: reply === undefined ? undefined : { request: viewOfPart(request), reply: viewOfReply(reply, contentType) } };
}

/** A one-way step: capture its channel, call its trigger, check the first message that arrives. */
async function messageStep(contract: Contract, interaction: MessageInteraction, definition: FlowProvider, params: JsonObject, options: VerifyFlowsOnBrokerOptions): Promise<StepRun> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const finish = (status: InteractionResult['status'], mismatches: readonly Mismatch[], error?: { code: string; message: string; retriable?: boolean }): InteractionResult => ({
    consumer: contract.consumer,
    provider: contract.provider,
    description: interaction.description,
    ...(contract.source === undefined ? {} : { contractFile: contract.source }),
    status: interaction.pending && status !== 'passed' ? 'pending' : status,
    mismatches,
    notes: [],
    ...(error === undefined ? {} : { error }),
    pending: interaction.pending,
    durationMs: performance.now() - started,
  });
  const where = `"${interaction.description}" (${contract.consumer} → ${contract.provider})`;
  const triggers = definition.triggers ?? {};
  const trigger = Object.hasOwn(triggers, interaction.description) ? triggers[interaction.description] : undefined;
  if (trigger === undefined) {
    const guess = closest(interaction.description, Object.keys(triggers));
    return {
      result: finish('no-factory', [], {
        code: 'HERALD_NO_TRIGGER',
        message: `No trigger for ${where}.${guess === undefined ? '' : ` Did you mean "${guess}"?`} Add triggers[${JSON.stringify(interaction.description)}]: (params) => publish(…) to the flow provider.`,
      }),
      produced: undefined,
    };
  }
  const channel = contractChannel(interaction);
  if (channel === undefined || options.transport === undefined) {
    return {
      result: finish('failed', [], {
        code: 'HERALD_CHANNEL_UNCHECKED',
        message:
          channel === undefined
            ? `Failed to verify ${where} on the broker: the contract does not say where it is published. Declare the channel with .on(…) in the consumer test.`
            : `Failed to verify ${where} on the broker: it is a one-way step, and no transport was given to capture it on ${describeChannel(channel)}. Pass { transport } to verifyFlowsOnBroker.`,
      }),
      produced: undefined,
    };
  }
  const capture = await options.transport.startCapture(channel);
  try {
    try {
      await unlessAborted(
        options.signal,
        withTimeout(
          () => trigger(params),
          timeoutMs,
          () => new HeraldError('HERALD_TRIGGER_FAILED', `The trigger for ${where} did not finish within ${timeoutMs} ms.`, { interaction: interaction.description }),
        ),
      );
    } catch (error) {
      if (isAborted(options.signal)) return { result: finish('failed', [], abortedInfo(options.signal)), produced: undefined };
      return { result: finish('failed', [], errorInfo(error, 'HERALD_TRIGGER_FAILED')), produced: undefined };
    }
    let captured: CapturedMessage;
    try {
      captured = await unlessAborted(options.signal, capture.next({ timeoutMs }));
    } catch (error) {
      if (isAborted(options.signal)) return { result: finish('failed', [], abortedInfo(options.signal)), produced: undefined };
      const info = errorInfo(error, 'HERALD_TRANSPORT_TIMEOUT');
      return {
        result: finish('failed', [], { ...info, message: `No message for ${where} arrived on ${describeChannel(channel)} after its trigger: ${info.message}`, retriable: true }),
        produced: undefined,
      };
    }
    const mismatches = matchCaptured(withoutKeys(interaction, CONSUMER_SIDE_KEYS), captured);
    return { result: finish(mismatches.length === 0 ? 'passed' : 'failed', mismatches), produced: viewOfCaptured(captured, interaction) };
  } finally {
    await capture.stop();
  }
}

/** The result of a step the abort of `signal` ended (or kept from starting). */
function abortedStep(contract: Contract, interaction: MessageInteraction | SyncMessageInteraction, signal: AbortSignal): InteractionResult {
  return notVerifiedResult(contract, interaction, abortedInfo(signal));
}

/**
 * Verifies every flow of the contracts naming the provider on a real broker, steps in order.
 * Interactions outside flows are not checked here (verifyRepliesOnBroker, verifyProviderOnBroker).
 *
 * @example
 * const report = await verifyFlowsOnBroker(contracts, { name: 'push-server', states, triggers: { 'a push for the session': ({ sessionId }) => pushes.send(String(sessionId)) } }, { client, transport });
 */
export async function verifyFlowsOnBroker(contracts: readonly Contract[], definition: FlowProvider, options: VerifyFlowsOnBrokerOptions): Promise<VerificationReport> {
  const started = performance.now();
  const selected = contractsToVerify(contracts, options.provider ?? definition.name, options.consumers);
  const matches = descriptionTest(options.description);
  const results: InteractionResult[] = [];
  const chosen = selected.map((contract) => ({ contract, flows: flowsOf(contract).filter((flow) => matches === undefined || flow.steps.some((s) => matches(s.interaction.description))) }));
  const counts = { done: 0, total: chosen.reduce((n, c) => n + c.flows.reduce((k, f) => k + f.steps.length, 0), 0), passed: 0, failed: 0 };
  for (const { contract, flows } of chosen) {
    const runStep: RunStep = async (step, params) => {
      options.onProgress?.({ ...counts, current: { description: step.interaction.description, consumer: contract.consumer, startedAt: Date.now() } });
      const signal = options.signal;
      if (isAborted(signal)) return { result: abortedStep(contract, step.interaction, signal), produced: undefined };
      try {
        return await (isSyncInteraction(step.interaction) ? exchangeStep(contract, step, step.interaction, params, options) : messageStep(contract, step.interaction, definition, params, options));
      } catch (error) {
        if (isAborted(signal)) return { result: abortedStep(contract, step.interaction, signal), produced: undefined };
        throw error;
      }
    };
    for (const flow of flows) {
      const flowResults = await verifyFlow(contract, flow, definition, runStep);
      results.push(...flowResults);
      for (const result of flowResults) {
        counts.done += 1;
        if (result.status === 'passed') counts.passed += 1;
        else if (result.status !== 'pending') counts.failed += 1;
      }
      options.onProgress?.({ ...counts, current: undefined });
    }
  }
  return { summary: summarise(results, [], performance.now() - started, 'triggers'), results };
}
