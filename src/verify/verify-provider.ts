/**
 * Producer verification through message factories, in-process: for every interaction of every
 * contract naming the provider, set up its states, call its factory, match payload and metadata,
 * tear the states down. Never passes what it could not check.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { Contract, MessageInteraction } from '../contract/model';
import { AMQP_PROPERTY_KEYS, META, channelFromMetadata, channelMetadata, isKafkaChannel, isReservedMetadataKey, type AmqpPropertyName } from '../contract/channel';
import { assertSafeJson } from '../contract/safe-json';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import { HeraldError, isHeraldError } from '../errors/herald-error';
import { matchMessage, metadataNotes } from '../matching/engine';
import type { Mismatch } from '../matchers/mismatch';
import { isProducedMessage } from '../contract/produced';
import type { ProviderDefinition } from './provider';
import type { RunProgress } from './progress';
import { summarise, type InteractionResult, type VerificationReport } from './result';
import { isThenable, raceWithTimeout } from './timeout';
import { closest, describeInteraction, errorInfo, nothingToTearDown, setUpStatesNow } from './states';
import { isAvroInteraction } from '../avro/detect';
import { avroContract, avroProduced } from '../avro/lazy';
import type { SchemaRegistryOption } from '../avro/registry/client';
import { compileRegex, regexSource } from '../matchers/regex';
import { splitByUsage } from '../usage/usage';
import { verifySyncInteraction } from './reply';
import { flowsOf, isFlowStep } from '../contract/flow';
import { verifyFlow } from './flow';
import { factoryStepRunner } from './flow-factories';

export interface VerifyOptions {
  /** Provider name to verify (default: the definition's name). */
  readonly provider?: string;
  /** Only these consumers. */
  readonly consumers?: readonly string[];
  /**
   * Only interactions whose description matches. A RegExp is run by the linear-time engine (RE2
   * semantics), so a hostile pattern such as `^(a+)+$` cannot hang the run.
   */
  readonly description?: DescriptionFilter;
  /** Called after each interaction's verdict (the CLI keeps them for a run that cannot finish). */
  readonly onInteraction?: (result: InteractionResult) => void;
  /** Called before and after each interaction with where the run is (the CLI's progress line). */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Called after each contract pair, for progress output. */
  readonly onPair?: (pair: { consumer: string; provider: string; contractFile?: string; results: readonly InteractionResult[] }) => void;
  /**
   * Schema registry for Avro interactions: Confluent-framed factory results are decoded with the
   * writer schema their id names (a URL, { url, auth }, or a started registry). Without it, framed
   * bodies are read with the contract's schema (docs/avro.md).
   */
  readonly schemaRegistry?: SchemaRegistryOption;
  /**
   * Accept interactions whose contract names a channel (topic, exchange, routing key) when the
   * factory does not say where it publishes: they pass with a note instead of failing as
   * HERALD_CHANNEL_UNCHECKED (CLI: --allow-unchecked-channel). Default false.
   */
  readonly allowUncheckedChannel?: boolean;
  /**
   * Check every field the contract declares. By default a field the consumer declared but never
   * read (the contract's recorded `herald.usage`) does not fail: its mismatch is reported in the
   * notes with its path. Contracts without usage data always check every field. CLI: --all-fields.
   */
  readonly checkAllDeclaredFields?: boolean;
}

/** A description filter: a RegExp, or anything that tests a description (a compiled RE2 regex). */
export type DescriptionFilter = RegExp | { test(description: string): boolean };

/** The filter as a linear-time test: RegExps are recompiled with RE2 (HERALD_REGEX_INVALID if RE2 refuses them). */
export function descriptionTest(filter: DescriptionFilter | undefined): ((description: string) => boolean) | undefined {
  if (filter === undefined) return undefined;
  if (filter instanceof RegExp) {
    const compiled = compileRegex(regexSource(filter), 'the description filter');
    return (description) => compiled.test(description);
  }
  return (description) => filter.test(description);
}

/** The metadata keys that name where a message travels: checked by broker verification. */
export const CHANNEL_KEYS = new Set<string>([META.kafkaTopic, META.kafkaPartition, META.amqpExchange, META.amqpExchangeType, META.amqpRoutingKey, META.amqpQueue, META.transport, META.channel]);

