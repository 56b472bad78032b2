/**
 * jest API for providers: one jest test per interaction, named after it, grouped by consumer.
 *
 * @example
 * // orders.provider.test.ts
 * import { verifyProviderInJest } from 'herald/jest';
 * import factories from './factories';
 * verifyProviderInJest(factories, { contracts: ['contracts/'] });
 *
 * // or the pacts a contract broker selects, with the results published back:
 * verifyProviderInJest(factories, {
 *   broker: { url: process.env.HERALD_BROKER_URL!, auth: { token: process.env.HERALD_BROKER_TOKEN! }, providerVersion: process.env.GIT_SHA!, providerVersionBranch: 'main', enablePending: true, publishResults: process.env.CI === 'true' },
 * });
 */
import { existsSync } from 'node:fs';
import { loadContractsSync } from '../contract/load';
import type { Contract } from '../contract/model';
import { HERALD_VERSION } from '../contract/serialize';
import { HeraldError } from '../errors/herald-error';
import { formatMismatches } from '../matching/format';
import type { ProviderDefinition } from '../verify/provider';
import type { InteractionResult } from '../verify/result';
import { verifySyncInteraction } from '../verify/reply';
import { flowsOf, isFlowStep } from '../contract/flow';
import { verifyFlow } from '../verify/flow';
import { factoryStepRunner } from '../verify/flow-factories';
import { selectContracts, verifyInteraction } from '../verify/verify-provider';
import type { PactForVerification } from '../broker-client/for-verification';
import { fetchBrokerPactsSync, publishJestResults, type JestBrokerSource } from './broker-source';

export type { JestBrokerSource } from './broker-source';

/** Contract files or directories, or a contract broker: one of the two. */
export type JestContractSource = { readonly contracts: readonly string[]; readonly broker?: undefined } | { readonly broker: JestBrokerSource; readonly contracts?: undefined };

export type JestVerifyOptions = JestContractSource & JestVerifyCommonOptions;

export interface JestVerifyCommonOptions {
  /** Provider name (default: the definition's). */
  readonly provider?: string;
  readonly consumers?: readonly string[];
  /** Pass interactions whose factory does not say where it publishes (the channel is then not checked). */
  readonly allowUncheckedChannel?: boolean;
  /** Fail on fields the consumer declared but never reads too (default: reported, not failed). */
  readonly checkAllDeclaredFields?: boolean;
}

/** Renders a failed result as a jest failure message. */
export function describeFailure(result: InteractionResult): string {
  const context = {
    consumer: result.consumer,
    provider: result.provider,
    interaction: result.description,
    ...(result.contractFile === undefined ? {} : { contractFile: result.contractFile }),
  };
  const parts = [result.error === undefined ? '' : `${result.error.code}: ${result.error.message}`, result.mismatches.length > 0 ? formatMismatches(result.mismatches, context) : ''];
  return [...parts, ...result.notes].filter((p) => p !== '').join('\n\n');
}

/** Defines a jest describe block per consumer and a test per interaction. */
export function verifyProviderInJest(definition: ProviderDefinition, options: JestVerifyOptions): void {
  const providerName = options.provider ?? definition.name;
  if (providerName === undefined) throw new HeraldError('HERALD_UNKNOWN_PROVIDER', 'verifyProviderInJest needs a provider name: pass { provider } or use provider(name, {...}).');
  if (options.broker !== undefined) {
    verifyBrokerPacts(definition, providerName, options.broker, options);
    return;
  }
  const missing = options.contracts.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    // A fresh checkout: the consumer tests, which write contracts/, have not run yet.
    throw new HeraldError(
      'HERALD_CONTRACT_UNREADABLE',
      `Failed to verify "${providerName}": ${missing.join(', ')} does not exist yet. The consumer tests write the contracts: run them before the provider tests ` +
        '(e.g. `jest --selectProjects consumers && jest --selectProjects providers`), or point { contracts } at the contracts the consumer teams published.',
      { contractFile: missing.join(', ') },
    );
  }
  const contracts = selectContracts(loadContractsSync(options.contracts), providerName, options.consumers);
  if (contracts.length === 0) {
    throw new HeraldError('HERALD_UNKNOWN_PROVIDER', `No contract in ${options.contracts.join(', ')} names "${providerName}" as provider. Check the provider name and the contract paths.`);
  }
  defineTests(definition, providerName, contracts, options, () => undefined);
}

