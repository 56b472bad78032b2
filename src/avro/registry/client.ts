/**
 * Herald's view of a Confluent-compatible schema registry, through
 * @kafkajs/confluent-schema-registry (an optional peer: loaded on first use; a missing one raises
 * HERALD_PEER_MISSING with the install command). Works against Herald's embedded registry
 * (`startSchemaRegistry()`), Confluent Schema Registry, Confluent Cloud, Apicurio's ccompat API…
 */
import type { SchemaRegistry as PeerRegistry } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import type { JsonValue } from '../../contract/json';
import { HeraldError, isHeraldError, type HeraldErrorContext } from '../../errors/herald-error';
import { loadPeer } from '../../transport/peer';
import { formatValueIssues, toAvroValue } from '../json';
import { avscOptions, parseAvroSchema, type AvroSchema } from '../schema';

type PeerModule = typeof import('@kafkajs/confluent-schema-registry');
type PeerArgs = ConstructorParameters<typeof PeerRegistry>[0];

/** HTTP basic credentials (Confluent Cloud: API key and secret). */
export interface SchemaRegistryAuth {
  readonly username: string;
  readonly password: string;
}

/** Where the registry is and how to talk to it. */
export interface SchemaRegistryConfig {
  /** Base URL, e.g. http://localhost:8081 or https://psrc-xxxx.eu-west-1.aws.confluent.cloud (Apicurio: …/apis/ccompat/v7). */
  readonly url: string;
  readonly auth?: SchemaRegistryAuth;
  /** Extra HTTP headers on every request (e.g. `{ authorization: 'Bearer …' }`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Client id sent as the user agent. */
  readonly clientId?: string;
  /** Retries of 5xx answers (default 3, as the peer's default). */
  readonly retries?: number;
}

/** Anything that carries its own client, such as a started embedded registry. */
export interface HasSchemaRegistryClient {
  readonly client: SchemaRegistryClient;
}

/** A registry, as Herald's options take it: a URL, a config, a started embedded registry, or a client. */
export type SchemaRegistryOption = string | SchemaRegistryConfig | SchemaRegistryClient | HasSchemaRegistryClient;

export const SCHEMA_REGISTRY_PEER = '@kafkajs/confluent-schema-registry';

interface PeerError {
  readonly status?: number;
  readonly message?: string;
  readonly code?: string;
  readonly name?: string;
}

/**
 * A schema registry client with Herald's Avro options (plain unions, logical types in contract
 * JSON form) and coded errors.
 *
 * @example
 * const registry = new SchemaRegistryClient({ url: 'http://localhost:8081' });
 * const id = await registry.register('orders.v1-value', orderPlacedSchema);
 * const bytes = await registry.encode(id, { orderId: '…', total: '12.50' });
 */
export class SchemaRegistryClient {
  readonly url: string;
  #peer: PeerRegistry | undefined;
  readonly #config: SchemaRegistryConfig;

  constructor(config: string | SchemaRegistryConfig) {
    this.#config = typeof config === 'string' ? { url: config } : config;
    this.url = this.#config.url.replace(/\/+$/, '');
  }

