/**
 * AsyncAPI 2.x and 3.0 documents read through @asyncapi/parser (an optional peer: loaded on first
 * use, HERALD_PEER_MISSING when absent). The provider's messages are those of its `send`
 * operations (3.0 `action: send`; 2.x `subscribe`, where the application publishes); messages of
 * `receive` operations are kept with action `receive` so a mismatch can say so.
 */
import type { JsonValue } from '../contract/json';
import { HeraldError } from '../errors/herald-error';
import { loadPeer } from '../transport/peer';
import type { Spec, SpecAction, SpecChannel, SpecMessage, SpecReply } from './model';
import { cleanSchema, plainJson, type Schema } from './schema';

// The slice of the parser's API Herald uses (typed here so Herald type-checks without the peer).
interface Collection<T> {
  all(): T[];
}
interface Binding {
  protocol(): string;
  value(): unknown;
}
interface SchemaModel {
  json(): unknown;
}
interface ExampleModel {
  payload(): unknown;
  hasPayload(): boolean;
}
interface MessageModel {
  id(): string | undefined;
  name(): string | undefined;
  title(): string | undefined;
  contentType(): string | undefined;
  schemaFormat(): string | undefined;
  hasPayload(): boolean;
  payload(): SchemaModel | undefined;
  hasHeaders(): boolean;
  headers(): SchemaModel | undefined;
  bindings(): Collection<Binding>;
  examples(): Collection<ExampleModel>;
  correlationId(): { location(): string | undefined } | undefined;
  json(): unknown;
}
interface ReplyModel {
  address(): { location(): string } | undefined;
  channel(): ChannelModel | undefined;
  messages(): Collection<MessageModel>;
}
interface ServerModel {
  protocol(): string;
}
interface ChannelModel {
  id(): string;
  address(): string | null | undefined;
  bindings(): Collection<Binding>;
  messages(): Collection<MessageModel>;
  servers(): Collection<ServerModel>;
}
interface OperationModel {
  id(): string | undefined;
  isSend(): boolean;
  isReceive(): boolean;
  channels(): Collection<ChannelModel>;
  messages(): Collection<MessageModel>;
  bindings(): Collection<Binding>;
  reply(): ReplyModel | undefined;
}
interface DocumentModel {
  version(): string;
  info(): { title(): string; version(): string };
  defaultContentType(): string | undefined;
  channels(): Collection<ChannelModel>;
  operations(): Collection<OperationModel>;
}
interface Diagnostic {
  readonly message: string;
  readonly severity: number;
  readonly path: readonly (string | number)[];
  readonly range?: { readonly start: { readonly line: number; readonly character: number } };
}
interface ParserModule {
  Parser: new () => { parse(input: string, options?: { source?: string }): Promise<{ document?: DocumentModel; diagnostics: Diagnostic[] }> };
}

/** Loads @asyncapi/parser, or throws HERALD_PEER_MISSING with the install command. */
export function loadAsyncApiParser(load?: () => unknown): ParserModule {
  return loadPeer<ParserModule>('@asyncapi/parser', 'reading AsyncAPI documents (herald compare and diff)', load);
}

export interface AsyncApiProblem {
  readonly message: string;
  /** JSON path in the document (`channels.orders.messages.x`) and 1-based line, when known. */
  readonly path: string;
  readonly line?: number;
}

/** Validates a document with @asyncapi/parser; resolves with its error diagnostics (warnings are ignored). */
export async function asyncApiErrors(text: string, source: string): Promise<AsyncApiProblem[]> {
  const { Parser } = loadAsyncApiParser();
  const { diagnostics } = await new Parser().parse(text, { source });
  return diagnostics.filter((d) => d.severity === 0).map(problemOf);
}

