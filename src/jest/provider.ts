/**
 * jest API for providers: one jest test per interaction, named after it, grouped by consumer.
 *
 * @example
 * // orders.provider.test.ts
 * import { verifyProviderInJest } from 'herald/jest';
 * import factories from './factories';
 * verifyProviderInJest(factories, { contracts: ['contracts/'] });
 */
import { existsSync } from 'node:fs';
import { loadContractsSync } from '../contract/load';
import { HeraldError } from '../errors/herald-error';
import { formatMismatches } from '../matching/format';
import type { ProviderDefinition } from '../verify/provider';
import type { InteractionResult } from '../verify/result';
import { verifySyncInteraction } from '../verify/reply';
import { flowsOf, isFlowStep } from '../contract/flow';
import { verifyFlow } from '../verify/flow';
import { factoryStepRunner } from '../verify/flow-factories';
import { selectContracts, verifyInteraction } from '../verify/verify-provider';

export interface JestVerifyOptions {
  /** Contract files or directories. */
  readonly contracts: readonly string[];
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
  describe(`${providerName} satisfies its consumers' contracts`, () => {
    for (const contract of contracts) {
      describe(`${contract.consumer} → ${contract.provider}`, () => {
        const verifyOptions = {
          ...(options.allowUncheckedChannel === true ? { allowUncheckedChannel: true } : {}),
          ...(options.checkAllDeclaredFields === true ? { checkAllDeclaredFields: true } : {}),
        };
        const expectPassed = (description: string, result: InteractionResult): void => {
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