interface Actual {
  readonly content: JsonValue | undefined;
  readonly contentType: string;
  readonly metadata: Record<string, JsonValue | undefined>;
  readonly channelGiven: boolean;
}

/** Turns a factory's return value into the message to match, or explains why it cannot. */
function toActual(produced: unknown, interaction: MessageInteraction, where: () => string): Actual | Mismatch {
  const details = isProducedMessage(produced) ? produced : undefined;
  const payload = details === undefined ? produced : details.payload;
  const contentType = details?.contentType ?? interaction.contents.contentType;
  const isJson = /json/i.test(contentType);
  let content: JsonValue | undefined;
  if (payload instanceof Uint8Array) {
    const text = Buffer.from(payload).toString('utf8');
    if (isJson) {
      try {
        content = parseJsonKeepingNumbers(text);
      } catch (error) {
        return {
          code: 'decode',
          part: 'body',
          path: '$',
          expected: contentType,
          actual: text.slice(0, 200),
          message: `The payload is not JSON although the contract expects ${contentType}: ${(error as Error).message}`,
        };
      }
    } else content = text;
  } else {
    try {
      assertSafeJson(payload, { interaction: interaction.description });
    } catch (error) {
      throw new HeraldError('HERALD_FACTORY_RESULT_INVALID', `The factory for ${where()} returned a value that cannot be serialised as a message: ${(error as Error).message}`, {
        interaction: interaction.description,
        cause: error,
      });
    }
    content = payload;
  }
  const metadata: Record<string, JsonValue | undefined> = { [META.contentType]: contentType };
  if (details !== undefined) {
    // Keys read as Object.entries would (own, enumerable, in order), without an entry array per message,
    // and by index: until V8 optimises this, each step of an array iterator allocates a result object.
    if (details.channel !== undefined) Object.assign(metadata, channelMetadata(details.channel));
    if (details.key !== undefined) metadata[META.kafkaKey] = details.key;
    const headers = details.headers;
    if (headers !== undefined && headers !== null) {
      const names = Object.keys(headers);
      for (let i = 0; i < names.length; i += 1) {
        const name = names[i] as string;
        metadata[name] = headers[name];
      }
    }
    const properties = details.properties;
    if (properties !== undefined && properties !== null) {
      const names = Object.keys(properties) as AmqpPropertyName[];
      for (let i = 0; i < names.length; i += 1) {
        const name = names[i] as AmqpPropertyName;
        metadata[AMQP_PROPERTY_KEYS[name]] = properties[name];
      }
    }
    if (details.metadata !== undefined) Object.assign(metadata, details.metadata);
  }
  return { content, contentType, metadata, channelGiven: details?.channel !== undefined || namesChannel(metadata) };
}

/** Some key of `metadata` names where the message travels ({@link CHANNEL_KEYS}). */
function namesChannel(metadata: Readonly<Record<string, unknown>>): boolean {
  return hasAnyKey(metadata, CHANNEL_KEYS);
}

/** Consumer-side channel details a producer does not control: the queue the consumer reads from. */
export const CONSUMER_SIDE_KEYS = new Set<string>([META.amqpQueue]);

const NONE: readonly string[] = [];

/** Some own key of `record` is one of `keys`. */
function hasAnyKey(record: Readonly<Record<string, unknown>>, keys: ReadonlySet<string>): boolean {
  // Indexed, not for…of: until V8 optimises this (it runs a few times per interaction), each step of
  // an array iterator allocates a result object.
  const names = Object.keys(record);
  for (let i = 0; i < names.length; i += 1) if (keys.has(names[i] as string)) return true;
  return false;
}

/** The contract with some metadata keys removed (what this verification cannot or must not check). */
export function withoutKeys(interaction: MessageInteraction, keys: ReadonlySet<string>): MessageInteraction {
  if (!hasAnyKey(interaction.metadata, keys)) return interaction;
  const metadata: JsonObject = {};
  for (const [k, v] of Object.entries(interaction.metadata)) if (!keys.has(k)) metadata[k] = v;
  return { ...interaction, metadata };
}

