/**
 * Producer verification on a real broker: for every interaction of every contract naming the
 * provider, set up its states, make sure a capture listens on the contract's channel (run-scoped
 * name), call the provider's trigger (its real publishing code), read what arrives within the
 * timeout, decode it and match payload and transport metadata (topic, key, headers; exchange,
 * routing key, properties), tear the states down. The report has the same shape as factory
 * verification's, plus what the run used on the broker.
 *
 * Which message is the interaction's: a message the broker accepted after its trigger was called
 * and before the next trigger on the same channel was (captures.ts, "trigger windows"): before
 * the next trigger on a channel Herald waits for the broker to confirm that everything it
 * accepted has reached the capture (and, unless `triggersAwaitPublish`, for `settleMs` of quiet
 * after the verdict). A trigger must resolve only once the broker accepted what it published
 * (await send / a confirm channel); with `triggersAwaitPublish`, a fire-and-forget publish that
 * the broker accepts after the trigger resolved may be attributed to the next interaction on
 * that channel. Late duplicates of what an earlier interaction's trigger caused are reported on
 * that interaction and never satisfy this one. The first candidate that matches passes the
 * interaction (at once: no wait after the match); the others are ignored (a note counts them),
 * and duplicates of the match are reported in a note. When none matches, the closest one (fewest
 * mismatches) is reported, once `settleMs` passed after the last candidate or the timeout ran
 * out. Nothing at all within `timeoutMs` is a failure with HERALD_TRANSPORT_TIMEOUT naming the
 * channel and the trigger.
 *
 * Faults: an unreachable broker or refused credentials reject the whole call before anything is
 * verified (HERALD_TRANSPORT_CONNECT_FAILED / _AUTH_FAILED; the CLI exits 2). A connection lost
 * during the run (the transport says so through `onConnectionLost`, or an operation fails with
 * it) ends the interaction in progress at once, whatever it waits for (its trigger is aborted),
 * and every remaining one is reported "Not run", all with a retriable
 * HERALD_TRANSPORT_DISCONNECTED; the run ends.
 */
import type { RunProgress } from '../progress';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { Channel, Contract, MessageInteraction, SyncMessageInteraction } from '../../contract/model';
import type { ErrorCode } from '../../errors/codes';
import { HeraldError, isHeraldError } from '../../errors/herald-error';
import type { Mismatch } from '../../matchers/mismatch';
import { isAvroInteraction } from '../../avro/detect';
import { avroCaptured } from '../../avro/lazy';
import { matchCaptured } from '../../transport/decode';
import { describeChannel } from '../../transport/describe';
import { isTransportError, reasonOf, TRANSPORT_RETRIABLE } from '../../transport/errors';
import type { CapturedMessage, TransportAdapter } from '../../transport/types';
import { summarise, type InteractionResult, type InteractionStatus, type VerificationReport } from '../result';
import { closest, describeInteraction, errorInfo, setUpStates, type ErrorInfo } from '../states';
import { withTimeout } from '../timeout';
import { CONSUMER_SIDE_KEYS, contractsToVerify, withoutKeys, type VerifyOptions } from '../verify-provider';
import { captureChannelFor, CapturePool, collect, TriggerWindow, type Evaluation } from './captures';
import { connectionDetails, isAmqpConnection, isKafkaConnection, type BrokerConnection } from './connection';
import { contractChannel } from './contract-channel';
import type { BrokerProviderDefinition, Trigger, TriggerContext } from './definition';
import { syncNotChecked } from '../reply';
import { isFlowStep } from '../../contract/flow';
import { flowStepsOf, verifyContractFlows } from './flow-run';
import { verifyReplyOnBroker, type RequestReplyClient } from '../reply-broker';
import { runNamespace, type RunNamespace } from './namespace';
import { DEFAULT_CLEANUP_TIMEOUT_MS, RunResources, type BrokerResources } from './resources';

/** Default wait for an interaction's message, counted from the moment its trigger is called. */
export const DEFAULT_BROKER_TIMEOUT_MS = 10_000;
/** Default wait for another candidate after one that does not match. */
export const DEFAULT_SETTLE_MS = 250;

