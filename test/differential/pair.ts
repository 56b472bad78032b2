/** The data passed between the pact-js child and the Herald side: one (pact, provider message) pair. */
import type { ProviderMessage } from './message';

/** The provider every generated pact names. */
export const PROVIDER = 'differential-provider';

export interface Verdict {
  readonly verdict: 'pass' | 'fail' | 'error';
  /** Mismatches or error, one line; empty on pass. */
  readonly detail: string;
}

export interface PactJsPair {
  readonly version: 'v3' | 'v4';
  readonly caseId: string;
  readonly mutation: string;
  /** The interaction's description: `${version} ${caseId} :: ${mutation}`, unique in a run. */
  readonly description: string;
  readonly pactFile: string;
  readonly message: ProviderMessage;
  readonly pactjs: Verdict;
}

export interface ComparedPair extends PactJsPair {
  readonly herald: Verdict;
}

/** How known-differences.ts names a pair: the description. */
export const pairId = (p: Pick<PactJsPair, 'description'>): string => p.description;