/** The pacts the broker selects, a test per interaction, and (publishResults) one result per pact after them. */
function verifyBrokerPacts(definition: ProviderDefinition, providerName: string, source: JestBrokerSource, options: JestVerifyCommonOptions): void {
  const pacts: PactForVerification[] = fetchBrokerPactsSync(providerName, source).filter((p) => options.consumers === undefined || options.consumers.includes(p.contract.consumer));
  if (pacts.length === 0) {
    // Never a pass with nothing checked.
    throw new HeraldError(
      'HERALD_NOTHING_TO_VERIFY',
      `Failed to verify: ${source.url} has no pact for ${providerName}${options.consumers === undefined ? '' : ` from ${options.consumers.join(', ')}`} matching the consumer version selectors ${JSON.stringify(source.consumerVersionSelectors ?? [{ mainBranch: true }, { deployedOrReleased: true }])}. Check the provider name against the names the consumers published, and the selectors.`,
    );
  }
  const results: InteractionResult[] = [];
  if (source.publishResults === true) {
    afterAll(async () => {
      // Only a complete run is published: a filtered run (-t) or an aborted one says nothing about the pacts.
      const expected = pacts.reduce((n, p) => n + p.contract.interactions.length + (p.contract.synchronous?.length ?? 0), 0);
      if (results.length < expected) {
        console.warn(`Not publishing verification results: ${results.length} of ${expected} interactions ran.`);
        return;
      }
      for (const line of await publishJestResults(providerName, source, pacts, results, HERALD_VERSION)) console.log(line);
    });
  }
  for (const pact of pacts)
    if (pact.pending || pact.wip)
      console.warn(`${pact.contract.consumer} → ${pact.contract.provider}: ${pact.shortDescription}${pact.pending ? ' (pending: its failures do not fail the tests)' : ''}`);
  defineTests(
    definition,
    providerName,
    pacts.map((p) => p.contract),
    options,
    (result) => results.push(result),
  );
}

/** A describe block per contract and a test per interaction; `record` sees every result. */
function defineTests(definition: ProviderDefinition, providerName: string, contracts: readonly Contract[], options: JestVerifyCommonOptions, record: (result: InteractionResult) => void): void {
  describe(`${providerName} satisfies its consumers' contracts`, () => {
    for (const contract of contracts) {
      describe(`${contract.consumer} → ${contract.provider}`, () => {
        const verifyOptions = {
          ...(options.allowUncheckedChannel === true ? { allowUncheckedChannel: true } : {}),
          ...(options.checkAllDeclaredFields === true ? { checkAllDeclaredFields: true } : {}),
        };
        const expectPassed = (description: string, result: InteractionResult): void => {
          record(result);
          if (result.status === 'pending') {
            console.warn(`Pending interaction "${description}" does not pass yet:\n${describeFailure(result)}`);
            return;
          }
          if (result.status !== 'passed') throw new Error(describeFailure(result));
        };
        for (const interaction of contract.interactions) {
          if (isFlowStep(interaction)) continue;
          it(interaction.description, async () => {
            expectPassed(interaction.description, await verifyInteraction(contract, interaction, definition, verifyOptions));
          });
        }
        // Request/reply interactions get a test each too: a contract is never checked for less than it states.
        for (const sync of contract.synchronous ?? []) {
          if (isFlowStep(sync)) continue;
          it(sync.description, async () => {
            expectPassed(sync.description, await verifySyncInteraction(contract, sync, definition, (c, i, d) => verifyInteraction(c, i, d, verifyOptions)));
          });
        }
        // A flow is one test: its steps run in order (docs/request-reply.md, "Flows"); the first failing step fails it.
        for (const flow of flowsOf(contract)) {
          it(`flow "${flow.name}"`, async () => {
            const results = await verifyFlow(
              contract,
              flow,
              definition,
              factoryStepRunner(contract, definition, (c, i, d) => verifyInteraction(c, i, d, verifyOptions)),
            );
            const failed = results.filter((r) => r.status !== 'passed' && r.status !== 'pending');
            for (const r of results.filter((x) => x.status === 'pending')) console.warn(`Pending interaction "${r.description}" does not pass yet:\n${describeFailure(r)}`);
            if (failed.length > 0) throw new Error(failed.map(describeFailure).join('\n\n'));
          });
        }
      });
    }
  });
}
