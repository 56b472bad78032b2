/**
 * The quote service verifies the quote client's request/reply contract with a reply factory that
 * calls its real QuoteService; a service that names the currency instead of its ISO code fails.
 */
import path from 'node:path';
import { defaultContractsDir, loadContracts, verifyProvider, type Contract } from 'herald';
import { quoteProvider } from './factories';
import { QuoteService, type QuoteRequest } from './src/quote-service';

let contracts: Contract[];
beforeAll(async () => {
  contracts = await loadContracts([path.join(defaultContractsDir(), 'quote-client-quote-service.json')]);
});

describe('quote service answers quote requests', () => {
  it('replies with a quote the client accepts', async () => {
    const report = await verifyProvider(contracts, quoteProvider());
    expect(report.results.map((r) => [r.description, r.status, r.mismatches])).toEqual([['a quote request', 'passed', []]]);
  });

  it('fails a service that names the currency instead of giving its ISO code', async () => {
    class NamedCurrency extends QuoteService {
      override quote(request: QuoteRequest) {
        return { ...super.quote(request), currency: 'euro' };
      }
    }
    const report = await verifyProvider(contracts, quoteProvider(new NamedCurrency()));
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((m) => m.path)).toEqual(['$.currency']);
  });
});
