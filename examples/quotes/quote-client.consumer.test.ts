/**
 * The quote client asks the quote service for a price over Kafka request/reply (request on
 * `quotes.requests`, reply on `quotes.replies`, Spring's reply headers). Writes
 * contracts/quote-client-quote-service.json.
 */
import { QuoteClient } from './src/quote-client';
import { quote } from './src/declarations';

describe('quote client prices a basket line with the quote service', () => {
  it('formats the total of the quote reply', async () => {
    const reply = await quote.verify(async (double) => {
      expect(await new QuoteClient(double).price('sku-1', 2)).toBe('19.90 EUR');
    });
    expect(reply.payload.currency).toBe('EUR');
  });
});
