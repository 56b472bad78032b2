/**
 * `verifyProviderInJest(definition, { broker: { … } })`: the pacts come from a contract broker
 * (Herald Broker or Pact Broker), selected by consumer version selectors with pending and WIP
 * pacts, and the results can be published back, one per pact, when the tests are done.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BrokerClient, type BrokerAuth, type BrokerClientOptions } from '../broker-client/hal-client';
import {
  pactForVerification,
  publishVerificationResult,
  recordBranch,
  verificationResultBody,
  type ConsumerVersionSelector,
  type ForVerificationOptions,
  type PactEntry,
  type PactForVerification,
} from '../broker-client/for-verification';
import { errorCatalogue, type ErrorCode } from '../errors/codes';
import { HeraldError } from '../errors/herald-error';
import type { InteractionResult } from '../verify/result';

/** Where the pacts come from, and what to publish back. */
export interface JestBrokerSource {
  /** The broker's root URL (Herald Broker or Pact Broker), e.g. `process.env.HERALD_BROKER_URL`. */
  readonly url: string;
  /** Bearer token, or basic auth (`{ username, password }`). */
  readonly auth?: BrokerAuth;
  /** The provider version being verified (e.g. the git SHA). */
  readonly providerVersion: string;
  /** Its branch: pending pacts are pending per branch, and `matchingBranch` selects by it. */
  readonly providerVersionBranch?: string;
  readonly providerVersionTags?: readonly string[];
  /** Default `[{ mainBranch: true }, { deployedOrReleased: true }]`. */
  readonly consumerVersionSelectors?: readonly ConsumerVersionSelector[];
  /** Pending pacts' failures are reported (console.warn) and do not fail their tests. */
  readonly enablePending?: boolean;
  /** ISO date: also verify work-in-progress pacts published since then (needs providerVersionBranch). */
  readonly includeWipPactsSince?: string;
  /** Publish one verification result per pact after the tests (afterAll). */
  readonly publishResults?: boolean;
  /** Per-request timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
}

const DEFAULT_SELECTORS: readonly ConsumerVersionSelector[] = [{ mainBranch: true }, { deployedOrReleased: true }];

function clientOptions(source: JestBrokerSource): BrokerClientOptions {
  return { url: source.url, ...(source.auth === undefined ? {} : { auth: source.auth }), ...(source.timeoutMs === undefined ? {} : { timeoutMs: source.timeoutMs }) };
}

/** Checks the source before anything is fetched; HERALD_USAGE names the option to fix. */
function checkSource(source: JestBrokerSource): void {
  const fail = (message: string): never => {
    throw new HeraldError('HERALD_USAGE', `verifyProviderInJest: ${message}`);
  };
  if (!/^https?:\/\/[^\s/]/i.test(source.url)) fail(`broker.url ${JSON.stringify(source.url)} is not an http(s) URL: give the broker's root URL, e.g. http://localhost:9292.`);
  if (source.providerVersion.trim() === '') fail('broker.providerVersion is empty: give the provider version being verified (e.g. the git SHA).');
  if (source.includeWipPactsSince !== undefined && Number.isNaN(Date.parse(source.includeWipPactsSince)))
    fail(`broker.includeWipPactsSince ${JSON.stringify(source.includeWipPactsSince)} is not a date: give one, e.g. '2026-01-01'.`);
  if (source.includeWipPactsSince !== undefined && source.providerVersionBranch === undefined)
    fail('broker.includeWipPactsSince needs broker.providerVersionBranch: WIP pacts are work in progress for a provider branch.');
  if (source.consumerVersionSelectors?.some((s) => s.matchingBranch === true) === true && source.providerVersionBranch === undefined)
    fail("a matchingBranch selector needs broker.providerVersionBranch: it selects the consumer versions on the branch named like the provider's.");
}

export function forVerificationOptions(provider: string, source: JestBrokerSource): ForVerificationOptions {
  return {
    provider,
    consumerVersionSelectors: source.consumerVersionSelectors ?? DEFAULT_SELECTORS,
    ...(source.providerVersionBranch === undefined ? {} : { providerVersionBranch: source.providerVersionBranch }),
    providerVersionTags: source.providerVersionTags ?? [],
    includePendingStatus: source.enablePending ?? false,
    ...(source.includeWipPactsSince === undefined ? {} : { includeWipPactsSince: source.includeWipPactsSince }),
  };
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(errorCatalogue, code);

/** Runs the worker in the environment it needs: the compiled `.js` under node, or the `.ts` source through tsx. */
function workerCommand(): string[] {
  const extension = path.extname(__filename);
  const worker = path.join(__dirname, `broker-pacts-worker${extension}`);
  return extension === '.ts' ? ['--require', require.resolve('tsx/cjs'), worker] : [worker];
}

/**
 * The pacts the broker selects for `provider`, fetched synchronously (jest defines its tests
 * synchronously) by a child process; the broker's errors come back with their codes.
 */
export function fetchBrokerPactsSync(provider: string, source: JestBrokerSource): PactForVerification[] {
  checkSource(source);
  const input = JSON.stringify({ client: clientOptions(source), options: forVerificationOptions(provider, source) });
  let output: string;
  try {
    output = execFileSync(process.execPath, workerCommand(), { input, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['pipe', 'pipe', 'inherit'] });
  } catch (error) {
    throw new HeraldError(
      'HERALD_PACT_BROKER_UNREACHABLE',
      `Failed to fetch the pacts for verification of ${provider} from ${source.url}: the fetching process failed (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
  const answer = JSON.parse(output) as { entries?: PactEntry[]; error?: { code: unknown; message: string } };
  if (answer.error !== undefined) throw new HeraldError(isErrorCode(answer.error.code) ? answer.error.code : 'HERALD_PACT_BROKER_UNREACHABLE', answer.error.message);
  return (answer.entries ?? []).map(pactForVerification);
}

/** Publishes one result per pact (after recording the provider version's branch); returns what it did, for the log. */
export async function publishJestResults(
  provider: string,
  source: JestBrokerSource,
  pacts: readonly PactForVerification[],
  results: readonly InteractionResult[],
  heraldVersion: string,
): Promise<string[]> {
  const client = new BrokerClient(clientOptions(source));
  if (source.providerVersionBranch !== undefined) await recordBranch(client, provider, source.providerVersionBranch, source.providerVersion);
  const lines: string[] = [];
  for (const pact of pacts) {
    const body = verificationResultBody(pact, results, source.providerVersion, heraldVersion);
    await publishVerificationResult(client, pact, body);
    lines.push(
      `Published the verification result of ${pact.contract.consumer} → ${pact.contract.provider} (${body['success'] === true ? 'success' : 'failure'}) for ${provider} ${source.providerVersion}.`,
    );
  }
  return lines;
}
