/**
 * Publishing a contract-test run's results to the broker, one verification result per pact (as
 * `herald verify --publish-verification-results` does), so the matrix and `can-i-deploy` know
 * whether the provider version satisfies each consumer version it was verified against.
 */
import type { BrokerClient } from '../broker-client/hal-client';
import { publishVerificationResult, verificationResultBody, type PactForVerification } from '../broker-client/for-verification';
import type { VerificationReport } from '../verify/result';
import type { DeployedPact } from './deployment-source';
import type { ProviderRun } from './plan';

/** The outcome of one provider run. */
export interface ProviderRunResult {
  readonly run: ProviderRun;
  /** The pacts verified, as the broker served them. */
  readonly pacts: readonly DeployedPact[];
  readonly report: VerificationReport;
}

/** Publishes one run's results; resolves to lines for stdout. */
export type ResultPublisher = (result: ProviderRunResult) => Promise<readonly string[]>;

/**
 * Publishes each pact's result to its `pb:publish-verification-results` link, for the provider
 * version of the run.
 *
 * @example
 * const publish = brokerResultPublisher(new BrokerClient({ url: 'http://localhost:9292' }), '1.4.0');
 */
export function brokerResultPublisher(client: BrokerClient, heraldVersion: string): ResultPublisher {
  return async ({ run, pacts, report }) => {
    const lines: string[] = [];
    for (const pact of pacts) {
      const forVerification: PactForVerification = { ...pact, shortDescription: `${pact.contract.consumer} at the version deployed`, pending: false, wip: false, notices: [] };
      const body = verificationResultBody(forVerification, report.results, run.providerVersion, heraldVersion);
      await publishVerificationResult(client, forVerification, body);
      lines.push(
        `Published the verification result of ${pact.contract.consumer} → ${pact.contract.provider} (${body['success'] === true ? 'success' : 'failure'}) for ${run.provider} ${run.providerVersion}.`,
      );
    }
    return lines;
  };
}