export interface BrokerVerifyOptions extends VerifyOptions {
  /** Herald's side of the broker: captures what the producer publishes (KafkaTransport, AmqpTransport, InMemoryTransport…). */
  readonly transport: TransportAdapter;
  /** Where the broker is, for the triggers' own clients: a started broker, `{ brokers }` or `{ url }`. */
  readonly connection?: BrokerConnection;
  /** Wait for an interaction's message, from the moment its trigger is called (default 10 000 ms). */
  readonly timeoutMs?: number;
  /**
   * After a message that does not match, wait this long for another before failing (default
   * 250 ms). Unless `triggersAwaitPublish`, also the quiet period (nothing new on the channel)
   * that must pass after an interaction's verdict before the next trigger on the same channel is
   * called, so that what the previous trigger caused is not counted for the next one.
   */
  readonly settleMs?: number;
  /**
   * Your triggers resolve only once the broker accepted everything they published (they await the
   * producer's send with acks; AMQP: a confirm channel and waitForConfirms). Herald then needs no
   * quiet period between interactions: before the next trigger on a channel it waits only for the
   * broker to confirm that everything it accepted has reached Herald's capture (a drain), which
   * makes a run on a real broker about as fast as raw round trips. Default: the definition's
   * `triggersAwaitPublish` (a triggers module says it there), else false.
   *
   * Breaking the promise can pass an interaction falsely: a message published fire-and-forget,
   * that the broker accepts after its trigger resolved, is attributed to the next interaction on
   * the channel and can satisfy it even if that interaction's trigger published nothing.
   */
  readonly triggersAwaitPublish?: boolean;
  /**
   * Run-scoped names (docs/transports.md, "Isolation"): a random namespace (default), a given id,
   * or false to use the contract's names as they are (only on a broker nothing else publishes to).
   */
  readonly namespace?: string | false;
  /** Bound on each cleanup step: stopping captures, deleting topics and exchanges (default 5 000 ms). */
  readonly cleanupTimeoutMs?: number;
  /**
   * Ends the run when aborted, as a lost connection does: the interaction in progress ends at
   * once and the rest are not run, with the abort reason (a HeraldError: HERALD_INTERRUPTED on
   * SIGTERM, HERALD_TRANSPORT_DISCONNECTED from a provider client) as their error.
   */
  readonly signal?: AbortSignal;
  /** Called when an interaction starts and when it ends, for progress output on long runs. */
  readonly onProgress?: (progress: BrokerProgress) => void;
  /**
   * Checks request/reply interactions on the broker too: each request is published on the
   * contract's own request channel (not run-scoped: the provider's running service listens there)
   * and the reply checked as verifyRepliesOnBroker does. Without it they fail with HERALD_REPLY_NOT_CHECKED.
   */
  readonly replies?: BrokerRepliesOption;
}

/** How a broker run checks request/reply interactions. */
export interface BrokerRepliesOption {
  /** The broker side: herald/amqp's AmqpRequestReplyClient, or KafkaRequestReplyClient on the run's transport. */
  readonly client: RequestReplyClient;
  /** Wait for each reply (default: the run's timeoutMs, else 10 000 ms). */
  readonly timeoutMs?: number;
}

/** Where a run is: `done` of `total` interactions finished; `current` is the one running, if any. */
export type BrokerProgress = RunProgress;

/** What a broker run used and left: for reports and leak checks. */
export interface BrokerRunDetails {
  readonly transport: string;
  /** The run's namespace id, undefined when namespacing was off. */
  readonly namespace: string | undefined;
  /** Topics, exchanges, queues and consumer groups the run used (run-scoped names). */
  readonly resources: BrokerResources;
  /** Cleanup problems and other run-level remarks. */
  readonly notes: readonly string[];
}

/** A VerificationReport (reporters take it as-is) plus what the run did on the broker. */
export interface BrokerVerificationReport extends VerificationReport {
  readonly broker: BrokerRunDetails;
}

/** The contract's channel (moved to contract-channel.ts so flow-run.ts can use it without a cycle). */
export { contractChannel };

const LOST_CODES = new Set(['HERALD_TRANSPORT_DISCONNECTED', 'HERALD_TRANSPORT_CONNECT_FAILED']);

