/**
 * Flow steps run with the provider's factories, in-process: a one-way step's message factory and a
 * request/reply step's reply factory receive the bound values in their params; a request/reply
 * step's request carries them where the consumer declared them.
 */
import { AMQP_PROPERTY_KEYS, META, headersOf, type AmqpPropertyName } from '../contract/channel';
import { partWithValue, viewOfPart, type FlowStep, type MessageView } from '../contract/flow';
import type { JsonObject, JsonValue } from '../contract/json';
import { isSyncInteraction, type Contract, type MessageInteraction } from '../contract/model';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import { isProducedMessage } from '../contract/produced';
import { isThenable } from './timeout';
import type { ProviderDefinition } from './provider';
import { replyAsMessage, verifySyncInteraction } from './reply';
import type { InteractionResult } from './result';
import { withoutStates, type RunStep, type StepRun } from './flow';

type VerifyMessage = (contract: Contract, interaction: MessageInteraction, definition: ProviderDefinition) => Promise<InteractionResult>;

/** What a factory returned, as the values later steps bind (payload decoded as the contract's content type says). */
export function producedView(produced: unknown, contentType: string): MessageView {
  const details = isProducedMessage(produced) ? produced : undefined;
  const raw = details === undefined ? produced : details.payload;
  let payload: JsonValue | undefined;
  if (raw instanceof Uint8Array) {
    const text = Buffer.from(raw).toString('utf8');
    try {
      payload = /json/i.test(details?.contentType ?? contentType) ? parseJsonKeepingNumbers(text) : text;
    } catch {
      payload = text;
    }
  } else payload = raw as JsonValue | undefined;
  const metadata: JsonObject = { ...(details?.metadata ?? {}) };
  const properties: JsonObject = {};
  for (const [name, value] of Object.entries(details?.properties ?? {})) if (value !== undefined) properties[name] = value;
  for (const [name, key] of Object.entries(AMQP_PROPERTY_KEYS)) {
    const value = metadata[key];
    if (value !== undefined && properties[name] === undefined) properties[name as AmqpPropertyName] = value;
  }
  return { payload, headers: { ...headersOf(metadata), ...(details?.headers ?? {}) }, key: details?.key ?? metadata[META.kafkaKey], properties };
}

/** Calls `factory` and remembers what it returned (awaited when it returns a promise). */
function capturing<A extends unknown[]>(factory: (...args: A) => unknown, seen: (value: unknown) => void): (...args: A) => unknown {
  return (...args) => {
    const value = factory(...args);
    if (isThenable(value)) {
      return Promise.resolve(value).then((resolved) => {
        seen(resolved);
        return resolved;
      });
    }
    seen(value);
    return value;
  };
}

/** A step runner for verifyFlow that uses the definition's factories; `verifyMessage` is one-way verification with the run's options. */
export function factoryStepRunner(contract: Contract, definition: ProviderDefinition, verifyMessage: VerifyMessage): RunStep {
  return async (step: FlowStep, params, states): Promise<StepRun> => {
    const interaction = step.interaction;
    const description = interaction.description;
    let seen: unknown;
    let called = false;
    const remember = (value: unknown): void => {
      seen = value;
      called = true;
    };
    if (!isSyncInteraction(interaction)) {
      const factory = Object.hasOwn(definition.messages, description) ? definition.messages[description] : undefined;
      const messages = factory === undefined ? {} : { [description]: capturing((_p: JsonObject) => factory(params, { interaction, states }), remember) };
      const result = await verifyMessage(contract, withoutStates(interaction), { ...definition, states: {}, messages });
      return { result, produced: called ? producedView(seen, interaction.contents.contentType) : undefined };
    }
    let request = interaction.request;
    for (const b of step.bind) if (b.to[0] === 'request') request = partWithValue(request, b.to.slice(1), params[b.name] ?? null);
    const replies = definition.replies ?? {};
    const factory = Object.hasOwn(replies, description) ? replies[description] : undefined;
    const wrapped = factory === undefined ? {} : { [description]: capturing((_p: JsonObject, req: Parameters<typeof factory>[1]) => factory(params, req), remember) };
    const result = await verifySyncInteraction(contract, withoutStates({ ...interaction, request }), { ...definition, states: {}, replies: wrapped }, verifyMessage);
    const reply = replyAsMessage(interaction);
    const produced = called && reply !== undefined ? { request: viewOfPart(request), reply: producedView(seen, reply.contents.contentType) } : undefined;
    return { result, produced };
  };
}