  /** The underlying @kafkajs/confluent-schema-registry instance (loaded on first use). */
  get peer(): PeerRegistry {
    if (this.#peer !== undefined) return this.#peer;
    const mod = loadPeer<PeerModule>(SCHEMA_REGISTRY_PEER, 'Avro with a schema registry (herald Avro support)');
    const { auth, headers, clientId, retries } = this.#config;
    const extraHeaders = headers;
    const args: PeerArgs = {
      host: this.url,
      ...(auth === undefined ? {} : { auth: { username: auth.username, password: auth.password } }),
      ...(clientId === undefined ? {} : { clientId }),
      ...(retries === undefined ? {} : { retry: { retries } }),
      ...(extraHeaders === undefined
        ? {}
        : {
            middlewares: [
              () => ({ prepareRequest: (next: () => Promise<{ enhance(o: { headers: Record<string, string> }): unknown }>) => next().then((req) => req.enhance({ headers: { ...extraHeaders } })) }),
            ] as unknown as NonNullable<PeerArgs['middlewares']>,
          }),
    };
    // No shared avsc name registry: the peer reuses these options for every schema it parses.
    this.#peer = new mod.SchemaRegistry(args, { [mod.SchemaType.AVRO]: avscOptions({ registry: false }) });
    return this.#peer;
  }

  private fail(error: unknown, doing: string, context: HeraldErrorContext = {}): HeraldError {
    if (isHeraldError(error)) return error;
    const e = (typeof error === 'object' && error !== null ? error : {}) as PeerError;
    const reason = e.message ?? String(error);
    const at = `the schema registry at ${this.url}`;
    const status = e.status;
    // The peer's own errors (no HTTP status): bad arguments, schemas it cannot parse, records that do not fit.
    if (status === undefined && /^ConfluentSchemaRegistry(Argument|InvalidSchema)Error$/.test(e.name ?? '')) {
      return new HeraldError('HERALD_AVRO_SCHEMA_INVALID', `Failed to ${doing}: ${reason}.`, { ...context, cause: error });
    }
    if (status === undefined && e.name === 'ConfluentSchemaRegistryValidationError') {
      return new HeraldError('HERALD_AVRO_ENCODE_FAILED', `Failed to ${doing}: ${reason}.`, { ...context, cause: error });
    }
    if (status === 401 || status === 403) {
      return new HeraldError(
        'HERALD_REGISTRY_REQUEST_FAILED',
        `Failed to ${doing}: ${at} refused the credentials (HTTP ${status}). Pass auth: { username, password } (Confluent Cloud: API key and secret).`,
        { ...context, cause: error },
      );
    }
    if (status === 409) return new HeraldError('HERALD_AVRO_INCOMPATIBLE', `Failed to ${doing}: ${at} refused it as incompatible: ${reason}`, { ...context, cause: error });
    if (status === 422) return new HeraldError('HERALD_AVRO_SCHEMA_INVALID', `Failed to ${doing}: ${at} rejected the schema: ${reason}`, { ...context, cause: error });
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|socket hang up|network/i.test(reason) || (status === undefined && e.code !== undefined)) {
      return new HeraldError('HERALD_REGISTRY_UNAVAILABLE', `Failed to ${doing}: ${at} could not be reached (${reason}). Check the URL and that the registry is running.`, {
        ...context,
        retriable: true,
        cause: error,
      });
    }
    return new HeraldError('HERALD_REGISTRY_REQUEST_FAILED', `Failed to ${doing}: ${at} answered HTTP ${status}: ${reason}`, { ...context, retriable: (status ?? 0) >= 500, cause: error });
  }

  /**
   * Registers `schema` under `subject` (idempotent: the same schema keeps its id) and returns its
   * id. The registry enforces the subject's compatibility mode; an incompatible schema raises
   * HERALD_AVRO_INCOMPATIBLE with the registry's reasons.
   */
  async register(subject: string, schema: AvroSchema | JsonValue): Promise<number> {
    parseAvroSchema(schema, `the schema for ${subject}`);
    const mod = loadPeer<PeerModule>(SCHEMA_REGISTRY_PEER, 'Avro with a schema registry (herald Avro support)');
    try {
      const compatibility = await this.subjectCompatibility(subject);
      const { id } = await this.peer.register(
        { type: mod.SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, ...(compatibility === undefined ? {} : { compatibility: compatibility as never }) },
      );
      return id;
    } catch (error) {
      throw this.fail(error, `register the schema under the subject "${subject}"`);
    }
  }

  /** The subject's own compatibility level, if it has one (the peer insists on matching it when registering). */
  private async subjectCompatibility(subject: string): Promise<string | undefined> {
    const response = await fetch(`${this.url}/config/${encodeURIComponent(subject)}`, { headers: this.httpHeaders() }).catch(() => undefined);
    if (response === undefined || !response.ok) return undefined;
    const body = (await response.json().catch(() => ({}))) as { compatibilityLevel?: unknown };
    return typeof body.compatibilityLevel === 'string' ? body.compatibilityLevel.toUpperCase() : undefined;
  }

