/**
 * The quote client's request/reply declaration: a quote request on the `quotes.requests` topic,
 * answered on `quotes.replies` with Spring Kafka's reply headers (kafka_replyTopic,
 * kafka_correlationId). Shared by the client's consumer test (which writes the contract) and the
 * quote service's provider tests (whose reply factory takes its request type from here).
 */
import { consumer, kafkaTopic, m } from 'herald';

export const QUOTE_REQUESTS = 'quotes.requests';
export const QUOTE_REPLIES = 'quotes.replies';

/** The quote client's expectations of the quote service. */
export const quotePair = () => consumer('quote-client').expectsFrom('quote-service');

/** A quote request on `requests`, answered on `replies` (a test on a shared broker passes its own topics). */
export function quoteRequest(pair: ReturnType<typeof quotePair>, requests = QUOTE_REQUESTS, replies = QUOTE_REPLIES) {
  return pair
    .request('a quote request')
    .on(kafkaTopic(requests))
    .replyVia({ address: replies })
    .withKey(m.string('sku-1'))
    .withHeaders({ 'client-id': m.regex(/^[a-z-]+$/, 'web-shop') })
    .withPayload({ sku: m.string('sku-1'), quantity: m.integer(2) })
    .withReply({ sku: m.string('sku-1'), quantity: m.integer(2), total: m.decimal(19.9), currency: m.regex(/^[A-Z]{3}$/, 'EUR') });
}

export const quote = quoteRequest(quotePair());
