/**
 * Which versions are deployed where: the question `herald contract-test` asks before it starts
 * anything. A DeploymentSource answers it; PactBrokerDeploymentSource asks a Pact Broker (or
 * Herald's broker, which serves the same HAL API) through
 *   GET /environments                                             → _embedded.environments[{ uuid, name }]
 *   GET /integrations                                             → _embedded.integrations[{ consumer: { name }, provider: { name } }]
 *   GET /environments/{uuid}/deployed-versions/currently-deployed?pacticipant=P
 *                                                                 → _embedded.deployedVersions[{ _embedded: { version: { number } } }]
 *   GET /pacts/provider/{P}/consumer/{C}/version/{V}              → the pact
 */
import { parseContract } from '../contract/reader';
import type { JsonValue } from '../contract/json';
import type { Contract } from '../contract/model';
import { HeraldError } from '../errors/herald-error';

/** One pacticipant version deployed in an environment. */
export interface DeployedVersion {
  readonly pacticipant: string;
  readonly version: string;
}

/** Where deployed versions and pacts come from (a Pact Broker, Herald's broker, a stub in tests). */
export interface DeploymentSource {
  /** Versions of the providers `consumer` has contracts with, currently deployed in `environment`. */
  providersDeployedFor(consumer: string, environment: string): Promise<readonly DeployedVersion[]>;
  /** Versions of the consumers of `provider`, currently deployed in `environment`. */
  consumersDeployedOf(provider: string, environment: string): Promise<readonly DeployedVersion[]>;
  /** The contract `consumer` at `consumerVersion` has with `provider`. */
  contract(consumer: string, consumerVersion: string, provider: string): Promise<Contract>;
}

export interface PactBrokerDeploymentSourceOptions {
  /** The broker's base URL, e.g. `http://localhost:9292`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` when given. */
  readonly token?: string;
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
  private readonly token: string | undefined;
  private readonly fetchFn: typeof fetch;
  private environments: Promise<ReadonlyMap<string, string>> | undefined;

  constructor(options: PactBrokerDeploymentSourceOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchFn = options.fetch ?? fetch;
  }

  private async get(pathAndQuery: string): Promise<Json> {
    const url = `${this.base}${pathAndQuery}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, { headers: { accept: 'application/hal+json', ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }) } });
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

  /** The environment's uuid by name; an unknown name lists the known ones. */
  private async environmentUuid(name: string): Promise<string> {
    this.environments ??= this.get('/environments').then((json) => {
      const byName = new Map<string, string>();
      for (const env of list(field(field(json, '_embedded'), 'environments'))) {
        const envName = text(field(env, 'name'));
        const uuid = text(field(env, 'uuid'));
        if (envName !== undefined && uuid !== undefined) byName.set(envName, uuid);
      }
      return byName;
    });
    const known = await this.environments;
    const uuid = known.get(name);
    if (uuid === undefined) {
      throw new HeraldError(
        'HERALD_DEPLOYMENT_SOURCE_FAILED',
        `Failed to find environment "${name}" on ${this.base}: it has ${known.size === 0 ? 'no environments' : [...known.keys()].map((n) => `"${n}"`).join(', ')}. Pass --environment with one of them, or create it (pact-broker create-environment).`,
      );
    }
    return uuid;
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
    const uuid = await this.environmentUuid(environment);
    const json = await this.get(`/environments/${encodeURIComponent(uuid)}/deployed-versions/currently-deployed?pacticipant=${encodeURIComponent(pacticipant)}`);
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

  async contract(consumer: string, consumerVersion: string, provider: string): Promise<Contract> {
    const pathname = `/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(consumer)}/version/${encodeURIComponent(consumerVersion)}`;
    return parseContract(await this.get(pathname), `${this.base}${pathname}`);
  }
}