/**
 * One interaction's result, built as a literal in the report's key order (no spreads, no closure:
 * this runs once per interaction); a failing pending interaction is reported as pending.
 */
function interactionResult(
  contract: Contract,
  interaction: MessageInteraction,
  started: number,
  status: InteractionResult['status'],
  mismatches: readonly Mismatch[],
  notes: string[],
  error?: { code: string; message: string },
): InteractionResult {
  const failing = status === 'failed' || status === 'state-failed' || status === 'no-factory';
  const pending = interaction.pending;
  const final = failing && pending ? 'pending' : status;
  // Keys added in the report's order; the shapes repeat, so V8 keeps them fast.
  const result: Partial<{ -readonly [K in keyof InteractionResult]: InteractionResult[K] }> =
    contract.source === undefined
      ? { consumer: contract.consumer, provider: contract.provider, description: interaction.description }
      : { consumer: contract.consumer, provider: contract.provider, description: interaction.description, contractFile: contract.source };
  result.pending = pending;
  result.status = final;
  result.mismatches = mismatches;
  result.notes = notes;
  if (error !== undefined) result.error = error;
  result.durationMs = performance.now() - started;
  return result as InteractionResult;
}

export async function verifyInteraction(
  contract: Contract,
  interaction: MessageInteraction,
  definition: ProviderDefinition,
  options: Pick<VerifyOptions, 'schemaRegistry' | 'allowUncheckedChannel' | 'checkAllDeclaredFields'> = {},
): Promise<InteractionResult> {
  const started = performance.now();
  // Messages name the interaction only when something fails: its text is built then, not for every pass.
  const where = (): string => describeInteraction(contract, interaction);
  // Own properties only: "constructor" or "toString" must not find Object.prototype's members.
  const factory = Object.hasOwn(definition.messages, interaction.description) ? definition.messages[interaction.description] : undefined;
  if (factory === undefined) {
    const guess = closest(interaction.description, Object.keys(definition.messages));
    return interactionResult(contract, interaction, started, 'no-factory', [], [], {
      code: 'HERALD_NO_FACTORY',
      message: `No message factory for ${where()}.${guess === undefined ? '' : ` Did you mean "${guess}"?`} Add messages[${JSON.stringify(interaction.description)}] to the provider's factories.`,
    });
  }

  const notes: string[] = [];
  const setUp = setUpStatesNow(interaction, definition, where, notes);
  const states = setUp instanceof Promise ? await setUp : setUp;
  try {
    if (states.failure !== undefined) return interactionResult(contract, interaction, started, 'state-failed', [], notes, states.failure);
    const params = states.params;
    const stateValues = states.values;

    const factoryTimeout = definition.factoryTimeoutMs ?? 10_000;
    let produced: unknown;
    try {
      // A synchronous factory's value is used as it is; a thenable is raced against the timeout.
      const value: unknown = factory(params, { interaction, states: stateValues });
      produced = isThenable(value)
        ? await raceWithTimeout(
            value,
            factoryTimeout,
            () => new HeraldError('HERALD_FACTORY_FAILED', `The factory for ${where()} did not finish within ${factoryTimeout} ms.`, { interaction: interaction.description }),
          )
        : value;
    } catch (error) {
      return interactionResult(
        contract,
        interaction,
        started,
        'failed',
        [],
        notes,
        isHeraldError(error) ? errorInfo(error, 'HERALD_FACTORY_FAILED') : { code: 'HERALD_FACTORY_FAILED', message: `The factory for ${where()} threw: ${errorInfo(error, '').message}` },
      );
    }
    let actual: Actual | Mismatch;
    try {
      // Avro interactions: decode the factory's bytes (or check its record) first; the record is matched.
      const avro = isAvroInteraction(interaction) ? await avroProduced().decodeProducedAvro(produced, interaction, where(), options.schemaRegistry) : undefined;
      if (avro !== undefined) notes.push(...avro.notes);
      actual = toActual(avro === undefined ? produced : avro.produced, interaction, where);
    } catch (error) {
      return interactionResult(contract, interaction, started, 'failed', [], notes, errorInfo(error, 'HERALD_FACTORY_RESULT_INVALID'));
    }
    if ('code' in actual) {
      return interactionResult(contract, interaction, started, 'failed', [actual], notes);
    }
    let expected = withoutKeys(interaction, CONSUMER_SIDE_KEYS);
    // A green run must not check less than the contract states: an unchecked channel is unverified.
    const unchecked =
      !actual.channelGiven && hasAnyKey(expected.metadata, CHANNEL_KEYS)
        ? Object.keys(expected.metadata)
            .filter((k) => CHANNEL_KEYS.has(k))
            .sort()
        : NONE;
    if (unchecked.length > 0) {
      expected = withoutKeys(expected, CHANNEL_KEYS);
      notes.push(
        `The channel (${unchecked.join(', ')}) was not checked: the factory does not say where it publishes.${options.allowUncheckedChannel === true ? ' Accepted by --allow-unchecked-channel.' : ''}`,
      );
    }
    // Only Kafka's metadata is bytes on the wire, where the text "3" stands for 3; elsewhere (AMQP's
    // typed headers, a channel the contract does not name) the factory's JSON types are compared as they are.
    const typed = !isKafkaChannel(channelFromMetadata(interaction.metadata));
    const all = (isAvroInteraction(interaction) ? avroContract().matchAvroMessage : matchMessage)(expected, {
      content: actual.content,
      contentType: actual.contentType,
      metadata: actual.metadata,
      typedMetadata: typed,
    });
    // Typed metadata is never read from text, so it has no notes (metadataNotes returns none): not asked.
    if (!typed) notes.push(...metadataNotes(expected.metadata, actual.metadata, { typed }));
    // One rule with compare and diff: fields the consumer declared but never read are reported, not failed.
    const { failing: mismatches, unread } = splitByUsage(interaction, all, options.checkAllDeclaredFields === true);
    for (let i = 0; i < unread.length; i += 1) {
      const m = unread[i] as Mismatch;
      notes.push(
        `Not failed, because ${contract.consumer} declared ${m.path} but never reads it (herald.usage): ${m.message} Pass --all-fields (checkAllDeclaredFields) to fail on every declared field.`,
      );
    }
    if (unchecked.length > 0 && options.allowUncheckedChannel !== true) {
      return interactionResult(contract, interaction, started, 'failed', mismatches, notes, {
        code: 'HERALD_CHANNEL_UNCHECKED',
        message:
          `Failed to verify where ${where()} is published: the contract names ${unchecked.map((k) => `${k} ${JSON.stringify(interaction.metadata[k])}`).join(', ')}, but the factory does not say where it publishes. ` +
          'Pass `channel` to message() (e.g. message(payload, { channel: kafkaTopic(...) })), or verify on a broker (--transport); --allow-unchecked-channel accepts it for one run.',
      });
    }
    return interactionResult(contract, interaction, started, mismatches.length === 0 ? 'passed' : 'failed', mismatches, notes);
  } finally {
    if (states.teardown !== nothingToTearDown) await states.teardown();
  }
}

