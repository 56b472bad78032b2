/**
 * Which versions are deployed where: the question `herald contract-test` asks before it starts
 * anything. A DeploymentSource answers it; PactBrokerDeploymentSource asks a Pact Broker (or
 * Herald's broker, which serves the same HAL API) through
 *   GET /environments                                             → _embedded.environments[{ uuid, name, _links }]
 *   GET /integrations                                             → _embedded.integrations[{ consumer: { name }, provider: { name } }]
 *   GET /environments/{uuid}/deployed-versions/currently-deployed?pacticipant=P
 *                                                                 → _embedded.deployedVersions[{ _embedded: { version: { number } } }]
 *   GET /pacts/provider/{P}/consumer/{C}/version/{V}              → the pact, with its interactions' `_id`s
 *                                                                   and its pb:publish-verification-results link
 * The currently-deployed URL is the environment's `pb:currently-deployed-deployed-versions` link
 * when the broker gives one (Pact Broker and Herald's broker do), else the path above.
 */
import type { JsonValue } from '../contract/json';
import type { AnyInteraction, Contract } from '../contract/model';
import { readBrokerPact } from '../broker-client/for-verification';
import { HeraldError } from '../errors/herald-error';

/** One pacticipant version deployed in an environment. */
export interface DeployedVersion {
  readonly pacticipant: string;
  readonly version: string;
}

/** A consumer version's pact as the broker serves it: what to verify and where its result goes. */
export interface DeployedPact {
  readonly contract: Contract;
  /** The pact's URL on the broker (the contract's `source`; reports name it). */
  readonly url: string;
  /** Where to POST the verification result (the pact's pb:publish-verification-results link). */
  readonly publishResultsUrl: string | undefined;
  /** The broker's interaction `_id`s, by interaction (the objects in `contract.interactions`). */
  readonly interactionIds: ReadonlyMap<AnyInteraction, string>;
}

/** Where deployed versions and pacts come from (a Pact Broker, Herald's broker, a stub in tests). */
export interface DeploymentSource {
  /** Versions of the providers `consumer` has contracts with, currently deployed in `environment`. */
  providersDeployedFor(consumer: string, environment: string): Promise<readonly DeployedVersion[]>;
  /** Versions of the consumers of `provider`, currently deployed in `environment`. */
  consumersDeployedOf(provider: string, environment: string): Promise<readonly DeployedVersion[]>;
  /** The pact `consumer` at `consumerVersion` has with `provider`. */
  pact(consumer: string, consumerVersion: string, provider: string): Promise<DeployedPact>;
}

export interface PactBrokerDeploymentSourceOptions {
  /** The broker's base URL, e.g. `http://localhost:9292`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` when given. */
  readonly token?: string;
  /** Basic auth (a Pact Broker's default), instead of a token. */
  readonly basic?: { readonly username: string; readonly password: string };
  /** Per-request timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** `fetch` to use (tests pass their own); default the global one. */
  readonly fetch?: typeof fetch;
}

type Json = JsonValue;

/** fetch's own message is "fetch failed"; the reason is its cause (ECONNREFUSED…). */
function reason(error: unknown): string {
  // Duck-typed: errors from another realm (jest's) fail instanceof.
  const message = (value: unknown): string | undefined => (typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string' ? value.message : undefined);
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? message(error.cause) : undefined;
  return cause ?? message(error) ?? String(error);
}

function field(value: Json | undefined, key: string): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
}

function list(value: Json | undefined): readonly Json[] {
  return Array.isArray(value) ? value : [];
}

function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Deployed versions and pacts read from a Pact Broker's HAL API. */
export class PactBrokerDeploymentSource implements DeploymentSource {
  private readonly base: string;
  private readonly authorization: string | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  /** Environment name → its currently-deployed URL (path and query from the base). */
  private environments: Promise<ReadonlyMap<string, string>> | undefined;

