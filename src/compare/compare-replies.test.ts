import { asyncApiErrors } from '../asyncapi/asyncapi';
import { parseSpec } from '../asyncapi/load';
import { amqpQueue, kafkaTopic } from '../contract/channel';
import type { JsonObject } from '../contract/json';
import type { Contract, SyncMessageInteraction } from '../contract/model';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import { quoteRequest } from '../__fixtures__/quote';
import { contractsToAsyncApi } from './asyncapi-export';
import { compareContracts } from './compare';

const quote = quoteRequest().toInteraction();

const authorise = consumer('push-client')
  .expectsFrom('quote-service')
  .request('an authorise request')
  .on(amqpQueue('push.auth'))
  .replyVia({ address: 'amq.rabbitmq.reply-to' })
  .withPayload({ deviceId: m.string('dev-1') })
  .withReply({ ok: m.boolean(true) })
  .toInteraction();

const contractOf = (name: string, sync: SyncMessageInteraction): Contract => ({ consumer: name, provider: 'quote-service', specVersion: '4.0', metadata: {}, interactions: [], synchronous: [sync] });

/** The exported document with `edit` applied, read back as a spec. */
async function specFrom(edit: (doc: JsonObject) => void = () => undefined) {
  const doc = contractsToAsyncApi([contractOf('quote-client', quote)], { provider: 'quote-service' });
  edit(doc);
  return parseSpec(JSON.stringify(doc), 'quotes.asyncapi.json');
}

const components = (doc: JsonObject): JsonObject => (doc['components'] as JsonObject)['messages'] as JsonObject;
const operation = (doc: JsonObject): JsonObject => (doc['operations'] as JsonObject)['receiveAQuoteRequest'] as JsonObject;

describe('AsyncAPI reply operations', () => {
  it('exports a receive operation with its reply address, reply channel and correlation ids, which @asyncapi/parser accepts', async () => {
    const doc = contractsToAsyncApi([contractOf('quote-client', quote), contractOf('push-client', authorise)], { provider: 'quote-service' });
    expect(await asyncApiErrors(JSON.stringify(doc), 'exported.json')).toEqual([]);
    expect(operation(doc)).toMatchObject({
      action: 'receive',
      channel: { $ref: '#/channels/quotes-requests' },
      reply: { address: { location: '$message.header#/kafka_replyTopic' }, channel: { $ref: '#/channels/quotes-requests-reply-AQuoteRequest' } },
    });
    expect((doc['channels'] as JsonObject)['quotes-requests-reply-AQuoteRequest']).toMatchObject({ address: 'quotes.replies', bindings: { kafka: { topic: 'quotes.replies' } } });
    expect(components(doc)['AQuoteRequest-request']).toMatchObject({ correlationId: { location: '$message.header#/kafka_correlationId' } });
    const amqp = (doc['operations'] as JsonObject)['receiveAnAuthoriseRequest'] as JsonObject;
    expect(amqp['reply']).toMatchObject({ address: { location: '$message.header#/reply_to' } });
    expect((doc['channels'] as JsonObject)['push-auth-reply-AnAuthoriseRequest']).toMatchObject({ address: null });
  });

  it('finds the exported document compatible with the contract it came from', async () => {
    const report = compareContracts([contractOf('quote-client', quote)], await specFrom());
    expect(report.results.map((r) => [r.description, r.status, r.findings])).toEqual([['a quote request', 'compatible', []]]);
  });

  it('fails a spec whose operation declares no reply', async () => {
    const report = compareContracts(
      [contractOf('quote-client', quote)],
      await specFrom((doc) => {
        delete operation(doc)['reply'];
      }),
    );
    expect(report.results[0]?.status).toBe('incompatible');
    expect(report.results[0]?.findings[0]?.message).toContain('declares no reply');
  });

  it('fails a spec whose reply lacks a field the consumer reads, and one that requires a request field the consumer does not send', async () => {
    const report = compareContracts(
      [contractOf('quote-client', quote)],
      await specFrom((doc) => {
        const reply = components(doc)['AQuoteRequest-reply'] as JsonObject;
        reply['payload'] = { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] };
        const request = components(doc)['AQuoteRequest-request'] as JsonObject;
        request['payload'] = { type: 'object', properties: { sku: { type: 'string' }, currency: { type: 'string' } }, required: ['sku', 'currency'] };
      }),
    );
    expect(report.results[0]?.status).toBe('incompatible');
    expect(report.results[0]?.findings.map((f) => [f.part, f.path, f.code])).toEqual([
      ['body', '$.total', 'missing'],
      ['body', '$.currency', 'missing'],
    ]);
  });

  it('fails a spec carrying the correlation id in another header, and warns when it does not say', async () => {
    const other = compareContracts(
      [contractOf('quote-client', quote)],
      await specFrom((doc) => {
        (components(doc)['AQuoteRequest-request'] as JsonObject)['correlationId'] = { location: '$message.header#/correlation-id' };
      }),
    );
    expect(other.results[0]?.findings.map((f) => [f.severity, f.code, f.actual])).toEqual([['incompatible', 'channel', '$message.header#/correlation-id']]);
    const silent = compareContracts(
      [contractOf('quote-client', quote)],
      await specFrom((doc) => {
        delete (components(doc)['AQuoteRequest-request'] as JsonObject)['correlationId'];
      }),
    );
    expect(silent.results[0]?.status).toBe('compatible');
    expect(silent.results[0]?.findings.map((f) => [f.severity, f.code])).toEqual([['warning', 'unconstrained']]);
  });

  it('fails when the spec has no operation receiving the request', async () => {
    const report = compareContracts(
      [contractOf('quote-client', quote)],
      await specFrom((doc) => {
        operation(doc)['action'] = 'send';
      }),
    );
    expect(report.results[0]?.findings[0]?.message).toContain('has no operation where quote-service receives requests on');
  });
});
