/**
 * The quote client's request/reply declaration: a quote request on the `quotes.requests` topic,
 * answered on `quotes.replies` with Spring Kafka's reply headers (kafka_replyTopic,
 * kafka_correlationId). Shared by the client's consumer test (which writes the contract) and the
 * quote service's provider tests (whose reply factory takes its request type from here).
 */
import { consumer, kafkaTopic, m } from 'herald';

export const QUOTE_REQUESTS = 'quotes.requests';
export const QUOTE_REPLIES = 'quotes.replies';

export const quote = consumer('quote-client')
  .expectsFrom('quote-service')
  .request('a quote request')
  .on(kafkaTopic(QUOTE_REQUESTS))
  .replyVia({ address: QUOTE_REPLIES })
  .withKey(m.string('sku-1'))
  .withHeaders({ 'client-id': m.regex(/^[a-z-]+$/, 'web-shop') })
  .withPayload({ sku: m.string('sku-1'), quantity: m.integer(2) })
  .withReply({ sku: m.string('sku-1'), quantity: m.integer(2), total: m.decimal(19.9), currency: m.regex(/^[A-Z]{3}$/, 'EUR') });