  constructor(options: PactBrokerDeploymentSourceOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.authorization =
      options.token !== undefined
        ? `Bearer ${options.token}`
        : options.basic !== undefined
          ? `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`
          : undefined;
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private async get(pathAndQuery: string): Promise<Json> {
    const url = `${this.base}${pathAndQuery}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        headers: { accept: 'application/hal+json', ...(this.authorization === undefined ? {} : { authorization: this.authorization }) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new HeraldError('HERALD_DEPLOYMENT_SOURCE_FAILED', `Failed to read ${url}: ${reason(error)}. Check --broker and that the broker is running.`, { cause: error });
    }
    const body = await response.text();
    if (!response.ok) {
      throw new HeraldError(
        'HERALD_DEPLOYMENT_SOURCE_FAILED',
        `Failed to read ${url}: HTTP ${response.status} ${body.slice(0, 200)}. Check the names and versions given and the broker's credentials.`,
      );
    }
    try {
      return JSON.parse(body) as Json;
    } catch (error) {
      throw new HeraldError('HERALD_DEPLOYMENT_SOURCE_FAILED', `Failed to read ${url}: the answer is not JSON. Check that --broker is a Pact Broker's base URL.`, { cause: error });
    }
  }

  /** The environment's currently-deployed URL (relative to the base) by name; an unknown name lists the known ones. */
  private async currentlyDeployedPath(name: string): Promise<string> {
    this.environments ??= this.get('/environments').then((json) => {
      const byName = new Map<string, string>();
      for (const env of list(field(field(json, '_embedded'), 'environments'))) {
        const envName = text(field(env, 'name'));
        const uuid = text(field(env, 'uuid'));
        const href = text(field(field(field(env, '_links'), 'pb:currently-deployed-deployed-versions'), 'href'));
        const path = href?.startsWith(this.base) === true ? href.slice(this.base.length) : `/environments/${encodeURIComponent(uuid ?? '')}/deployed-versions/currently-deployed`;
        if (envName !== undefined && (uuid !== undefined || href !== undefined)) byName.set(envName, path);
      }
      return byName;
    });
    const known = await this.environments;
    const path = known.get(name);
    if (path === undefined) {
      throw new HeraldError(
        'HERALD_DEPLOYMENT_SOURCE_FAILED',
        `Failed to find environment "${name}" on ${this.base}: it has ${known.size === 0 ? 'no environments' : [...known.keys()].map((n) => `"${n}"`).join(', ')}. Pass --environment with one of them, or create it (pact-broker create-environment).`,
      );
    }
    return path;
  }

  private async integrations(): Promise<readonly { consumer: string; provider: string }[]> {
    const json = await this.get('/integrations');
    const out: { consumer: string; provider: string }[] = [];
    for (const entry of list(field(field(json, '_embedded'), 'integrations'))) {
      const consumer = text(field(field(entry, 'consumer'), 'name'));
      const provider = text(field(field(entry, 'provider'), 'name'));
      if (consumer !== undefined && provider !== undefined) out.push({ consumer, provider });
    }
    return out;
  }

  private async deployed(pacticipant: string, environment: string): Promise<readonly DeployedVersion[]> {
    const path = await this.currentlyDeployedPath(environment);
    const json = await this.get(`${path}${path.includes('?') ? '&' : '?'}pacticipant=${encodeURIComponent(pacticipant)}`);
    const versions: DeployedVersion[] = [];
    for (const entry of list(field(field(json, '_embedded'), 'deployedVersions'))) {
      const embedded = field(entry, '_embedded');
      const name = text(field(field(embedded, 'pacticipant'), 'name')) ?? pacticipant;
      const number = text(field(field(embedded, 'version'), 'number'));
      if (name === pacticipant && number !== undefined && !versions.some((v) => v.version === number)) versions.push({ pacticipant, version: number });
    }
    return versions;
  }

  async providersDeployedFor(consumer: string, environment: string): Promise<readonly DeployedVersion[]> {
    const providers = [...new Set((await this.integrations()).filter((i) => i.consumer === consumer).map((i) => i.provider))];
    return (await Promise.all(providers.map((p) => this.deployed(p, environment)))).flat();
  }

  async consumersDeployedOf(provider: string, environment: string): Promise<readonly DeployedVersion[]> {
    const consumers = [...new Set((await this.integrations()).filter((i) => i.provider === provider).map((i) => i.consumer))];
    return (await Promise.all(consumers.map((c) => this.deployed(c, environment)))).flat();
  }

  async pact(consumer: string, consumerVersion: string, provider: string): Promise<DeployedPact> {
    const pathname = `/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(consumer)}/version/${encodeURIComponent(consumerVersion)}`;
    const document = await this.get(pathname);
    const url = `${this.base}${pathname}`;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new HeraldError('HERALD_DEPLOYMENT_SOURCE_FAILED', `Failed to read ${url}: the answer is not a pact (a JSON object). Check that --broker is a Pact Broker's base URL.`);
    }
    const read = readBrokerPact(document, url, false);
    return { contract: read.contract, url, publishResultsUrl: read.publishResultsUrl, interactionIds: read.interactionIds };
  }
}