function retriableOf(code: string): boolean | undefined {
  return Object.prototype.hasOwnProperty.call(TRANSPORT_RETRIABLE, code) ? TRANSPORT_RETRIABLE[code as keyof typeof TRANSPORT_RETRIABLE] : undefined;
}

/** Where a namespaced channel comes from, for messages: `Kafka topic "orders.v1.herald-…" (the contract's "orders.v1" in this run's namespace)`. */
function describeRunChannel(ns: RunNamespace, original: Channel, used: Channel): string {
  if (ns.id === undefined) return describeChannel(used);
  const name = isKafkaChannel(original) ? original.topic : isAmqpChannel(original) ? (original.exchange === '' ? (original.queue ?? original.routingKey ?? '') : original.exchange) : undefined;
  return `${describeChannel(used)} (the contract's ${JSON.stringify(name ?? '')} in this run's namespace ${ns.id})`;
}

interface RunState {
  readonly options: BrokerVerifyOptions;
  readonly definition: BrokerProviderDefinition;
  readonly ns: RunNamespace;
  readonly resources: RunResources;
  readonly pool: CapturePool;
  /** Set once the broker connection was lost: remaining interactions fail at once. */
  lost: { readonly interaction: string; readonly error: ErrorInfo } | undefined;
  /** Resolves when the transport says the connection was lost (never, on adapters that cannot tell). */
  readonly lostSignal: Promise<ErrorInfo>;
  /** Aborts the trigger of the interaction in progress. */
  abortTrigger: (() => void) | undefined;
}

/** The result of `interaction`, begun at `started`. */
function resultOf(
  contract: Contract,
  interaction: MessageInteraction,
  started: number,
  notes: string[],
  status: InteractionStatus,
  mismatches: readonly Mismatch[],
  error?: ErrorInfo,
): InteractionResult {
  const failing = status === 'failed' || status === 'state-failed' || status === 'no-factory';
  const retriable = error === undefined ? undefined : retriableOf(error.code);
  return {
    consumer: contract.consumer,
    provider: contract.provider,
    description: interaction.description,
    ...(contract.source === undefined ? {} : { contractFile: contract.source }),
    status: failing && interaction.pending ? 'pending' : status,
    mismatches,
    notes,
    ...(error === undefined ? {} : { error: retriable === undefined ? error : { ...error, retriable } }),
    pending: interaction.pending,
    durationMs: performance.now() - started,
  };
}

/** The flows' own progress (counted from 0) as the run's: what ran before them added. */
function flowProgress(before: Omit<RunProgress, 'current'>, report: (progress: RunProgress) => void): (flows: RunProgress) => void {
  const base = { ...before };
  return (flows) => report({ done: base.done + flows.done, total: base.total, passed: base.passed + flows.passed, failed: base.failed + flows.failed, current: flows.current });
}

/** Whether the error that ended a run (run.lost) is a lost connection, not an interrupt or a trigger's failure. */
function isConnectionLoss(code: string): boolean {
  return code !== 'HERALD_INTERRUPTED' && code !== 'HERALD_TRIGGER_FAILED';
}

/**
 * One interaction, ended at once when the connection is lost while it runs (it fails with the
 * loss; its trigger is aborted); not run at all when the connection was lost before.
 */
async function verifyGuarded(run: RunState, contract: Contract, interaction: MessageInteraction): Promise<InteractionResult> {
  const started = performance.now();
  if (run.lost !== undefined) {
    const lostConnection = isConnectionLoss(run.lost.error.code);
    return resultOf(contract, interaction, started, [], 'failed', [], {
      code: run.lost.error.code,
      message: lostConnection
        ? `Not run: the connection to the broker was lost while verifying "${run.lost.interaction}" earlier in this run (${run.lost.error.message}). Retry the run once the broker is back.`
        : run.lost.error.code === 'HERALD_INTERRUPTED'
          ? `Not run: the run was interrupted while verifying "${run.lost.interaction}" (${run.lost.error.message}).`
          : `Not run: the run ended while verifying "${run.lost.interaction}" (${run.lost.error.message}).`,
    });
  }
  let settled = false;
  const lost = run.lostSignal.then((error): InteractionResult | undefined => {
    if (settled) return undefined;
    run.lost ??= { interaction: interaction.description, error };
    run.abortTrigger?.();
    // The loss the rest of the run cites: this interaction's own work may have recorded one first.
    ({ error } = run.lost);
    return resultOf(contract, interaction, started, [], 'failed', [], {
      code: error.code,
      message:
        error.code === 'HERALD_INTERRUPTED'
          ? `Failed to verify ${describeInteraction(contract, interaction)}: the run was interrupted while it ran (${error.message}).`
          : isConnectionLoss(error.code)
            ? `Failed to verify ${describeInteraction(contract, interaction)}: the connection to the broker was lost while it ran (${error.message}).`
            : error.message,
    });
  });
  const work = verifyOnBroker(run, contract, interaction);
  const first = await Promise.race([work, lost]);
  settled = true;
  if (first !== undefined) return first;
  return work;
}