function problemOf(d: Diagnostic): AsyncApiProblem {
  return { message: d.message, path: d.path.join('.'), ...(d.range === undefined ? {} : { line: d.range.start.line + 1 }) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function bindingValue(bindings: Collection<Binding>, protocol: string): Record<string, unknown> | undefined {
  const found = bindings.all().find((b) => b.protocol() === protocol);
  const value = found?.value();
  return isObject(value) ? value : found === undefined ? undefined : {};
}

function channelOf(channel: ChannelModel, operations: readonly OperationModel[]): SpecChannel {
  const address = str(channel.address() ?? undefined);
  const kafka = bindingValue(channel.bindings(), 'kafka');
  const amqp = bindingValue(channel.bindings(), 'amqp');
  const protocols = new Set(
    channel
      .bindings()
      .all()
      .map((b) => b.protocol()),
  );
  if (protocols.size === 0) for (const s of channel.servers().all()) protocols.add(s.protocol());
  let amqpView: SpecChannel['amqp'];
  if (amqp !== undefined || protocols.has('amqp')) {
    const exchange = isObject(amqp?.['exchange']) ? amqp['exchange'] : undefined;
    const queue = isObject(amqp?.['queue']) ? amqp['queue'] : undefined;
    const is = amqp?.['is'] === 'queue' ? 'queue' : amqp?.['is'] === 'routingKey' ? 'routingKey' : undefined;
    const routingKeys = new Set<string>();
    if (is !== 'queue' && address !== undefined) routingKeys.add(address);
    for (const op of operations) {
      const cc = bindingValue(op.bindings(), 'amqp')?.['cc'];
      if (Array.isArray(cc)) for (const key of cc) if (typeof key === 'string') routingKeys.add(key);
    }
    const exchangeName = str(exchange?.['name']);
    const exchangeType = str(exchange?.['type']);
    const queueName = str(queue?.['name']);
    amqpView = {
      ...(is === undefined ? {} : { is }),
      ...(exchangeName === undefined ? {} : { exchange: exchangeName }),
      ...(exchangeType === undefined ? {} : { exchangeType }),
      ...(queueName === undefined ? {} : { queue: queueName }),
      routingKeys: [...routingKeys],
    };
  }
  const topic = str(kafka?.['topic']) ?? (kafka !== undefined || protocols.has('kafka') ? (address ?? channel.id()) : undefined);
  return {
    id: channel.id(),
    ...(address === undefined ? {} : { address }),
    ...(topic === undefined ? {} : { kafkaTopic: topic }),
    ...(amqpView === undefined ? {} : { amqp: amqpView }),
    protocols: [...protocols].sort(),
  };
}

function schemaOf(model: SchemaModel | undefined): Schema | undefined {
  return model === undefined ? undefined : cleanSchema(model.json());
}

function messageOf(message: MessageModel, channel: ChannelModel, action: SpecAction, operations: readonly OperationModel[], defaultContentType: string | undefined, notes: string[]): SpecMessage {
  const raw = isObject(message.json()) ? (message.json() as Record<string, unknown>) : {};
  const name = message.name() ?? str(raw['name']);
  const title = message.title() ?? str(raw['title']);
  const messageId = str(raw['messageId']);
  const id = message.id() ?? messageId ?? name ?? title ?? `${channel.id()} message`;
  const format = message.schemaFormat() ?? '';
  const key = bindingValue(message.bindings(), 'kafka')?.['key'];
  const contentType = message.contentType() ?? defaultContentType;
  let payload: Schema | undefined;
  if (/avro/i.test(format)) {
    notes.push(`message ${id}: its payload is an Avro schema inside the AsyncAPI document (${format}); Herald compares Avro payloads against the .avsc file (pass it as --spec)`);
  } else if (message.hasPayload()) {
    payload = schemaOf(message.payload());
  }
  const examples: JsonValue[] = [];
  for (const example of message.examples().all()) if (example.hasPayload()) examples.push(plainJson(example.payload()));
  const correlationLocation = str(message.correlationId()?.location());
  return {
    ...(correlationLocation === undefined ? {} : { correlationLocation }),
    id,
    ...(name === undefined ? {} : { name }),
    ...(title === undefined ? {} : { title }),
    channel: channelOf(channel, operations),
    action,
    operations: operations.map((op) => op.id()).filter((x): x is string => x !== undefined),
    ...(contentType === undefined ? {} : { contentType }),
    ...(payload === undefined ? {} : { payload }),
    ...(message.hasHeaders() ? { headers: schemaOf(message.headers()) ?? true } : {}),
    ...(key === undefined ? {} : { key: cleanSchema(key) }),
    examples,
  };
}

/** Reads an AsyncAPI document's messages. Throws HERALD_SPEC_INVALID with the parser's errors. */
export async function readAsyncApi(text: string, source: string): Promise<Spec> {
  const { Parser } = loadAsyncApiParser();
  const { document, diagnostics } = await new Parser().parse(text, { source });
  const errors = diagnostics.filter((d) => d.severity === 0).map(problemOf);
  if (document === undefined || errors.length > 0) {
    const listed = errors.slice(0, 10).map((e) => `  - ${e.line === undefined ? '' : `line ${e.line}: `}${e.path === '' ? '' : `${e.path}: `}${e.message}`);
    throw new HeraldError(
      'HERALD_SPEC_INVALID',
      `Failed to read the AsyncAPI document ${source}: it has ${errors.length || 'unknown'} error(s):\n${listed.join('\n')}${errors.length > 10 ? `\n  … and ${errors.length - 10} more` : ''}\nFix the document; \`npx @asyncapi/cli validate ${source}\` shows every problem.`,
    );
  }
  const notes: string[] = [];
  const defaultContentType = document.defaultContentType();
  const messages: SpecMessage[] = [];
  const seen = new Set<string>();
  const add = (message: MessageModel, channel: ChannelModel, action: SpecAction, ops: readonly OperationModel[]): void => {
    const read = messageOf(message, channel, action, ops, defaultContentType, notes);
    const reply = action === 'receive' ? replyOf(ops, channel, defaultContentType, notes) : undefined;
    const spec = reply === undefined ? read : { ...read, reply };
    const id = JSON.stringify([spec.id, channel.id(), action]);
    if (seen.has(id)) return;
    seen.add(id);
    messages.push(spec);
  };
  const referenced = new Set<string>();
  for (const channel of document.channels().all()) {
    const onChannel = document
      .operations()
      .all()
      .filter((op) =>
        op
          .channels()
          .all()
          .some((c) => c.id() === channel.id()),
      );
    for (const action of ['send', 'receive'] as const) {
      const ops = onChannel.filter((op) => (action === 'send' ? op.isSend() : op.isReceive()));
      for (const op of ops) {
        const listed = op.messages().all();
        for (const message of listed.length > 0 ? listed : channel.messages().all()) {
          add(
            message,
            channel,
            action,
            ops.filter(
              (o) =>
                o.messages().all().length === 0 ||
                o
                  .messages()
                  .all()
                  .some((m) => sameMessage(m, message)),
            ),
          );
          referenced.add(JSON.stringify([channel.id(), message.id() ?? message.name() ?? '']));
        }
      }
    }
    for (const message of channel.messages().all()) {
      if (!referenced.has(JSON.stringify([channel.id(), message.id() ?? message.name() ?? '']))) add(message, channel, 'unknown', []);
    }
  }
  const info = document.info();
  return { kind: 'asyncapi', source, title: info.title(), version: info.version(), asyncapiVersion: document.version(), messages, notes };
}

/** The reply of the first of `ops` that declares one (AsyncAPI 3.0). */
function replyOf(ops: readonly OperationModel[], channel: ChannelModel, defaultContentType: string | undefined, notes: string[]): SpecReply | undefined {
  const reply = ops.map((op) => (typeof op.reply === 'function' ? op.reply() : undefined)).find((r) => r !== undefined);
  if (reply === undefined) return undefined;
  const replyChannel = reply.channel();
  const listed = reply.messages().all();
  const messages = (listed.length > 0 ? listed : (replyChannel?.messages().all() ?? [])).map((m) => messageOf(m, replyChannel ?? channel, 'send', [], defaultContentType, notes));
  const addressLocation = str(reply.address()?.location());
  return { ...(addressLocation === undefined ? {} : { addressLocation }), ...(replyChannel === undefined ? {} : { channel: channelOf(replyChannel, []) }), messages };
}

function sameMessage(a: MessageModel, b: MessageModel): boolean {
  if (a.json() === b.json()) return true;
  const ida = a.id() ?? a.name();
  return ida !== undefined && ida === (b.id() ?? b.name());
}
