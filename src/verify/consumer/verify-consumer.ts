/**
 * Consumer verification on a real broker (what Spring Cloud Contract's StubTrigger does for the
 * JVM): the consumer's own subscription (its kafkajs consumer, its amqplib channel, started by
 * its own code) handles each contract example, which Herald publishes on the broker with its
 * key, headers and properties, generators applied. Herald observes the outcome through a probe:
 * the consumer's acknowledgement (`ctx.probe.handled` / `failed`, correlated by the
 * `herald-probe-id` header Herald adds) or a side-effect predicate polled until a deadline.
 *
 * One run: connect, create the run-scoped topics / exchanges, start the consumer (once, for every
 * example), publish the examples one at a time, each waiting for its outcome, then stop the
 * consumer and delete the run's topics, exchanges and queues, pass or fail.
 */
import { randomUUID } from 'node:crypto';
import type { Channel, Contract, MessageInteraction } from '../../contract/model';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import { HeraldError, isHeraldError } from '../../errors/herald-error';
import { describeChannel } from '../../transport/describe';
import { isTransportError, reasonOf, TRANSPORT_RETRIABLE } from '../../transport/errors';
import type { TransportAdapter } from '../../transport/types';
import { contractChannel } from '../broker/verify-on-broker';
import { connectionDetails, type BrokerConnection, type ConnectionDetails } from '../broker/connection';
import { runNamespace } from '../broker/namespace';
import { DEFAULT_CLEANUP_TIMEOUT_MS, RunResources } from '../broker/resources';
import { errorInfo, type ErrorInfo } from '../states';
import { withTimeout } from '../timeout';
import { poll, ProbeRecorder, PROBE_HEADER, type Probe, type ProbeOption, type PublishedExample } from './probe';
import { reifyExample } from './reify';
import { avroBlockOf, isAvroInteraction } from '../../avro/detect';
import { avroRegistryClient } from '../../avro/lazy';
import type { SchemaRegistryOption } from '../../avro/registry/client';
import { summariseConsumer, type ConsumerInteractionResult, type ConsumerInteractionStatus, type ConsumerVerificationReport } from './result';

/** What the consumer's start function gets: where the broker is, the run's names, the probe. */
export interface ConsumerContext extends ConnectionDetails {
  /** Herald's transport for this run (subscribe through it with the in-memory transport). */
  readonly transport: TransportAdapter;
  /** This run's namespace id (`herald-1a2b3c4d`), undefined when namespacing is off. */
  readonly namespace: string | undefined;
  /** Report handling: `probe.handled(headers)`, `probe.failed(headers, error)`, or `probe.wrap(handler, headersOf)`. */
  readonly probe: Probe;
  /** The run-scoped channels the examples will be published on. */
  readonly channels: readonly Channel[];
  /** A contract channel with this run's names. */
  channel(c: Channel): Channel;
  /** The run-scoped name of a Kafka topic: `ctx.topic('orders.v1')`. */
  topic(name: string): string;
  /** The run-scoped name of an AMQP exchange. */
  exchange(name: string): string;
  /** The run-scoped name of a queue the consumer declares (deleted after the run). */
  queue(name: string): string;
  /** The run-scoped id of a Kafka consumer group. */
  groupId(name: string): string;
}

/**
 * How to stop a started consumer: `{ stop }`, `{ close }` (an amqplib connection or channel),
 * `{ disconnect }` (a kafkajs consumer), an AsyncDisposable, or a function.
 */
export type ConsumerHandle = { stop(): unknown } | { close(): unknown } | { disconnect(): unknown } | AsyncDisposable | (() => unknown);

/** The consumer under test: starts its own subscription, resolving once it receives. */
export interface ConsumerUnderTest {
  /** The consumer's name as contracts spell it: only its contracts are verified (default: all given). */
  readonly name?: string;
  start(context: ConsumerContext): ConsumerHandle | Promise<ConsumerHandle>;
}

