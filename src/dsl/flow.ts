/**
 * The consumer DSL for flows: an ordered list of steps (one-way messages and request/replies,
 * on any channels) whose later steps may carry values of earlier ones. A bound value is a matcher
 * typed from the earlier step's declaration; the consumer test runs the consumer's real code
 * through the steps in order, and each step is written as a normal interaction with its flow
 * block in `comments.herald.flow` (src/contract/flow.ts).
 *
 * @example
 * const pair = consumer('push-client').expectsFrom('push-server');
 * const authorisedPush = pair.flow('authorised push', (f) =>
 *   f.step('authorise', () => pair.request('an authorise request').on(amqpQueue('push.auth')).withPayload({ deviceId: m.string('dev-1') }).withReply({ sessionId: m.uuid() }))
 *    .step('push', (from) => pair.message('a push for the session').on(amqpExchange('push.out', 'device.dev-1'))
 *      .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
 *      .withPayload({ text: m.string('hello') })),
 * );
 * await authorisedPush.verify({
 *   authorise: (double) => client.authorise('dev-1', double),
 *   push: (message) => client.onPush(message),
 * });
 */
import { AMQP_PROPERTY_KEYS, META, type AmqpPropertyName } from '../contract/channel';
import { partWithValue, sameBoundValue, valueAt, viewOfPart, withValueAt, type FlowBinding, type FlowStepBlock, type MessageView, type ValuePath } from '../contract/flow';
import { copyJson, isJsonObject, type JsonObject, type JsonValue } from '../contract/json';
import { isSyncInteraction, type AnyInteraction, type GeneratorMap, type MessagePart, type RuleList } from '../contract/model';
import { formatPath, parsePath } from '../contract/path';
import type { MessageHandler, ReceivedMessage } from '../contract/received';
import { HeraldError, isHeraldError } from '../errors/herald-error';
import { matcherNode, type Matcher } from '../matchers/node';
import type { MessageExpectation } from './message';
import type { ReplyingDouble, RequestReplyExpectation, SentRequest } from './request';
import { defaultContractsDir, markInteractionFailed } from './session';

/** What a one-way step exposes to later steps. */
export interface MessageValues<P, H, K, Props> {
  readonly payload: P;
  readonly headers: H;
  readonly key: K;
  readonly properties: Props;
}

/** What a request/reply step exposes to later steps: the request the consumer sent and the reply. */
export interface ExchangeValues<P, H, K, Props, RP, RH, RProps> {
  readonly request: MessageValues<P, H, K, Props>;
  readonly reply: MessageValues<RP, RH, undefined, RProps>;
}

/** A step: a declared one-way message or request/reply (after withPayload / withReply). */
export type StepDeclaration = MessageExpectation<unknown, unknown, unknown, unknown> | RequestReplyExpectation<unknown, unknown, unknown, unknown, unknown, unknown, unknown>;

/** The values a step declaration exposes, typed from it. */
export type StepValues<D> =
  D extends RequestReplyExpectation<infer P, infer H, infer K, infer Props, infer RP, infer RH, infer RProps>
    ? ExchangeValues<P, H, K, Props, RP, RH, RProps>
    : D extends MessageExpectation<infer P, infer H, infer K, infer Props>
      ? MessageValues<P, H, K, Props>
      : never;

/** What the consumer test runs for a step: the message handler, or the client given a replying double. */
export type StepHandler<D> =
  D extends RequestReplyExpectation<unknown, unknown, unknown, unknown, infer RP, infer RH, infer RProps>
    ? (double: ReplyingDouble<RP, RH, RProps>) => unknown
    : D extends MessageExpectation<infer P, infer H, infer K, infer Props>
      ? MessageHandler<P, H, K, Props>
      : never;

/** Values of every step so far, by step name. */
export type FlowValues<S> = { readonly [N in keyof S]: StepValues<S[N]> };

/**
 * Binds a value of an earlier step: `from((s) => s.authorise.reply.payload.sessionId)` is a
 * matcher typed as the session id, matched with the earlier step's rules, that must equal the value
 * the earlier step produced. Providers receive it in their params under `name` (default: the last key).
 */
export type Bind<S> = <T>(select: (steps: FlowValues<S>) => T, name?: string) => Matcher<T>;

export interface FlowBuilder<S> {
  /** Appends a step; `declare` returns its declaration and may bind values of earlier steps with `from`. */
  step<const N extends string, D extends StepDeclaration>(name: N extends keyof S ? never : N, declare: (from: Bind<S>) => D): FlowBuilder<S & { readonly [K in N]: D }>;
}

