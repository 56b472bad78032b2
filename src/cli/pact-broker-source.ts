/**
 * `herald verify --broker <url> --provider P --provider-version V …`: the contracts come from a
 * contract broker (pacts for verification, by consumer version selectors, with pending and WIP
 * pacts) instead of --contracts, and the results can be published back per pact.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Contract } from '../contract/model';
import type { BrokerClient } from '../broker-client/hal-client';
import type { ConsumerVersionSelector, PactForVerification } from '../broker-client/for-verification';
import type { Env } from '../report/color';
import type { VerificationReport } from '../verify/result';
import { stringOption, stringOptions, usageError, type OptionTable, type ParsedOptions } from './args';
import { BROKER_CLIENT_OPTIONS, brokerClientFrom } from './broker-client-options';

/** Herald's version (verifiedBy): the nearest package.json above this module. */
export function heraldVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string' ? json.version : 'unknown';
  }
  return 'unknown';
}

/** The options `--broker` adds to `herald verify`. */
export const PACT_BROKER_VERIFY_OPTIONS = {
  ...BROKER_CLIENT_OPTIONS,
  'provider-version': { type: 'string' },
  'provider-branch': { type: 'string' },
  /** The issue's and `herald publish`'s spelling of --provider-branch. */
  branch: { type: 'string' },
  'provider-version-tag': { type: 'string', multiple: true },
  'consumer-version-selectors': { type: 'string' },
  'main-branch': { type: 'boolean' },
  'matching-branch': { type: 'boolean' },
  'deployed-or-released': { type: 'boolean' },
  'enable-pending': { type: 'boolean' },
  'include-wip-pacts-since': { type: 'string' },
  'publish-results': { type: 'boolean' },
  /** The Pact CLI's spelling of --publish-results. */
  'publish-verification-results': { type: 'boolean' },
} as const satisfies OptionTable;

export const PACT_BROKER_VERIFY_USAGE = `Contracts from a contract broker (instead of --contracts):
      --broker <url>             The broker (Herald Broker or Pact Broker; also --broker-url,
                                 HERALD_BROKER_URL with --provider-version); credentials:
                                 --broker-token / HERALD_BROKER_TOKEN or --broker-username/-password
  -p, --provider <name>          The provider whose pacts to fetch (required with --broker)
      --provider-version <v>     The provider version verified (required with --broker)
      --provider-branch <name>   Its branch (pending pacts are pending per branch; also --branch)
      --consumer-version-selectors <json>
                                 Which consumer versions to verify, as the Pact Broker reads
                                 them, e.g. '[{"mainBranch":true},{"deployedOrReleased":true}]'
      --main-branch              Selector: the consumers' main branch
      --matching-branch          Selector: the consumers' branch named like --provider-branch
      --deployed-or-released     Selector: what is deployed or released in any environment
                                 (default without selectors: --main-branch --deployed-or-released)
      --enable-pending           Pending pacts (not yet verified by this branch) are reported
                                 but do not fail the run
      --include-wip-pacts-since <date>
                                 Also verify work-in-progress pacts published since <date> (ISO)
      --publish-results          Publish one result per pact, with a result per interaction
                                 (also --publish-verification-results)
`;

export interface PactBrokerArgs {
  readonly client: BrokerClient;
  readonly provider: string;
  readonly providerVersion: string;
  readonly providerBranch?: string;
  readonly providerVersionTags: readonly string[];
  readonly selectors: readonly ConsumerVersionSelector[];
  readonly enablePending: boolean;
  readonly includeWipPactsSince?: string;
  readonly publishResults: boolean;
}

const BROKER_ONLY = ['provider-version', 'provider-branch', 'branch', 'consumer-version-selectors', 'include-wip-pacts-since', 'provider-version-tag'] as const;
const BROKER_FLAGS = ['main-branch', 'matching-branch', 'deployed-or-released', 'enable-pending', 'publish-results', 'publish-verification-results'] as const;

function readSelectors(command: string, text: string): ConsumerVersionSelector[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw usageError(
      command,
      `Invalid --consumer-version-selectors: not JSON (${error instanceof Error ? error.message : String(error)}). Give a JSON array, e.g. '[{"mainBranch":true},{"deployedOrReleased":true}]'.`,
    );
  }
  const list = Array.isArray(json) ? json : [json];
  const allowed = new Set([
    'mainBranch',
    'branch',
    'matchingBranch',
    'deployedOrReleased',
    'deployed',
    'released',
    'environment',
    'latest',
    'tag',
    'consumer',
    'fallbackBranch',
    'fallbackTag',
    'mainBranch',
  ]);
  list.forEach((selector: unknown, i) => {
    if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) throw usageError(command, `Invalid --consumer-version-selectors: selector ${i} is not an object.`);
    const unknown = Object.keys(selector).filter((k) => !allowed.has(k));
    if (unknown.length > 0) throw usageError(command, `Invalid --consumer-version-selectors: selector ${i} has unknown key ${JSON.stringify(unknown[0])}; use ${[...allowed].join(', ')}.`);
  });
  return list as ConsumerVersionSelector[];
}

/** --provider-branch, or its spelling --branch; both given must agree. */
function branchOption(command: string, parsed: ParsedOptions): string | undefined {
  const [long, short] = [stringOption(parsed, 'provider-branch'), stringOption(parsed, 'branch')];
  if (long !== undefined && short !== undefined && long !== short)
    throw usageError(command, `--provider-branch ${JSON.stringify(long)} and --branch ${JSON.stringify(short)} name different branches: give one of them.`);
  return long ?? short;
}