export interface ConsumerVerifyOptions {
  /** Herald's side of the broker, used to publish the examples (KafkaTransport, AmqpTransport, InMemoryTransport…). */
  readonly transport: TransportAdapter;
  /** The consumer under test, or just its start function. */
  readonly consumer: ConsumerUnderTest | ConsumerUnderTest['start'];
  /** How handling is observed (default 'ack': the consumer calls ctx.probe). */
  readonly probe?: ProbeOption;
  /** Where the broker is, for the consumer's own client: a started broker, `{ brokers }` or `{ url }`. */
  readonly connection?: BrokerConnection;
  /** Wait for each example to be handled (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Time the consumer's start may take (default 30 000 ms). */
  readonly startTimeoutMs?: number;
  /** Run-scoped names: a random namespace (default), a given id, or false (the contract's names). */
  readonly namespace?: string | false;
  /** Only contracts with this provider. */
  readonly provider?: string;
  /** Only interactions whose description matches. */
  readonly description?: RegExp;
  /** Bound on each cleanup step: stopping the consumer, deleting topics, exchanges, queues (default 5 000 ms). */
  readonly cleanupTimeoutMs?: number;
  /**
   * Schema registry for Confluent-framed Avro examples whose contract names no schema id: the
   * contract's schema is registered under its subject (`<topic>-value` by default) and the id
   * frames the example (default: HERALD_SCHEMA_REGISTRY_URL).
   */
  readonly schemaRegistry?: SchemaRegistryOption;
}

/**
 * The schema id a Confluent-framed Avro example is framed with, when the contract does not name one;
 * the registry is the option given, else the environment's.
 */
async function schemaIdFor(interaction: MessageInteraction, original: Channel, option: SchemaRegistryOption | undefined): Promise<number | undefined> {
  if (!isAvroInteraction(interaction)) return undefined;
  const block = avroBlockOf(interaction);
  if (block === undefined || block.framing !== 'confluent' || block.schemaId !== undefined) return undefined;
  const client = avroRegistryClient();
  const registry = option ?? client.schemaRegistryFromEnv();
  if (registry === undefined) return undefined;
  const subject = block.subject ?? (isKafkaChannel(original) ? `${original.topic}-value` : undefined);
  if (subject === undefined) return undefined;
  return client.schemaRegistryClient(registry).register(subject, block.schema);
}

const LOST_CODES = new Set(['HERALD_TRANSPORT_DISCONNECTED', 'HERALD_TRANSPORT_CONNECT_FAILED']);

function stopperOf(handle: unknown): (() => unknown) | undefined {
  if (typeof handle === 'function') return handle as () => unknown;
  if (typeof handle !== 'object' || handle === null) return undefined;
  const h = handle as Record<string | symbol, unknown>;
  for (const key of ['stop', Symbol.asyncDispose, 'close', 'disconnect'] as const) {
    const method = h[key];
    if (typeof method === 'function') return () => (method as () => unknown).call(handle);
  }
  return undefined;
}

/**
 * Publishes each contract example on the broker for the consumer's own subscription and reports
 * whether it handled it. Rejects, after cleaning up, when nothing can be verified: the broker is
 * unreachable or refuses the credentials, no interaction is selected, or the consumer does not start.
 *
 * @example
 * const report = await verifyConsumerOnBroker(contracts, {
 *   transport, connection: broker,
 *   consumer: { name: 'shipping', start: (ctx) => startShippingConsumer({ brokers: ctx.kafkaBrokers(), topic: ctx.topic('orders.v1'), groupId: ctx.groupId('shipping'), onProcessed: ctx.probe }) },
 * });
 * expect(report.summary.ok).toBe(true);
 */