export interface FlowDeclaration<S> {
  readonly name: string;
  /** Step names, in order. */
  readonly steps: readonly string[];
  /** Writes every step's interaction under `dir` instead of `contracts/`. */
  writeTo(dir: string): FlowDeclaration<S>;
  /** The steps as they will be written to the contract, in order. */
  toInteractions(): AnyInteraction[];
  /**
   * A step's declaration as the flow writes it (flow block and contracts directory included), typed
   * from the step: for a provider's typed reply factory (`replyFor(flow.declarationOf('authorise'), …)`)
   * or a consumer test answering the step on a broker. Verify the flow, not the step: a step written
   * on its own leaves its flow incomplete, and providers fail it (HERALD_FLOW_INVALID).
   */
  declarationOf<const N extends keyof S & string>(step: N): S[N];
  /**
   * Runs the consumer's real code through the steps in order, each with its step's example (bound
   * values filled in from the earlier steps' actual values). The first failing step fails the test,
   * naming the flow and the step, and none of the flow's steps is written to the contract.
   */
  verify(handlers: { readonly [N in keyof S]: StepHandler<S[N]> }): Promise<FlowValues<S>>;
}

/** The runtime view of a declaration (the public types above carry its types). */
interface AnyStep {
  withComments(comments: JsonObject): AnyStep;
  writeTo(dir: string): AnyStep;
  toInteraction(): AnyInteraction;
  verify(run: (arg: never) => unknown): Promise<ReceivedMessage<unknown, unknown, unknown, unknown>>;
}

interface DeclaredStep {
  readonly name: string;
  readonly declaration: AnyStep;
  readonly bind: readonly FlowBinding[];
}

interface FlowState {
  readonly consumer: string;
  readonly provider: string;
  readonly name: string;
  readonly steps: readonly DeclaredStep[];
  readonly contractsDir?: string;
}

const BOUND_PREFIX = 'herald-flow:';

function invalid(state: Pick<FlowState, 'consumer' | 'provider' | 'name'>, reason: string): HeraldError {
  return new HeraldError('HERALD_DSL_INVALID', `Failed to declare the flow "${state.name}" (${state.consumer} → ${state.provider}): ${reason}.`);
}

/** The property path a selector reads, recorded through proxies (`(s) => s.authorise.reply.payload.sessionId`). */
function selectedPath(select: (steps: never) => unknown): string[] | undefined {
  const paths = new WeakMap<object, string[]>();
  const at = (path: string[]): object => {
    const proxy: object = new Proxy(
      {},
      {
        get: (_target, key) => (typeof key === 'symbol' ? undefined : at([...path, key])),
      },
    );
    paths.set(proxy, path);
    return proxy;
  };
  const result: unknown = select(at([]) as never);
  return typeof result === 'object' && result !== null ? paths.get(result) : undefined;
}

/** A part of a step's interaction and the path inside its values (`reply.payload.sessionId` → response[0], ['payload','sessionId']). */
function partAt(interaction: AnyInteraction, path: readonly string[]): { part: MessagePart; rest: string[] } | undefined {
  if (!isSyncInteraction(interaction)) return { part: interaction, rest: [...path] };
  const [side, ...rest] = path;
  if (side === 'request') return { part: interaction.request, rest };
  const reply = interaction.response[0];
  return side === 'reply' && reply !== undefined ? { part: reply, rest } : undefined;
}

/** The rules the earlier step declared at a value: a bound value is matched as the value it copies. */
function rulesAt(part: MessagePart, rest: readonly string[], example: JsonValue | undefined): RuleList | undefined {
  const [where, ...inner] = rest;
  if (where === 'payload') {
    const segments: (string | number)[] = [];
    let current: JsonValue | undefined = example === undefined ? undefined : part.contents.content;
    for (const key of inner) {
      const index = Array.isArray(current) && /^\d+$/.test(key) ? Number(key) : undefined;
      segments.push(index ?? key);
      current = valueAt(current, [index ?? key]);
    }
    return part.matchingRules.body[formatPath(segments)];
  }
  if (inner.length > 1) return undefined;
  const key = where === 'headers' ? inner[0] : where === 'key' ? META.kafkaKey : where === 'properties' ? AMQP_PROPERTY_KEYS[inner[0] as AmqpPropertyName] : undefined;
  return key === undefined ? undefined : part.matchingRules.metadata[key];
}