/** The --broker options of `herald verify`, or undefined without --broker / --broker-url. Throws HERALD_USAGE. */
export function parsePactBrokerArgs(command: string, parsed: ParsedOptions, env: Env): PactBrokerArgs | undefined {
  const named = stringOption(parsed, 'broker') !== undefined || stringOption(parsed, 'broker-url') !== undefined;
  const given = [...BROKER_ONLY.filter((o) => parsed.strings.has(o)), ...BROKER_FLAGS.filter((o) => parsed.flags.has(o))];
  if (!named) {
    if (given.length === 0) return undefined;
    if (env['HERALD_BROKER_URL'] === undefined || env['HERALD_BROKER_URL'].trim() === '')
      throw usageError(command, `--${given[0]} applies to contracts from a broker: add --broker <url> (or set HERALD_BROKER_URL).`);
  }
  if (parsed.strings.has('contracts')) throw usageError(command, '--contracts and --broker do not go together: verify the files given, or the pacts the broker selects. Pass one of them.');
  const provider = stringOption(parsed, 'provider');
  if (provider === undefined) throw usageError(command, 'Missing --provider: name the provider whose pacts to fetch from the broker (e.g. --provider billing).');
  const providerVersion = stringOption(parsed, 'provider-version');
  if (providerVersion === undefined) throw usageError(command, 'Missing --provider-version: give the provider version being verified (e.g. --provider-version $(git rev-parse HEAD)).');
  const providerBranch = branchOption(command, parsed);
  const json = stringOption(parsed, 'consumer-version-selectors');
  const flags: ConsumerVersionSelector[] = [
    ...(parsed.flags.has('main-branch') ? [{ mainBranch: true }] : []),
    ...(parsed.flags.has('matching-branch') ? [{ matchingBranch: true }] : []),
    ...(parsed.flags.has('deployed-or-released') ? [{ deployedOrReleased: true }] : []),
  ];
  if (parsed.flags.has('matching-branch') && providerBranch === undefined)
    throw usageError(command, "--matching-branch needs --provider-branch: it selects the consumer versions on the branch named like the provider's.");
  const selectors = [...(json === undefined ? [] : readSelectors(command, json)), ...flags];
  const since = stringOption(parsed, 'include-wip-pacts-since');
  if (since !== undefined && Number.isNaN(Date.parse(since))) throw usageError(command, `Invalid --include-wip-pacts-since ${JSON.stringify(since)}: give a date, e.g. 2026-01-01.`);
  if (since !== undefined && providerBranch === undefined) throw usageError(command, '--include-wip-pacts-since needs --provider-branch: WIP pacts are work in progress for a provider branch.');
  return {
    client: brokerClientFrom(command, parsed, env),
    provider,
    providerVersion,
    ...(providerBranch === undefined ? {} : { providerBranch }),
    providerVersionTags: stringOptions(parsed, 'provider-version-tag'),
    selectors: selectors.length > 0 ? selectors : [{ mainBranch: true }, { deployedOrReleased: true }],
    enablePending: parsed.flags.has('enable-pending'),
    ...(since === undefined ? {} : { includeWipPactsSince: since }),
    publishResults: parsed.flags.has('publish-results') || parsed.flags.has('publish-verification-results'),
  };
}

/** The pacts the broker selects, and how to report their results. */
export interface PactBrokerContracts {
  readonly pacts: readonly PactForVerification[];
  readonly contracts: readonly Contract[];
  /** Lines for stderr: which pacts were selected and why, and which are pending. */
  readonly notes: readonly string[];
}

/** The broker client's pact code, loaded only when --broker is given. */
function brokerCode(): typeof import('../broker-client/for-verification') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a run with --contracts never talks to a broker
  return require('../broker-client/for-verification') as typeof import('../broker-client/for-verification');
}

export async function fetchBrokerContracts(args: PactBrokerArgs): Promise<PactBrokerContracts> {
  const { fetchPactsForVerification } = brokerCode();
  const pacts = await fetchPactsForVerification(args.client, {
    provider: args.provider,
    consumerVersionSelectors: args.selectors,
    ...(args.providerBranch === undefined ? {} : { providerVersionBranch: args.providerBranch }),
    providerVersionTags: args.providerVersionTags,
    includePendingStatus: args.enablePending,
    ...(args.includeWipPactsSince === undefined ? {} : { includeWipPactsSince: args.includeWipPactsSince }),
  });
  const notes = pacts.map(
    (p) =>
      `${p.contract.consumer} → ${p.contract.provider}: ${p.shortDescription}${p.pending ? ' (pending: its failures are reported but do not fail the run)' : ''}${p.wip ? ' (work in progress)' : ''}`,
  );
  return { pacts, contracts: pacts.map((p) => p.contract), notes };
}

/** Publishes one result per pact (after recording the provider version's branch); returns lines for stdout. */
export async function publishBrokerResults(args: PactBrokerArgs, pacts: readonly PactForVerification[], report: VerificationReport): Promise<string[]> {
  const { publishVerificationResult, recordBranch, verificationResultBody } = brokerCode();
  if (args.providerBranch !== undefined) await recordBranch(args.client, args.provider, args.providerBranch, args.providerVersion);
  const lines: string[] = [];
  for (const pact of pacts) {
    const body = verificationResultBody(pact, report.results, args.providerVersion, heraldVersion());
    await publishVerificationResult(args.client, pact, body);
    lines.push(
      `Published the verification result of ${pact.contract.consumer} → ${pact.contract.provider} (${body['success'] === true ? 'success' : 'failure'}) for ${args.provider} ${args.providerVersion}.`,
    );
  }
  return lines;
}
