/**
 * What a contract-test run verifies: from the pacticipant that changed to the provider versions
 * to start and the consumer contracts to verify against each.
 *   triggered by a consumer C at V: every provider version deployed in the environment that C
 *     has a contract with, each verified against C's contract at V;
 *   triggered by a provider P at V: P at V, verified against the contracts of every consumer
 *     version deployed in the environment.
 */
import type { DeploymentSource } from './deployment-source';

export type TriggeredBy = 'consumer' | 'provider';

export interface ContractTestTrigger {
  readonly triggeredBy: TriggeredBy;
  readonly pacticipant: string;
  readonly version: string;
  readonly environment: string;
}

/** One provider version to start, and the consumer versions whose contracts it must satisfy. */
export interface ProviderRun {
  readonly provider: string;
  readonly providerVersion: string;
  readonly consumers: readonly { readonly consumer: string; readonly version: string }[];
}

/** The runs for `trigger`; empty when nothing deployed needs checking. */
export async function planRuns(source: DeploymentSource, trigger: ContractTestTrigger): Promise<readonly ProviderRun[]> {
  if (trigger.triggeredBy === 'provider') {
    const consumers = await source.consumersDeployedOf(trigger.pacticipant, trigger.environment);
    if (consumers.length === 0) return [];
    return [{ provider: trigger.pacticipant, providerVersion: trigger.version, consumers: consumers.map((c) => ({ consumer: c.pacticipant, version: c.version })) }];
  }
  const providers = await source.providersDeployedFor(trigger.pacticipant, trigger.environment);
  return providers.map((p) => ({ provider: p.pacticipant, providerVersion: p.version, consumers: [{ consumer: trigger.pacticipant, version: trigger.version }] }));
}