/** Contracts that name the provider, filtered as the options say. */
export function selectContracts(contracts: readonly Contract[], providerName: string, consumers?: readonly string[]): Contract[] {
  return contracts.filter((c) => c.provider === providerName && (consumers === undefined || consumers.length === 0 || consumers.includes(c.consumer)));
}

/**
 * The contracts to verify for a provider, or HERALD_UNKNOWN_PROVIDER when no name was given or no
 * contract names the provider (for these consumers).
 */
export function contractsToVerify(contracts: readonly Contract[], providerName: string | undefined, consumers?: readonly string[]): Contract[] {
  if (providerName === undefined) {
    throw new HeraldError('HERALD_UNKNOWN_PROVIDER', 'Failed to verify: no provider name was given. Pass --provider <name> or use provider(name, {...}).');
  }
  const selected = selectContracts(contracts, providerName, consumers);
  if (selected.length === 0) {
    const known = [...new Set(contracts.map((c) => c.provider))].sort();
    throw new HeraldError(
      'HERALD_UNKNOWN_PROVIDER',
      `Failed to verify "${providerName}": no contract names it as provider${consumers?.length ? ` for the consumers ${consumers.join(', ')}` : ''}. Providers in these contracts: ${known.join(', ') || 'none'}.`,
    );
  }
  return selected;
}

