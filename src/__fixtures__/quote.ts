/**
 * The quote client's request/reply declaration, as the tests under src/ need it: a quote request on
 * the `quotes.requests` topic, answered on `quotes.replies` (examples/quotes declares the full one;
 * tests under src/ do not import examples).
 */
import { kafkaTopic } from '../contract/channel';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';

export const quoteRequest = () =>
  consumer('quote-client')
    .expectsFrom('quote-service')
    .request('a quote request')
    .on(kafkaTopic('quotes.requests'))
    .replyVia({ address: 'quotes.replies' })
    .withPayload({ sku: m.string('sku-1'), quantity: m.integer(2) })
    .withReply({ sku: m.string('sku-1'), total: m.decimal(19.9) });
