/** Entry point of the consumer DSL: `consumer('shipping').expectsFrom('orders').message('…')`. */
import { HeraldError } from '../errors/herald-error';
import { startMessage, type MessageBuilder } from './message';
import { startRequest, type RequestBuilder } from './request';
import { declareFlow, type FlowBuilder, type FlowDeclaration } from './flow';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]*$/;

function checkName(role: string, name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new HeraldError('HERALD_DSL_INVALID', `Failed to name the ${role} ${JSON.stringify(name)}: use letters, digits, ".", "_", "-" or spaces (it becomes part of the contract file name).`);
  }
}

export interface Pair {
  readonly consumer: string;
  readonly provider: string;
  /** Declares a message the consumer expects, by a description unique within the pair. */
  message(description: string): MessageBuilder<Record<never, never>, undefined, Record<never, never>>;
  /** Declares a request the consumer sends and the reply it expects (Pact V4 Synchronous/Messages). */
  request(description: string): RequestBuilder<Record<never, never>, undefined, Record<never, never>>;
  /**
   * Declares a flow: ordered steps (messages and request/replies of this pair) whose later steps
   * may bind values of earlier ones, e.g. `pair.flow('authorised push', (f) => f.step(…).step(…))`.
   */
  flow<S>(name: string, build: (f: FlowBuilder<Record<never, never>>) => FlowBuilder<S>): FlowDeclaration<S>;
}

export interface Consumer {
  readonly name: string;
  /** Names the provider that publishes the messages. */
  expectsFrom(provider: string): Pair;
}

/** A consumer of messages. */
export function consumer(name: string): Consumer {
  checkName('consumer', name);
  return {
    name,
    expectsFrom(provider: string): Pair {
      checkName('provider', provider);
      return {
        consumer: name,
        provider,
        message: (description: string) => startMessage(name, provider, description),
        request: (description: string) => startRequest(name, provider, description),
        flow: (flowName, build) => declareFlow(name, provider, flowName, build),
      };
    },
  };
}