/** Where each bound value (a ProviderState generator Herald issued) sits in a step's interaction. */
function boundLocations(interaction: AnyInteraction): Map<string, ValuePath> {
  const found = new Map<string, ValuePath>();
  const scan = (generators: { readonly body: GeneratorMap; readonly metadata: GeneratorMap }, prefix: readonly string[]): void => {
    const nameOf = (expression: unknown): string | undefined => {
      const match = typeof expression === 'string' ? /^\$\{(.+)\}$/.exec(expression) : null;
      return match?.[1];
    };
    for (const [path, g] of Object.entries(generators.body)) {
      const name = nameOf(g['expression']);
      if (g.type !== 'ProviderState' || name === undefined) continue;
      const parsed = parsePath(path);
      if (!parsed.ok) continue;
      const segments: (string | number)[] = [];
      for (const t of parsed.tokens) {
        if (t.kind === 'field') segments.push(t.name);
        else if (t.kind === 'index') segments.push(t.index);
        else if (t.kind !== 'root') segments.push('*');
      }
      found.set(name, [...prefix, 'payload', ...segments]);
    }
    const propertyOf = new Map<string, string>(Object.entries(AMQP_PROPERTY_KEYS).map(([n, k]) => [k, n]));
    for (const [key, g] of Object.entries(generators.metadata)) {
      const name = nameOf(g['expression']);
      if (g.type !== 'ProviderState' || name === undefined) continue;
      const property = propertyOf.get(key);
      found.set(name, key === META.kafkaKey ? [...prefix, 'key'] : property !== undefined ? [...prefix, 'properties', property] : [...prefix, 'headers', key]);
    }
  };
  if (isSyncInteraction(interaction)) {
    scan(interaction.request.generators, ['request']);
    const reply = interaction.response[0];
    if (reply !== undefined) scan(reply.generators, ['reply']);
  } else scan(interaction.generators, []);
  return found;
}

class FlowBuilding {
  constructor(private readonly state: FlowState) {}

  step(name: string, declare: (from: Bind<Record<string, unknown>>) => StepDeclaration): FlowBuilding {
    const state = this.state;
    if (typeof name !== 'string' || name.trim() === '') throw invalid(state, 'a step needs a name');
    if (state.steps.some((s) => s.name === name)) throw invalid(state, `the step name "${name}" is used twice`);
    const issued = new Map<string, FlowBinding['from']>();
    const from = (select: (steps: never) => unknown, bindingName?: string): Matcher<unknown> => {
      const path = selectedPath(select);
      const [stepName, ...rest] = path ?? [];
      const source = state.steps.find((s) => s.name === stepName);
      if (path === undefined || stepName === undefined || source === undefined) {
        throw invalid(state, `step "${name}" binds a value that is not a value of an earlier step; select one, e.g. from((s) => s.${state.steps[0]?.name ?? 'authorise'}.reply.payload.sessionId)`);
      }
      const interaction = source.declaration.toInteraction();
      const located = partAt(interaction, rest);
      const example = located === undefined ? undefined : valueAt(viewOfPart(located.part) as unknown as JsonValue, located.rest);
      if (located === undefined || example === undefined) throw invalid(state, `step "${name}" binds ${path.join('.')}, which step "${stepName}" does not declare`);
      const named = bindingName ?? [...rest].reverse().find((k) => !/^\d+$/.test(k)) ?? stepName;
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(named)) throw invalid(state, `the bound value name "${named}" must be letters, digits, "_", "-" or "."; pass a name: from(select, 'sessionId')`);
      const other = issued.get(named) ?? state.steps.flatMap((s) => s.bind).find((b) => b.name === named)?.from;
      const fromPath = { step: stepName, path: rest };
      if (other !== undefined && JSON.stringify(other) !== JSON.stringify(fromPath)) {
        throw invalid(state, `two bound values are named "${named}"; name one of them: from(select, 'another${named.charAt(0).toUpperCase()}${named.slice(1)}')`);
      }
      issued.set(named, fromPath);
      const rules = rulesAt(located.part, located.rest, example);
      return matcherNode(rules?.matchers ?? [{ match: 'type' }], copyJson(example), { combine: rules?.combine ?? 'AND', generator: { type: 'ProviderState', expression: `\${${named}}` } });
    };
    const declaration = declare(from as Bind<Record<string, unknown>>) as unknown as AnyStep;
    const locations = boundLocations(declaration.toInteraction());
    const bind: FlowBinding[] = [];
    for (const [bound, source] of issued) {
      const to = locations.get(bound);
      if (to === undefined) throw invalid(state, `step "${name}" creates the bound value ${bound} but does not use it in its declaration`);
      if (to.includes('*')) throw invalid(state, `step "${name}" puts the bound value ${bound} under an array matcher (${to.join('.')}); put it at a fixed place`);
      bind.push({ name: bound, to, from: source });
    }
    return new FlowBuilding({ ...state, steps: [...state.steps, { name, declaration, bind }] });
  }

  done(): FlowRunner {
    if (this.state.steps.length === 0) throw invalid(this.state, 'it has no steps; add them with f.step(name, () => declaration)');
    return new FlowRunner(this.state);
  }
}

