/**
 * Triggers: how a producer is made to publish, for verification on a real broker. A trigger calls
 * the provider's real code path (`placeOrder()` publishing with its own kafkajs producer), configured
 * from the context: the broker's address and the run-scoped topic or exchange to publish to.
 *
 * A triggers module default-exports `providerTriggers(name, { states, triggers })`, or a provider
 * definition that has both `messages` and `triggers` (one module for both kinds of verification).
 */
import type { JsonObject } from '../../contract/json';
import type { Channel, MessageInteraction } from '../../contract/model';
import { HeraldError } from '../../errors/herald-error';
import type { TransportAdapter } from '../../transport/types';
import type { StateHandler, StateLifecycle } from '../provider';
import type { StatesDefinition } from '../states';
import type { ConnectionDetails } from './connection';

/** What a trigger gets besides the provider-state params. */
export interface TriggerContext extends ConnectionDetails {
  readonly interaction: MessageInteraction;
  /** What each state handler returned, by state name. */
  readonly states: Readonly<Record<string, unknown>>;
  /** Where to publish: the contract's channel with this run's names (see `namespace`). */
  readonly channel: Channel;
  /** Kafka: the topic to publish to (`orders.v1.herald-1a2b3c4d`); undefined for other channels. */
  readonly topic: string | undefined;
  /** AMQP: the exchange to publish to (run-scoped; '' for the default exchange); undefined for other channels. */
  readonly exchange: string | undefined;
  /** AMQP: the contract's routing key (never renamed); undefined for other channels. */
  readonly routingKey: string | undefined;
  /** This run's namespace id (`herald-1a2b3c4d`), undefined when namespacing is off. */
  readonly namespace: string | undefined;
  /** Any other broker name in this run's namespace: `ctx.name('orders.audit')`. */
  name(base: string): string;
  /** Herald's transport for this run (publish through it with the in-memory transport). */
  readonly transport: TransportAdapter;
  /** Aborted when the trigger runs out of time: pass it on to cancellable work. */
  readonly signal: AbortSignal;
}

/** Makes the provider publish the message of one interaction; resolves once it was published. */
export type Trigger = (params: JsonObject, context: TriggerContext) => unknown;

/** The trigger-related part of a definition (also allowed on provider(name, { messages, triggers })). */
export interface TriggerFields {
  /** Triggers by interaction description, as the contracts spell it. */
  readonly triggers?: Readonly<Record<string, Trigger>>;
  /** Time a trigger may take (default: the verification's timeoutMs, 10 000 ms). */
  readonly triggerTimeoutMs?: number;
  /** Runs once after every broker verification run, pass or fail: close the clients the triggers opened. */
  readonly cleanup?: () => unknown;
  /**
   * These triggers resolve only once the broker accepted everything they published (await the
   * producer's send; AMQP: a confirm channel): runs need no quiet period between interactions on
   * a channel, only the broker's drain (verifyProviderOnBroker's `triggersAwaitPublish`, which
   * overrides this; `herald verify --transport` reads it from the triggers module). Default false.
   */
  readonly triggersAwaitPublish?: boolean;
}

/** A provider definition for broker verification: states (as for factories) and triggers. */
export interface TriggerDefinition extends StatesDefinition, TriggerFields {
  readonly name?: string;
  readonly triggers: Readonly<Record<string, Trigger>>;
}

/** What verifyProviderOnBroker accepts: a triggers definition, or a provider definition with triggers. */
export interface BrokerProviderDefinition extends StatesDefinition, TriggerFields {
  readonly name?: string;
}

/**
 * Declares a provider's triggers for broker verification.
 *
 * @example
 * export default providerTriggers('orders', {
 *   states: { 'an order exists': ({ orderId }) => ({ order: sampleOrder(orderId) }) },
 *   triggers: {
 *     'an OrderPlaced event': async ({ order }, ctx) => {
 *       const publisher = await connectPublisher({ brokers: ctx.kafkaBrokers(), topic: ctx.topic });
 *       await placeOrder(order, publisher);
 *     },
 *   },
 * });
 */
export function providerTriggers(name: string, definition: Omit<TriggerDefinition, 'name'>): TriggerDefinition {
  return { ...definition, name };
}

const FIX = 'Export providerTriggers(name, { states?, triggers: { [description]: async (params, ctx) => { /* publish */ } } }) as the default export.';

/** Validates a loaded module's export as a triggers definition (the CLI loads user modules). */
export function asTriggerDefinition(value: unknown, source: string): TriggerDefinition {
  const candidate = value as Record<string, unknown> | null;
  const invalid = (reason: string): HeraldError => new HeraldError('HERALD_TRIGGERS_INVALID', `Failed to load triggers from ${source}: ${reason}. ${FIX}`);
  if (typeof candidate !== 'object' || candidate === null) throw invalid('the module exports no triggers definition');
  const triggers = candidate['triggers'];
  if (typeof triggers !== 'object' || triggers === null || Array.isArray(triggers)) throw invalid('"triggers" is missing or not an object');
  for (const [description, trigger] of Object.entries(triggers)) {
    if (typeof trigger !== 'function') throw invalid(`the trigger for "${description}" is a ${typeof trigger}, not a function`);
  }
  const states = candidate['states'];
  if (states !== undefined && (typeof states !== 'object' || states === null)) throw invalid('"states" must be an object of state handlers');
  for (const [name, handler] of Object.entries((states ?? {}) as Record<string, StateHandler | StateLifecycle | unknown>)) {
    const ok = typeof handler === 'function' || (typeof handler === 'object' && handler !== null && ['setup', 'teardown'].some((k) => typeof (handler as Record<string, unknown>)[k] === 'function'));
    if (!ok) throw invalid(`the state handler "${name}" must be a function or { setup, teardown }`);
  }
  if (candidate['cleanup'] !== undefined && typeof candidate['cleanup'] !== 'function') throw invalid('"cleanup" must be a function');
  if (candidate['triggersAwaitPublish'] !== undefined && typeof candidate['triggersAwaitPublish'] !== 'boolean') throw invalid('"triggersAwaitPublish" must be true or false');
  return candidate as unknown as TriggerDefinition;
}