export async function verifyConsumerOnBroker(contracts: Contract | readonly Contract[], options: ConsumerVerifyOptions): Promise<ConsumerVerificationReport> {
  const started = performance.now();
  const consumer: ConsumerUnderTest = typeof options.consumer === 'function' ? { start: options.consumer } : options.consumer;
  const all: readonly Contract[] = Array.isArray(contracts) ? contracts : [contracts as Contract];
  const selected: { contract: Contract; interaction: MessageInteraction }[] = [];
  for (const contract of all) {
    if (consumer.name !== undefined && contract.consumer !== consumer.name) continue;
    if (options.provider !== undefined && contract.provider !== options.provider) continue;
    for (const interaction of contract.interactions) {
      if (options.description === undefined || options.description.test(interaction.description)) selected.push({ contract, interaction });
    }
  }
  if (selected.length === 0) {
    const pairs = all.map((c) => `${c.consumer} ← ${c.provider} (${c.interactions.length})`).join(', ');
    throw new HeraldError(
      'HERALD_NOTHING_TO_VERIFY',
      `Failed to verify the consumer${consumer.name === undefined ? '' : ` "${consumer.name}"`} on a broker: no interaction was selected. The contracts hold: ${pairs || 'nothing'}. Check the consumer name, provider and description filters.`,
    );
  }

  const { transport } = options;
  await transport.connect();
  const ns = runNamespace(options.namespace);
  const cleanupMs = options.cleanupTimeoutMs ?? DEFAULT_CLEANUP_TIMEOUT_MS;
  const resources = new RunResources(transport, ns.id !== undefined, cleanupMs);
  const probe = new ProbeRecorder();
  const runNotes: string[] = [];
  const results: ConsumerInteractionResult[] = [];
  let lost: { interaction: string; error: ErrorInfo } | undefined;
  let stop: (() => unknown) | undefined;

  try {
    // The run's channels exist before the consumer subscribes to them.
    const channels = new Map<string, Channel>();
    for (const { interaction } of selected) {
      const original = contractChannel(interaction);
      if (original === undefined) continue;
      const channel = ns.channel(original);
      channels.set(JSON.stringify(channel), channel);
    }
    for (const channel of channels.values()) {
      await resources.prepare(channel);
      if (isAmqpChannel(channel) && channel.exchange !== '' && channel.queue !== undefined) resources.queue(channel.queue);
    }

    const context: ConsumerContext = {
      ...connectionDetails(transport.name, options.connection, 'the consumer under test'),
      transport,
      namespace: ns.id,
      probe,
      channels: [...channels.values()],
      channel: ns.channel,
      topic: ns.name,
      exchange: ns.name,
      queue: (name) => {
        const queue = ns.name(name);
        resources.queue(queue);
        return queue;
      },
      groupId: (name) => {
        const group = ns.name(name);
        resources.group(group, true);
        return group;
      },
    };
    const startMs = options.startTimeoutMs ?? 30_000;
    let handle: unknown;
    try {
      handle = await withTimeout(
        () => consumer.start(context),
        startMs,
        () => new Error(`it did not resolve within ${startMs} ms`),
      );
    } catch (error) {
      throw new HeraldError(
        'HERALD_CONSUMER_START_FAILED',
        `Failed to start the consumer${consumer.name === undefined ? '' : ` "${consumer.name}"`} for verification on ${transport.name}: ${reasonOf(error)}. Fix its start function; it should resolve once the consumer receives.`,
        { cause: error },
      );
    }
    stop = stopperOf(handle);
    if (stop === undefined) {
      throw new HeraldError(
        'HERALD_CONSUMER_START_FAILED',
        `Failed to verify the consumer${consumer.name === undefined ? '' : ` "${consumer.name}"`}: its start function returned nothing to stop it with. Return { stop: () => consumer.disconnect() }, an object with close() or disconnect(), an AsyncDisposable, or a function.`,
      );
    }

    for (const { contract, interaction } of selected) {
      const result = await verifyExample(contract, interaction);
      results.push(result);
    }
  } finally {
    if (stop !== undefined) {
      const close = stop;
      await withTimeout(
        () => close(),
        cleanupMs,
        () => new Error(`it did not finish within ${cleanupMs} ms`),
      ).catch((error: unknown) => {
        runNotes.push(`Stopping the consumer failed: ${reasonOf(error)}.`);
      });
    }
    await resources.cleanup(runNotes, lost !== undefined);
  }
  if (probe.unattributed > 0) {
    runNotes.push(`The consumer reported ${probe.unattributed} message(s) without a ${PROBE_HEADER} header: pass the message's headers (or the id) to ctx.probe.`);
  }
  return {
    summary: summariseConsumer(results, performance.now() - started),
    results,
    broker: { transport: transport.name, namespace: ns.id, resources: resources.list(), notes: runNotes },
  };

  async function verifyExample(contract: Contract, interaction: MessageInteraction): Promise<ConsumerInteractionResult> {
    const begun = performance.now();
    const probeId = randomUUID();
    const notes: string[] = [];
    const where = `"${interaction.description}" (${contract.consumer} ← ${contract.provider}${contract.source === undefined ? '' : `, ${contract.source}`})`;
    let published: ConsumerInteractionResult['published'];
    const finish = (status: ConsumerInteractionStatus, error?: ErrorInfo): ConsumerInteractionResult => {
      const retriable = error !== undefined && Object.prototype.hasOwnProperty.call(TRANSPORT_RETRIABLE, error.code) ? TRANSPORT_RETRIABLE[error.code as keyof typeof TRANSPORT_RETRIABLE] : undefined;
      return {
        consumer: contract.consumer,
        provider: contract.provider,
        description: interaction.description,
        ...(contract.source === undefined ? {} : { contractFile: contract.source }),
        status,
        ...(error === undefined ? {} : { error: retriable === undefined ? error : { ...error, retriable } }),
        ...(published === undefined ? {} : { published }),
        probeId,
        notes,
        durationMs: performance.now() - begun,
      };
    };
    if (lost !== undefined) {
      return finish('error', {
        code: lost.error.code,
        message: `Not published: the connection to the broker was lost while verifying "${lost.interaction}" earlier in this run (${lost.error.message}). Retry once the broker is back.`,
      });
    }
    const original = contractChannel(interaction);
    if (original === undefined) {
      return finish('error', {
        code: 'HERALD_TRANSPORT_CHANNEL_INVALID',
        message: `Failed to publish the example of ${where}: the contract does not say where the message travels (no herald.channel, no kafka_topic / amqp_exchange metadata).`,
      });
    }
    const channel = ns.channel(original);
    let example;
    try {
      const schemaId = await schemaIdFor(interaction, original, options.schemaRegistry);
      example = reifyExample(interaction, schemaId === undefined ? {} : { schemaId });
    } catch (error) {
      return finish('error', errorInfo(error, 'HERALD_AVRO_ENCODE_FAILED'));
    }
    notes.push(...example.notes);
    const headers = { ...example.headers, [PROBE_HEADER]: probeId };
    const publishedHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('utf8') : v]));
    published = { channel, ...(example.key === undefined ? {} : { key: example.key }), headers: publishedHeaders, properties: example.properties, payload: example.payload };
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    try {
      await transport.publish({
        channel,
        ...(example.key === undefined ? {} : { key: example.key }),
        headers,
        properties: example.properties,
        contentType: example.contentType,
        body: example.body,
      });
    } catch (error) {
      const info = errorInfo(error, 'HERALD_TRANSPORT_PUBLISH_FAILED');
      if (isTransportError(error) && LOST_CODES.has(error.code)) lost = { interaction: interaction.description, error: info };
      return finish('error', info);
    }
    const view: PublishedExample = {
      interaction,
      description: interaction.description,
      payload: example.payload,
      key: example.key,
      headers: publishedHeaders,
      properties: example.properties,
      channel,
      probeId,
    };
    let outcome;
    let lastError: unknown;
    if (options.probe === undefined || options.probe === 'ack') outcome = await probe.wait(probeId, deadline);
    else ({ outcome, lastError } = await poll(probe, probeId, view, options.probe, deadline));
    if (outcome === undefined) {
      const how =
        options.probe === undefined || options.probe === 'ack'
          ? `no ctx.probe.handled() / failed() for the ${PROBE_HEADER} ${probeId}`
          : `probe.until() stayed false${lastError === undefined ? '' : ` (its last error: ${reasonOf(lastError)})`}`;
      const names = isKafkaChannel(channel)
        ? `topic ctx.topic(${JSON.stringify(isKafkaChannel(original) ? original.topic : '')})`
        : isAmqpChannel(channel)
          ? 'exchange and queue ctx.exchange(..) / ctx.queue(..)'
          : 'channel ctx.channel(..)';
      return finish('not-handled', {
        code: 'HERALD_CONSUMER_TIMEOUT',
        message: `The consumer did not handle the example of ${where}, published on ${describeChannel(channel)}, within ${options.timeoutMs ?? 10_000} ms: ${how}. Check that it subscribes to the run-scoped ${names}, or raise timeoutMs.`,
      });
    }
    if (!outcome.handled) {
      const reason = isHeraldError(outcome.error) ? `${outcome.error.code}: ${outcome.error.message}` : reasonOf(outcome.error);
      return finish('failed', { code: 'HERALD_CONSUMER_FAILED', message: `The consumer failed on the example of ${where}: ${reason}` });
    }
    return finish('handled');
  }
}