async function verifyOnBroker(run: RunState, contract: Contract, interaction: MessageInteraction): Promise<InteractionResult> {
  const started = performance.now();
  const { options, definition, ns } = run;
  const where = describeInteraction(contract, interaction);
  const notes: string[] = [];
  const finish = (status: InteractionStatus, mismatches: readonly Mismatch[], error?: ErrorInfo): InteractionResult => resultOf(contract, interaction, started, notes, status, mismatches, error);
  /** A transport failure: fails this interaction, and every later one when the connection is gone. */
  const transportFailure = (error: unknown, fallback: string): InteractionResult => {
    const info = errorInfo(error, fallback);
    // The first loss stands: once the lost signal ended this interaction, its work may still fail in the background.
    if (isTransportError(error) && LOST_CODES.has(error.code)) run.lost ??= { interaction: interaction.description, error: info };
    return finish('failed', [], info);
  };

  const triggers = definition.triggers ?? {};
  const trigger: Trigger | undefined = Object.prototype.hasOwnProperty.call(triggers, interaction.description) ? triggers[interaction.description] : undefined;
  if (trigger === undefined) {
    const guess = closest(interaction.description, Object.keys(triggers));
    return finish('no-factory', [], {
      code: 'HERALD_NO_TRIGGER',
      message: `No trigger for ${where}.${guess === undefined ? '' : ` Did you mean "${guess}"?`} Add triggers[${JSON.stringify(interaction.description)}] to the provider's triggers.`,
    });
  }
  const original = contractChannel(interaction);
  if (original === undefined) {
    return finish('failed', [], {
      code: 'HERALD_TRANSPORT_CHANNEL_INVALID',
      message: `Failed to verify ${where} on a broker: the contract does not say where the message travels (no herald.channel, no kafka_topic / amqp_exchange metadata). Declare the channel in the consumer test with .on(kafkaTopic(..)) or .on(amqpExchange(..)).`,
    });
  }
  const channel = ns.channel(original);
  const listenOn = captureChannelFor(channel);
  const onChannel = describeRunChannel(ns, original, channel);

  const states = await setUpStates(interaction, definition, where, notes, "the provider's triggers");
  try {
    if (states.failure !== undefined) return finish('state-failed', [], states.failure);

    let capture;
    try {
      await run.resources.prepare(channel);
      capture = await run.pool.get(listenOn);
    } catch (error) {
      return transportFailure(error, 'HERALD_TRANSPORT_OPERATION_FAILED');
    }
    // Once the capture is drained, what arrives is this interaction's, unless it copies an earlier one's message.
    const window = new TriggerWindow(interaction.description, notes, onChannel);
    const isOwn = await run.pool.open(capture, window);

    const timeoutMs = options.timeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS;
    const triggerTimeoutMs = definition.triggerTimeoutMs ?? timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const abort = new AbortController();
    run.abortTrigger = () => abort.abort();
    const context: TriggerContext = {
      ...connectionDetails(options.transport.name, options.connection, `the trigger for ${where}`),
      interaction,
      states: states.values,
      channel,
      topic: isKafkaChannel(channel) ? channel.topic : undefined,
      exchange: isAmqpChannel(channel) ? channel.exchange : undefined,
      routingKey: isAmqpChannel(channel) ? channel.routingKey : undefined,
      namespace: ns.id,
      name: ns.name,
      transport: options.transport,
      signal: abort.signal,
    };
    try {
      if (run.lost !== undefined) return finish('failed', [], run.lost.error);
      await withTimeout(
        () => trigger(states.params, context),
        triggerTimeoutMs,
        () => {
          abort.abort();
          return new HeraldError(
            'HERALD_TRIGGER_FAILED',
            `The trigger for ${where} did not finish within ${triggerTimeoutMs} ms. Make it resolve once it published (await the producer's send), or raise triggerTimeoutMs.`,
            {
              interaction: interaction.description,
            },
          );
        },
      );
    } catch (error) {
      if (isHeraldError(error) && error.code !== 'HERALD_TRANSPORT_TIMEOUT') return finish('failed', [], errorInfo(error, 'HERALD_TRIGGER_FAILED'));
      return finish('failed', [], { code: 'HERALD_TRIGGER_FAILED', message: `The trigger for ${where} threw: ${reasonOf(error)}` });
    }

    const expected = withoutKeys(interaction, CONSUMER_SIDE_KEYS);
    const evaluate = async (message: CapturedMessage): Promise<Evaluation> => {
      const seen = { ...message, channel: ns.strip(message.channel) };
      if (isAvroInteraction(expected)) {
        const result = await avroCaptured().matchCapturedAvro(expected, seen, options.schemaRegistry === undefined ? {} : { registry: options.schemaRegistry });
        return { mismatches: result.mismatches, notes: result.notes };
      }
      return { mismatches: matchCaptured(expected, seen), notes: [] };
    };
    let collected;
    try {
      collected = await collect(capture, isOwn, window, deadline, options.settleMs ?? DEFAULT_SETTLE_MS, evaluate);
    } catch (error) {
      if (!isTransportError(error)) return finish('failed', [], errorInfo(error, 'HERALD_TRANSPORT_OPERATION_FAILED'));
      await run.pool.discard(listenOn);
      return transportFailure(error, 'HERALD_TRANSPORT_OPERATION_FAILED');
    }
    window.end();
    const { best, arrived } = collected;
    const copies = [...window.copiesOfEarlier].map(([description, n]) => `${n} late duplicate(s) of what the trigger of "${description}" caused`).join(', ');
    const notOwn =
      copies === ''
        ? ''
        : ` (${copies} arrived meanwhile: they are that interaction's, and cannot satisfy this one; if this trigger publishes the very same message on purpose, give each interaction's message something of its own, such as an id)`;
    if (best === undefined) {
      const hint = isAmqpChannel(channel)
        ? `publishes to ctx.exchange (${JSON.stringify(channel.exchange)}) with the routing key ${JSON.stringify(channel.routingKey ?? '')}`
        : isKafkaChannel(channel)
          ? `publishes to ctx.topic (${JSON.stringify(channel.topic)})`
          : 'publishes to ctx.channel';
      return finish('failed', [], {
        code: 'HERALD_TRANSPORT_TIMEOUT',
        message: `Failed to receive the message of ${where} on ${onChannel} within ${timeoutMs} ms of calling its trigger: nothing ${copies === '' ? '' : 'of its own '}arrived, although the trigger finished${notOwn}. Check that the trigger ${hint} and awaits the publish, or raise timeoutMs.`,
      });
    }
    notes.push(...best.evaluation.notes);
    if (best.evaluation.mismatches.length === 0) {
      if (arrived > 1) notes.push(`${arrived - 1} other message(s) arrived on ${onChannel} during this interaction; they did not match and were ignored.`);
      return finish('passed', []);
    }
    if (arrived > 1) notes.push(`${arrived} messages arrived on ${onChannel} during this interaction and none matched; the closest one is reported.`);
    if (copies !== '') notes.push(`Not counted for this interaction: ${copies}.`);
    return finish('failed', best.evaluation.mismatches);
  } finally {
    await states.teardown();
  }
}