/** A step's declaration with its flow block in `comments.herald.flow`, and its contracts directory. */
function withFlowBlock(state: FlowState, step: DeclaredStep, index: number): AnyStep {
  const block: FlowStepBlock = { name: state.name, index, steps: state.steps.map((s) => s.name), step: step.name, bind: step.bind };
  const comments = step.declaration.toInteraction().comments ?? {};
  const herald = isJsonObject(comments['herald']) ? comments['herald'] : {};
  const declared = step.declaration.withComments({ ...comments, herald: { ...herald, flow: block as unknown as JsonValue } });
  return state.contractsDir === undefined ? declared : declared.writeTo(state.contractsDir);
}

function viewOfSent(sent: SentRequest): MessageView {
  return { payload: sent.payload as JsonValue | undefined, headers: { ...(sent.headers ?? {}) }, key: sent.key, properties: { ...(sent.properties ?? {}) } };
}

function viewOfReceived(message: ReceivedMessage<unknown, unknown, unknown, unknown>): MessageView {
  return {
    payload: copyJson(message.payload as JsonValue),
    headers: copyJson((message.headers ?? {}) as JsonObject),
    key: message.key === undefined ? undefined : copyJson(message.key as JsonValue),
    properties: copyJson((message.properties ?? {}) as JsonObject),
  };
}

/** A received message with bound values written in (payload, headers, key, properties and the metadata and body behind them). */
function withBound<T extends ReceivedMessage<unknown, unknown, unknown, unknown>>(message: T, values: readonly { to: ValuePath; value: JsonValue }[]): T {
  if (values.length === 0) return message;
  let view = viewOfReceived(message) as unknown as JsonValue;
  let part: Pick<MessagePart, 'contents' | 'metadata'> = { contents: { content: undefined, contentType: message.contentType, encoded: false }, metadata: copyJson(message.metadata) };
  for (const { to, value } of values) {
    view = withValueAt(view, to, value);
    if (to[0] !== 'payload') part = partWithValue(part, to, value);
  }
  const v = view as unknown as MessageView;
  const text = typeof v.payload === 'string' && !/json/i.test(message.contentType) ? v.payload : JSON.stringify(v.payload ?? null);
  return { ...message, payload: v.payload, headers: v.headers, key: v.key, properties: v.properties, metadata: part.metadata, body: Buffer.from(text, 'utf8') };
}

class FlowRunner {
  readonly name: string;
  readonly steps: readonly string[];

  constructor(private readonly state: FlowState) {
    this.name = state.name;
    this.steps = state.steps.map((s) => s.name);
  }

  writeTo(dir: string): FlowRunner {
    return new FlowRunner({ ...this.state, contractsDir: dir });
  }

  private declarations(): AnyStep[] {
    return this.state.steps.map((step, index) => withFlowBlock(this.state, step, index));
  }

  toInteractions(): AnyInteraction[] {
    return this.declarations().map((d) => d.toInteraction());
  }

  declarationOf(name: string): AnyStep {
    const index = this.state.steps.findIndex((s) => s.name === name);
    const step = this.state.steps[index];
    if (step === undefined) throw invalid(this.state, `it has no step "${String(name)}"; its steps are ${this.steps.map((n) => `"${n}"`).join(', ')}`);
    return withFlowBlock(this.state, step, index);
  }