/** Counts a run's interactions as they start and finish, and tells `report` where the run is. */
function tracker(
  selected: readonly Contract[],
  matches: ((description: string) => boolean) | undefined,
  report: (progress: RunProgress) => void,
): { start(description: string, consumer: string): void; finish(result: InteractionResult): void } {
  const chosen = (i: { readonly description: string }): boolean => matches === undefined || matches(i.description);
  const total = selected.reduce((n, c) => n + c.interactions.filter(chosen).length + (c.synchronous ?? []).filter(chosen).length, 0);
  const counts = { done: 0, total, passed: 0, failed: 0 };
  // Literals rather than spreads of `counts`: twice per interaction.
  const now = (current: RunProgress['current']): RunProgress => ({ done: counts.done, total, passed: counts.passed, failed: counts.failed, current });
  return {
    start: (description: string, consumer: string): void => report(now({ description, consumer, startedAt: Date.now() })),
    finish: (result: InteractionResult): void => {
      counts.done += 1;
      if (result.status === 'passed') counts.passed += 1;
      else if (result.status !== 'pending') counts.failed += 1;
      report(now(undefined));
    },
  };
}

/**
 * Verifies every interaction of every contract naming the provider.
 *
 * @example
 * const report = await verifyProvider(await loadContracts(['contracts/']), ordersFactories, { provider: 'orders' });
 * if (!report.summary.ok) console.log(formatReport(report));
 */
export async function verifyProvider(contracts: readonly Contract[], definition: ProviderDefinition, options: VerifyOptions = {}): Promise<VerificationReport> {
  const started = performance.now();
  const selected = contractsToVerify(contracts, options.provider ?? definition.name, options.consumers);
  const results: InteractionResult[] = [];
  const used = new Set<string>();
  const matches = descriptionTest(options.description);
  const progress = options.onProgress === undefined ? undefined : tracker(selected, matches, options.onProgress);
  for (const contract of selected) {
    const pairResults: InteractionResult[] = [];
    for (const interaction of contract.interactions) {
      if (matches !== undefined && !matches(interaction.description)) continue;
      if (isFlowStep(interaction)) continue;
      used.add(interaction.description);
      progress?.start(interaction.description, contract.consumer);
      const result = await verifyInteraction(contract, interaction, definition, options);
      pairResults.push(result);
      progress?.finish(result);
      options.onInteraction?.(result);
    }
    for (const sync of contract.synchronous ?? []) {
      if (matches !== undefined && !matches(sync.description)) continue;
      if (isFlowStep(sync)) continue;
      used.add(sync.description);
      progress?.start(sync.description, contract.consumer);
      const result = await verifySyncInteraction(contract, sync, definition, (c, i, d) => verifyInteraction(c, i, d, options));
      pairResults.push(result);
      progress?.finish(result);
      options.onInteraction?.(result);
    }
    // Flow steps run with their flow, in order (docs/request-reply.md, "Flows"); a filter selects whole flows.
    for (const flow of flowsOf(contract)) {
      if (matches !== undefined && !flow.steps.some((s) => matches(s.interaction.description))) continue;
      for (const s of flow.steps) used.add(s.interaction.description);
      const stepResults = await verifyFlow(
        contract,
        flow,
        definition,
        factoryStepRunner(contract, definition, (c, i, d) => verifyInteraction(c, i, d, options)),
      );
      for (const result of stepResults) options.onInteraction?.(result);
      pairResults.push(...stepResults);
    }
    results.push(...pairResults);
    options.onPair?.({ consumer: contract.consumer, provider: contract.provider, ...(contract.source === undefined ? {} : { contractFile: contract.source }), results: pairResults });
  }
  const unused = [...Object.keys(definition.messages), ...Object.keys(definition.replies ?? {})].filter((d) => !used.has(d)).sort();
  return { summary: summarise(results, unused, performance.now() - started), results };
}