  private httpHeaders(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...(this.#config.headers ?? {}) };
    const auth = this.#config.auth;
    if (auth !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    return headers;
  }

  /** The id `schema` has under `subject`, or undefined when it is not registered there. */
  async idOf(subject: string, schema: AvroSchema | JsonValue): Promise<number | undefined> {
    try {
      return await this.peer.getRegistryIdBySchema(subject, JSON.parse(JSON.stringify(schema)) as never);
    } catch (error) {
      if (/40401|40403|not found/i.test((error as PeerError).message ?? '')) return undefined;
      throw this.fail(error, `look up the schema under the subject "${subject}"`);
    }
  }

  /** The id of the latest version of `subject`. */
  async latestId(subject: string): Promise<number> {
    try {
      return await this.peer.getLatestSchemaId(subject);
    } catch (error) {
      if ((error as PeerError).status === 404) {
        throw new HeraldError(
          'HERALD_AVRO_SCHEMA_NOT_FOUND',
          `Failed to find the subject "${subject}" in the schema registry at ${this.url}: ${(error as PeerError).message ?? 'not found'}. Register a schema under it first.`,
          { cause: error },
        );
      }
      throw this.fail(error, `read the latest version of "${subject}"`);
    }
  }

  /** The writer type registered under `id`, parsed with Herald's options. */
  async typeOf(id: number, context: HeraldErrorContext = {}): Promise<avro.Type> {
    try {
      return (await this.peer.getSchema(id)) as unknown as avro.Type;
    } catch (error) {
      if ((error as PeerError).status === 404) {
        throw new HeraldError(
          'HERALD_AVRO_SCHEMA_NOT_FOUND',
          `Failed to find the schema id ${id} in the schema registry at ${this.url}: ${(error as PeerError).message ?? 'not found'}. The message was written against another registry, or the schema was deleted.`,
          { ...context, cause: error },
        );
      }
      throw this.fail(error, `fetch the schema with id ${id}`, context);
    }
  }

  /** Encodes a record (Herald's JSON form, or plain avsc values) as Confluent-framed Avro with the schema `id`. */
  async encode(id: number, record: unknown): Promise<Buffer> {
    const type = await this.typeOf(id);
    const { value, issues } = toAvroValue(type, record, { strict: false });
    if (issues.length > 0) throw new HeraldError('HERALD_AVRO_ENCODE_FAILED', `Failed to encode a record with the schema id ${id} (${type.name ?? type.typeName}):\n${formatValueIssues(issues)}`);
    try {
      return await this.peer.encode(id, value);
    } catch (error) {
      throw this.fail(error, `encode a record with the schema id ${id}`);
    }
  }

  /** Decodes Confluent-framed Avro with the writer's schema (as the peer does); values in avsc form. */
  async decode(bytes: Buffer): Promise<unknown> {
    try {
      return (await this.peer.decode(bytes)) as unknown;
    } catch (error) {
      throw this.fail(error, 'decode a Confluent-framed message');
    }
  }
}

/** Environment variables naming the registry when no option does (e.g. for `herald verify`). */
export const SCHEMA_REGISTRY_ENV = { url: 'HERALD_SCHEMA_REGISTRY_URL', username: 'HERALD_SCHEMA_REGISTRY_USERNAME', password: 'HERALD_SCHEMA_REGISTRY_PASSWORD' } as const;

/** The registry HERALD_SCHEMA_REGISTRY_URL (+ _USERNAME / _PASSWORD for basic auth) names, if any. */
export function schemaRegistryFromEnv(env: NodeJS.ProcessEnv = process.env): SchemaRegistryConfig | undefined {
  const url = env[SCHEMA_REGISTRY_ENV.url]?.trim();
  if (url === undefined || url === '') return undefined;
  const username = env[SCHEMA_REGISTRY_ENV.username];
  const password = env[SCHEMA_REGISTRY_ENV.password];
  return username === undefined || username === '' ? { url } : { url, auth: { username, password: password ?? '' } };
}

const clients = new Map<string, SchemaRegistryClient>();

/** A client for the option (clients for the same URL and credentials are shared, with their caches). */
export function schemaRegistryClient(option: SchemaRegistryOption): SchemaRegistryClient {
  if (option instanceof SchemaRegistryClient) return option;
  // A started embedded registry brings its own client: its ids restart at 1, so a client (and its
  // id → schema cache) shared by URL could outlive it and read another registry on the same port.
  if (typeof option === 'object' && 'client' in option && option.client instanceof SchemaRegistryClient) return option.client;
  if (typeof option === 'object' && !('url' in option))
    throw new HeraldError('HERALD_REGISTRY_REQUEST_FAILED', 'Failed to use the schema registry option: it has neither a url nor a client. Pass a URL, { url, auth? }, or a started registry.');
  const config: SchemaRegistryConfig =
    typeof option === 'string'
      ? { url: option }
      : {
          url: option.url,
          ...(option.auth === undefined ? {} : { auth: option.auth }),
          ...(option.headers === undefined ? {} : { headers: option.headers }),
          ...(option.clientId === undefined ? {} : { clientId: option.clientId }),
          ...(option.retries === undefined ? {} : { retries: option.retries }),
        };
  const key = JSON.stringify(config);
  let client = clients.get(key);
  if (client === undefined) clients.set(key, (client = new SchemaRegistryClient(config)));
  return client;
}