/**
 * Verifies every interaction of every contract naming the provider on a real broker, through the
 * provider's triggers.
 *
 * @example
 * await using broker = await startKafkaBroker();
 * await using transport = new KafkaTransport({ brokers: broker.brokers });
 * const report = await verifyProviderOnBroker(await loadContracts(['contracts/']), ordersTriggers, { transport, connection: broker });
 * expect(report.summary.ok).toBe(true);
 */
export async function verifyProviderOnBroker(contracts: readonly Contract[], definition: BrokerProviderDefinition, options: BrokerVerifyOptions): Promise<BrokerVerificationReport> {
  const started = performance.now();
  const selected = contractsToVerify(contracts, options.provider ?? definition.name, options.consumers);
  if (definition.triggers === undefined || typeof definition.triggers !== 'object') {
    throw new HeraldError(
      'HERALD_TRIGGERS_INVALID',
      `Failed to verify "${options.provider ?? definition.name ?? ''}" on a broker: the definition has no triggers. Pass providerTriggers(name, { states, triggers: { [description]: async (params, ctx) => … } }), or add triggers to provider(name, {...}).`,
    );
  }
  const { transport } = options;
  // Unreachable broker, refused credentials: nothing can be verified, so the call rejects.
  await transport.connect();
  let signalLost: (error: ErrorInfo) => void = () => undefined;
  const lostSignal = new Promise<ErrorInfo>((resolve) => (signalLost = resolve));
  const unwatch = transport.onConnectionLost?.((error) => signalLost(errorInfo(error, 'HERALD_TRANSPORT_DISCONNECTED')));
  const onAbort = (): void => signalLost(errorInfo(options.signal?.reason, 'HERALD_INTERRUPTED'));
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const ns = runNamespace(options.namespace);
  const cleanupMs = options.cleanupTimeoutMs ?? DEFAULT_CLEANUP_TIMEOUT_MS;
  const resources = new RunResources(transport, ns.id !== undefined, cleanupMs);
  const pool = new CapturePool(transport, resources, {
    settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
    drainTimeoutMs: options.timeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS,
    quietAfterVerdict: (options.triggersAwaitPublish ?? definition.triggersAwaitPublish) !== true,
  });
  const run: RunState = { options, definition, ns, resources, pool, lost: undefined, lostSignal, abortTrigger: undefined };
  // Flows run through verifyFlowsOnBroker, which ends on an abort: the run's interrupt or lost connection is one.
  const flowsAbort = new AbortController();
  void lostSignal.then((error) => flowsAbort.abort(new HeraldError(error.code as ErrorCode, error.message)));
  const runNotes: string[] = [];
  let repliesNoted = false;
  let flowsNoted = false;
  if (ns.id === undefined) runNotes.push("Namespacing was off: the contract's own topic / exchange names were used, so messages other producers publish there are candidates too.");
  if (options.connection !== undefined && !isKafkaConnection(options.connection) && !isAmqpConnection(options.connection)) runNotes.push('The connection given is neither { brokers } nor { url }.');

  const results: InteractionResult[] = [];
  const used = new Set<string>();
  const chosen = (interaction: MessageInteraction): boolean => !isFlowStep(interaction) && (options.description === undefined || options.description.test(interaction.description));
  const chosenSync = (sync: SyncMessageInteraction): boolean => !isFlowStep(sync) && (options.description === undefined || options.description.test(sync.description));
  const progress = {
    done: 0,
    total: selected.reduce((n, c) => n + c.interactions.filter(chosen).length + (c.synchronous ?? []).filter(chosenSync).length + flowStepsOf(c, options.description).length, 0),
    passed: 0,
    failed: 0,
  };
  const count = (result: InteractionResult): void => {
    progress.done += 1;
    if (result.status === 'passed') progress.passed += 1;
    else if (result.status !== 'pending') progress.failed += 1;
  };
  try {
    for (const contract of selected) {
      const pairResults: InteractionResult[] = [];
      for (const interaction of contract.interactions) {
        if (!chosen(interaction)) continue;
        used.add(interaction.description);
        options.onProgress?.({ ...progress, current: { description: interaction.description, consumer: contract.consumer, startedAt: Date.now() } });
        const result = await verifyGuarded(run, contract, interaction);
        run.abortTrigger = undefined;
        pairResults.push(result);
        count(result);
        options.onProgress?.({ ...progress, current: undefined });
      }
      // Request/reply interactions: checked with options.replies; without it each fails, never passes unseen.
      for (const sync of contract.synchronous ?? []) {
        // Flow steps run with their flow, below.
        if (!chosenSync(sync)) continue;
        const replies = options.replies;
        if (replies !== undefined && run.lost === undefined) options.onProgress?.({ ...progress, current: { description: sync.description, consumer: contract.consumer, startedAt: Date.now() } });
        const result =
          replies === undefined || run.lost !== undefined
            ? syncNotChecked(
                contract,
                sync,
                'HERALD_REPLY_NOT_CHECKED',
                run.lost !== undefined
                  ? `The request/reply interaction "${sync.description}" was not checked: ${run.lost.error.message}`
                  : `The request/reply interaction "${sync.description}" is not checked by a one-way broker run. Verify it with verifyRepliesOnBroker, on the CLI with --transport kafka|amqp, or with reply factories in process.`,
              )
            : await verifyReplyOnBroker(contract, sync, definition, replies.client, replies.timeoutMs ?? options.timeoutMs ?? 10_000);
        if (replies !== undefined && !repliesNoted && ns.id !== undefined) {
          repliesNoted = true;
          runNotes.push("Request/reply interactions were published on the contracts' own request channels (the provider's service listens there), not on run-scoped names.");
        }
        pairResults.push(result);
        count(result);
        options.onProgress?.({ ...progress, current: undefined });
      }
      // Flows: their steps in order (verifyFlowsOnBroker), with the request/reply client; without it each step fails, never passes unseen.
      const flowResults = await verifyContractFlows(contract, definition, {
        transport,
        connection: options.connection,
        client: options.replies?.client,
        description: options.description,
        timeoutMs: options.replies?.timeoutMs ?? options.timeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS,
        lost: run.lost?.error,
        signal: flowsAbort.signal,
        ...(options.onProgress === undefined ? {} : { onProgress: flowProgress(progress, options.onProgress) }),
      });
      if (flowResults.length > 0 && options.replies !== undefined && !flowsNoted && ns.id !== undefined) {
        flowsNoted = true;
        runNotes.push("Flow steps were published and captured on the contracts' own channels (the provider's running service uses them), not on run-scoped names.");
      }
      for (const result of flowResults) {
        used.add(result.description);
        pairResults.push(result);
        count(result);
      }
      results.push(...pairResults);
      // Late duplicates of this pair's last messages reach its results before they are handed on.
      if (options.onPair !== undefined && run.lost === undefined) await run.pool.settle();
      options.onPair?.({ consumer: contract.consumer, provider: contract.provider, ...(contract.source === undefined ? {} : { contractFile: contract.source }), results: pairResults });
    }
  } finally {
    unwatch?.();
    options.signal?.removeEventListener('abort', onAbort);
    // Captures first (a Kafka consumer leaves its group before its topic goes), then the run's
    // topics and exchanges and the triggers' own clients, side by side. Each step is bounded.
    // With the connection lost there is nothing to delete in order: all at once, the captures
    // bounded as a whole (the transport's close releases what is left).
    const close = definition.cleanup;
    // A run ended by an interrupt or a trigger's failure still has its connection: cleanup as usual.
    const lostConnection = run.lost !== undefined && isConnectionLoss(run.lost.error.code);
    const triggersCleanup = (): Promise<unknown> | undefined =>
      close === undefined
        ? undefined
        : withTimeout(
            () => close(),
            cleanupMs,
            () => new Error(`it did not finish within ${cleanupMs} ms`),
          ).catch((error: unknown) => {
            runNotes.push(`The triggers' cleanup failed: ${reasonOf(error)}.`);
          });
    if (lostConnection) {
      await Promise.all([
        withTimeout(
          () => run.pool.stopAll(),
          cleanupMs,
          () => new Error('timeout'),
        ).catch(() => undefined),
        resources.cleanup(runNotes, true),
        triggersCleanup(),
      ]);
    } else {
      await run.pool.stopAll();
      await Promise.all([resources.cleanup(runNotes, false), triggersCleanup()]);
    }
  }
  const unused = Object.keys(definition.triggers)
    .filter((d) => !used.has(d))
    .sort();
  return {
    summary: summarise(results, unused, performance.now() - started, 'triggers'),
    results,
    broker: { transport: transport.name, namespace: ns.id, resources: resources.list(), notes: runNotes },
  };
}
