/** The quote service's reply factories (herald verify --factories) and broker definition (--transport kafka --triggers). */
import { provider, replyFor } from 'herald';
import { quote } from './src/declarations';
import { QuoteService } from './src/quote-service';

/** Reply factories calling the real QuoteService; the request is typed from the client's declaration. */
export function quoteProvider(service = new QuoteService()) {
  return provider('quote-service', {
    messages: {},
    triggers: {},
    replies: replyFor(quote, (_params, request) => service.quote(request.payload)),
  });
}

export default quoteProvider();
