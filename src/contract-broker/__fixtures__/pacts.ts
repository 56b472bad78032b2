/** Pact documents for the broker's tests: V4 message pacts shaped like Herald's contract files. */
import { randomUUID } from 'node:crypto';
import { readPublishRequest, type PublishRequest } from '../domain/publish';

/** A unique name per test, so tests sharing one database never see each other's data. */
export function unique(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}

/** A Herald-style message pact: channel data in interaction metadata, Avro/usage data in comments and top-level metadata. */
export function messagePact(consumer: string, provider: string, fields: Record<string, string> = { orderId: 'ord-1' }, description = 'an order.created event'): Record<string, unknown> {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [
      {
        type: 'Asynchronous/Messages',
        description,
        key: 'k1',
        pending: false,
        contents: { content: fields, contentType: 'application/json', encoded: false },
        metadata: { contentType: 'application/json', kafka_topic: 'orders', kafka_key: 'ord-1', 'x-herald-channel': 'kafka:orders' },
        comments: { text: ['herald: usage orderId read by handleOrder'], testname: 'orders consumer handles order.created' },
      },
    ],
    metadata: {
      pactSpecification: { version: '4.0' },
      herald: { version: '0.1.0', channels: { 'an order.created event': { transport: 'kafka', topic: 'orders' } }, avro: { subject: 'orders-value' } },
    },
  };
}

export function base64(document: unknown): string {
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

/** The publish request the Pact CLI would send for `document`. */
export function publishRequest(document: Record<string, unknown>, version: string, options: { branch?: string; tags?: string[] } = {}): PublishRequest {
  const consumer = (document['consumer'] as { name: string }).name;
  const provider = (document['provider'] as { name: string }).name;
  return readPublishRequest({
    pacticipantName: consumer,
    pacticipantVersionNumber: version,
    ...(options.branch === undefined ? {} : { branch: options.branch }),
    tags: options.tags ?? [],
    contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: base64(document) }],
  });
}