  async verify(handlers: Readonly<Record<string, (arg: never) => unknown>>): Promise<Record<string, MessageView | { request: MessageView; reply: MessageView }>> {
    const { consumer, provider, name } = this.state;
    const declarations = this.declarations();
    const values: Record<string, MessageView | { request: MessageView; reply: MessageView }> = {};
    const boundFor = (step: DeclaredStep): { to: ValuePath; value: JsonValue; binding: FlowBinding }[] =>
      step.bind.map((binding) => ({ to: binding.to, binding, value: valueAt(values as unknown as JsonValue, [binding.from.step, ...binding.from.path]) ?? null }));
    let index = 0;
    try {
      for (; index < this.state.steps.length; index++) {
        const step = this.state.steps[index] as DeclaredStep;
        const declaration = declarations[index] as AnyStep;
        const handler = handlers[step.name];
        if (typeof handler !== 'function') throw invalid(this.state, `no handler was given for step "${step.name}"; pass verify({ ${step.name}: … })`);
        const bound = boundFor(step);
        if (isSyncInteraction(declaration.toInteraction()))
          values[step.name] = await this.runExchange(declaration, step, bound, handler as (double: ReplyingDouble<unknown, unknown, unknown>) => unknown);
        else {
          let seen: MessageView | undefined;
          await declaration.verify(((message: ReceivedMessage<unknown, unknown, unknown, unknown>) => {
            const filled = withBound(message, bound);
            seen = viewOfReceived(filled);
            return (handler as (m: ReceivedMessage<unknown, unknown, unknown, unknown>) => unknown)(filled);
          }) as (arg: never) => unknown);
          values[step.name] = seen as MessageView;
        }
      }
    } catch (error) {
      // No step of a failed flow is written: a provider must never verify half a flow.
      const dir = this.state.contractsDir ?? defaultContractsDir();
      for (const d of declarations) markInteractionFailed(dir, d.toInteraction(), consumer, provider);
      const failed = this.state.steps[index]?.name ?? '?';
      const reason = error instanceof Error ? error.message : String(error);
      throw new HeraldError(
        isHeraldError(error) ? error.code : 'HERALD_HANDLER_FAILED',
        `The ${consumer} flow "${name}" (from ${provider}) failed at step ${index + 1} of ${this.state.steps.length} "${failed}": ${reason}\nNo step of the flow is written to the contract until every step passes.`,
        { interaction: declarations[index]?.toInteraction().description ?? name, cause: error },
      );
    }
    return values;
  }

  /** A request/reply step: the client gets a double that also checks the bound request values and fills in bound reply values. */
  private async runExchange(
    declaration: AnyStep,
    step: DeclaredStep,
    bound: readonly { to: ValuePath; value: JsonValue; binding: FlowBinding }[],
    handler: (double: ReplyingDouble<unknown, unknown, unknown>) => unknown,
  ): Promise<{ request: MessageView; reply: MessageView }> {
    const onRequest = bound.filter((b) => b.to[0] === 'request').map((b) => ({ ...b, to: b.to.slice(1) }));
    const onReply = bound.filter((b) => b.to[0] === 'reply').map((b) => ({ ...b, to: b.to.slice(1) }));
    let last: { request: MessageView; reply: MessageView } | undefined;
    const rejected: HeraldError[] = [];
    const verified = declaration.verify(((inner: ReplyingDouble<unknown, unknown, unknown>) =>
      handler({
        get sent() {
          return inner.sent;
        },
        request: async (sent) => {
          const request = viewOfSent(sent);
          const wrong = onRequest.filter((b) => !sameBoundValue(b.value, valueAt(request as unknown as JsonValue, b.to)));
          if (wrong.length > 0) {
            const error = new HeraldError(
              'HERALD_REQUEST_MISMATCH',
              `The request of step "${step.name}" does not carry the values bound from earlier steps: ${wrong
                .map(
                  (b) =>
                    `${b.to.join('.')} must be ${JSON.stringify(b.value)} (${b.binding.from.step}.${b.binding.from.path.join('.')}), but is ${JSON.stringify(valueAt(request as unknown as JsonValue, b.to) ?? null)}`,
                )
                .join('; ')}.`,
            );
            rejected.push(error);
            throw error;
          }
          const reply = withBound(await inner.request(sent), onReply);
          last = { request, reply: viewOfReceived(reply) };
          return reply;
        },
      })) as (arg: never) => unknown);
    // A rejected bound value is the reason, whatever the client did with the rejection.
    await verified.catch((error: unknown) => {
      throw rejected[0] ?? error;
    });
    const first = rejected[0];
    if (first !== undefined) throw first;
    if (last === undefined) throw new HeraldError('HERALD_HANDLER_FAILED', `The client never sent the request of step "${step.name}".`);
    return last;
  }
}

/** Starts a flow for a pair; `pair.flow(name, build)` calls it. */
export function declareFlow<S>(consumer: string, provider: string, name: string, build: (f: FlowBuilder<Record<never, never>>) => FlowBuilder<S>): FlowDeclaration<S> {
  if (typeof name !== 'string' || name.trim() === '') throw invalid({ consumer, provider, name: String(name) }, 'a flow needs a name');
  const start = new FlowBuilding({ consumer, provider, name, steps: [] });
  const built = build(start as unknown as FlowBuilder<Record<never, never>>) as unknown as FlowBuilding;
  if (!(built instanceof FlowBuilding)) throw invalid({ consumer, provider, name }, 'the build function must return the builder, e.g. (f) => f.step(…).step(…)');
  return built.done() as unknown as FlowDeclaration<S>;
}
