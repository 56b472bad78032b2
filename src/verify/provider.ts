/**
 * A provider definition for verification: provider-state handlers and message factories, keyed by
 * the names the contracts use. The plain form `{ states?, messages }` (a module's default export)
 * is accepted as-is; `provider(name, definition)` adds the name and options.
 */
import type { JsonObject } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import type { TriggerFields } from './broker/definition';
import type { ReplyFactory } from './reply';

/** Sets up a provider state; its return value (an object) is merged into the factory's params. */
export type StateHandler = (params: JsonObject) => unknown;

export interface StateLifecycle {
  readonly setup?: StateHandler;
  readonly teardown?: StateHandler;
}

export interface FactoryContext {
  readonly interaction: MessageInteraction;
  /** What each state handler returned, by state name. */
  readonly states: Readonly<Record<string, unknown>>;
}

/** Builds the message the provider would publish for an interaction. */
export type MessageFactory = (params: JsonObject, context: FactoryContext) => unknown;

/**
 * Message factories (in-process verification), and optionally triggers (verification on a real
 * broker, verifyProviderOnBroker / herald verify --transport): one module may serve both.
 */
export interface ProviderDefinition extends TriggerFields {
  /** The provider's name as contracts spell it; the CLI's --provider overrides it. */
  readonly name?: string;
  readonly states?: Readonly<Record<string, StateHandler | StateLifecycle>>;
  readonly messages: Readonly<Record<string, MessageFactory>>;
  /** Reply factories for request/reply interactions, by description: `(params, request) => reply`. */
  readonly replies?: Readonly<Record<string, ReplyFactory>>;
  /** Time a state handler may take (default 10 000 ms). */
  readonly stateTimeoutMs?: number;
  /** Time a factory may take (default 10 000 ms). */
  readonly factoryTimeoutMs?: number;
}

/**
 * Declares a provider for verification.
 *
 * @example
 * export default provider('orders', {
 *   states: { 'an order exists': ({ orderId }) => ({ order: orders.create(orderId) }) },
 *   messages: { 'an OrderPlaced event': ({ order }) => message(orderPlaced(order), { key: order.id }) },
 * });
 */
export function provider(name: string, definition: Omit<ProviderDefinition, 'name'>): ProviderDefinition {
  return { ...definition, name };
}

/** Validates a loaded module's export as a provider definition (the CLI loads user modules). */
export function asProviderDefinition(value: unknown, source: string): ProviderDefinition {
  const candidate = (typeof value === 'object' && value !== null && 'default' in value && !('messages' in value) ? (value as { default: unknown }).default : value) as Record<string, unknown> | null;
  const fix = 'Export `{ states?: { [name]: (params) => values }, messages: { [description]: (params) => payload } }` as the default export, or use provider(name, {...}).';
  if (typeof candidate !== 'object' || candidate === null) {
    throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: the module exports no provider definition. ${fix}`);
  }
  const messages = candidate['messages'];
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) {
    throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: "messages" is missing or not an object. ${fix}`);
  }
  for (const [description, factory] of Object.entries(messages)) {
    if (typeof factory !== 'function') {
      throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: the factory for "${description}" is a ${typeof factory}, not a function. ${fix}`);
    }
  }
  const replies = candidate['replies'];
  if (replies !== undefined && (typeof replies !== 'object' || replies === null || Array.isArray(replies))) {
    throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: "replies" must be an object of reply factories, (params, request) => reply. ${fix}`);
  }
  for (const [description, factory] of Object.entries((replies ?? {}) as Record<string, unknown>)) {
    if (typeof factory !== 'function') {
      throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: the reply factory for "${description}" is a ${typeof factory}, not a function. ${fix}`);
    }
  }
  const states = candidate['states'];
  if (states !== undefined && (typeof states !== 'object' || states === null)) {
    throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: "states" must be an object of state handlers. ${fix}`);
  }
  for (const [name, handler] of Object.entries((states ?? {}) as Record<string, unknown>)) {
    const ok = typeof handler === 'function' || (typeof handler === 'object' && handler !== null && ['setup', 'teardown'].some((k) => typeof (handler as Record<string, unknown>)[k] === 'function'));
    if (!ok) throw new HeraldError('HERALD_FACTORIES_INVALID', `Failed to load factories from ${source}: the state handler "${name}" must be a function or { setup, teardown }. ${fix}`);
  }
  return candidate as unknown as ProviderDefinition;
}
