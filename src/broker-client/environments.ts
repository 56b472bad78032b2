/**
 * Environments and what runs in them: list / create (`pb:environments`), record a deployment or a
 * release (the version resource's `pb:record-deployment` / `pb:record-release` link named after
 * the environment).
 */
import { HeraldError } from '../errors/herald-error';
import { linksOf, type BrokerClient, type JsonObject } from './hal-client';

export interface Environment {
  readonly name: string;
  readonly displayName: string | undefined;
  readonly production: boolean;
  readonly uuid: string | undefined;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function readEnvironment(value: JsonObject): Environment {
  return {
    name: String(value['name'] ?? ''),
    displayName: typeof value['displayName'] === 'string' ? value['displayName'] : undefined,
    production: value['production'] === true,
    uuid: typeof value['uuid'] === 'string' ? value['uuid'] : undefined,
  };
}

export async function listEnvironments(client: BrokerClient): Promise<Environment[]> {
  const url = await client.link('pb:environments', {}, 'list environments');
  const response = await client.get(url, 'list environments');
  const embedded = response['_embedded'];
  const list = isObject(embedded) && Array.isArray(embedded['environments']) ? embedded['environments'] : [];
  return list.filter(isObject).map(readEnvironment);
}

export async function createEnvironment(client: BrokerClient, environment: { readonly name: string; readonly displayName?: string; readonly production: boolean }): Promise<Environment> {
  const url = await client.link('pb:environments', {}, 'create an environment');
  return readEnvironment(
    await client.post(url, { name: environment.name, displayName: environment.displayName ?? environment.name, production: environment.production }, `create the environment ${environment.name}`),
  );
}

export type RecordKind = 'deployment' | 'release';

/** Records that `version` of `pacticipant` was deployed to (or released in) `environment`. */
export async function recordInEnvironment(
  client: BrokerClient,
  kind: RecordKind,
  options: { readonly pacticipant: string; readonly version: string; readonly environment: string; readonly applicationInstance?: string },
): Promise<void> {
  const what = `record the ${kind} of ${options.pacticipant} ${options.version} to ${options.environment}`;
  const versionUrl = await client.link('pb:pacticipant-version', { pacticipant: options.pacticipant, version: options.version }, what);
  const version = await client.get(versionUrl, what);
  const rel = kind === 'deployment' ? 'pb:record-deployment' : 'pb:record-release';
  const links = linksOf(version, rel);
  const link = links.find((l) => l.name === options.environment);
  if (link === undefined) {
    const known = links.map((l) => l.name).filter((n): n is string => n !== undefined);
    throw new HeraldError(
      'HERALD_PACT_BROKER_REQUEST_FAILED',
      `Failed to ${what}: the broker has no environment named ${JSON.stringify(options.environment)} (${known.length === 0 ? 'it has none' : `it has ${known.join(', ')}`}). Create it first: herald environments create --name ${options.environment} [--production].`,
    );
  }
  await client.post(link.href, kind === 'deployment' && options.applicationInstance !== undefined ? { applicationInstance: options.applicationInstance } : {}, what);
}
