/**
 * Interop for request/reply (Pact V4 Synchronous/Messages) with pact-js 16, both directions:
 * - pact-js' PactV4 `addSynchronousInteraction` writes a contract; Herald reads it and verifies a
 *   provider with reply factories (a defective reply fails);
 * - Herald's consumer DSL declares a request/reply; the file Herald writes is verified by pact-js'
 *   MessageProviderPact (the Rust verifier), which passes a good reply and rejects a defective one.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MessageProvider } from '@pact-foundation/pact';
import { MessageProviderPact, providerWithMetadata } from '@pact-foundation/pact/src/messageProviderPact';
import * as MatchersV3 from '@pact-foundation/pact/src/v3/matchers';
import { PactV4 } from '@pact-foundation/pact/src/v4';
import { amqpQueue, consumer, m, message, parseContract, serializeContract, verifyProvider, type Contract } from 'herald';
import { parseJsonText } from '../../src/contract/safe-json';
import { parseReport } from '../interop/pact-js';

const SESSION = '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11';
const TIMEOUT = 60_000;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'herald-sync-interop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readContract(file: string): Promise<Contract> {
  return { ...parseContract(parseJsonText(await readFile(file, 'utf8'), file), file), source: file };
}

describe('Herald reads and verifies what pact-js 16 writes', () => {
  let contract: Contract;

  beforeAll(async () => {
    const pact = new PactV4({ consumer: 'quote-client', provider: 'pricing', dir, logLevel: 'error' });
    await pact
      .addSynchronousInteraction('a price quote request')
      .given('a product exists', { sku: 'ABC-1234' })
      .withRequest((r) => r.withJSONContent({ sku: MatchersV3.regex('^[A-Z]{3}-\\d{4}$', 'ABC-1234'), quantity: MatchersV3.integer(2) }))
      .withResponse((r) => r.withJSONContent({ sku: MatchersV3.string('ABC-1234'), price: MatchersV3.decimal(9.99), currency: MatchersV3.regex('^[A-Z]{3}$', 'EUR') }))
      .executeTest(async () => undefined);
    contract = await readContract(path.join(dir, 'quote-client-pricing.json'));
  }, TIMEOUT);

  it('reads the request, the reply and their matching rules', () => {
    const [sync] = contract.synchronous ?? [];
    expect(contract.interactions).toEqual([]);
    expect(sync?.description).toBe('a price quote request');
    expect(sync?.providerStates).toEqual([{ name: 'a product exists', params: { sku: 'ABC-1234' } }]);
    expect(sync?.request.contents.content).toEqual({ sku: 'ABC-1234', quantity: 2 });
    expect(sync?.request.matchingRules.body['$.quantity']?.matchers).toEqual([{ match: 'integer' }]);
    expect(sync?.response.map((r) => r.contents.content)).toEqual([{ sku: 'ABC-1234', price: 9.99, currency: 'EUR' }]);
    expect(sync?.response[0]?.matchingRules.body['$.currency']?.matchers).toEqual([{ match: 'regex', regex: '^[A-Z]{3}$' }]);
  });

  it('passes a reply factory that answers the request as declared, and fails a defective one', async () => {
    const states = { 'a product exists': () => ({}) };
    const good = await verifyProvider([contract], {
      name: 'pricing',
      states,
      messages: {},
      replies: { 'a price quote request': (_params, request) => ({ sku: (request.payload as { sku: string }).sku, price: 12.5, currency: 'GBP' }) },
    });
    expect(good.results.map((r) => [r.status, r.mismatches])).toEqual([['passed', []]]);
    const bad = await verifyProvider([contract], { name: 'pricing', states, messages: {}, replies: { 'a price quote request': () => ({ sku: 'ABC-1234', price: 12.5, currency: 'pounds' }) } });
    expect(bad.results[0]?.status).toBe('failed');
    expect(bad.results[0]?.mismatches.map((mm) => mm.path)).toEqual(['$.currency']);
  });
});

describe('pact-js 16 verifies what Herald writes', () => {
  let file = '';
  const requests: unknown[] = [];

  beforeAll(async () => {
    const authorise = consumer('push-client')
      .expectsFrom('push-server')
      .request('an authorise request')
      .given('a device is registered', { deviceId: 'dev-1' })
      .on(amqpQueue('auth.rpc'))
      .replyVia({ address: 'amq.rabbitmq.reply-to' })
      .withPayload({ deviceId: m.string('dev-1'), token: m.regex(/^[a-z]+$/, 'abc') })
      .withReply({ sessionId: m.uuid(SESSION), ok: m.boolean(true) }, { headers: { 'session-kind': m.regex(/^(device|user)$/, 'device') } });
    const sync = authorise.toInteraction();
    file = path.join(dir, 'push-client-push-server.json');
    await writeFile(file, serializeContract({ consumer: 'push-client', provider: 'push-server', specVersion: '4.0', metadata: {}, interactions: [], synchronous: [sync] }));
  });

  const verify = (reply: MessageProvider): Promise<unknown> =>
    new MessageProviderPact({
      provider: 'push-server',
      pactUrls: [file],
      logLevel: 'error',
      stateHandlers: { 'a device is registered': async () => undefined },
      messageProviders: {
        'an authorise request': (descriptor) => {
          requests.push(descriptor);
          return reply(descriptor);
        },
      },
    }).verify();

  it(
    'passes a provider whose reply matches, and hands it the request Herald declared',
    async () => {
      const report = parseReport(await verify(providerWithMetadata(() => ({ sessionId: SESSION, ok: true }), { 'session-kind': 'user' })));
      expect(report.result).toBe(true);
      expect(report.interactionResults.map((r) => [r.description, r.result])).toEqual([['an authorise request', 'OK']]);
      expect(requests[0]).toMatchObject({ description: 'an authorise request', request: { contents: { content: { deviceId: 'dev-1', token: 'abc' } } } });
    },
    TIMEOUT,
  );

  it(
    "rejects a reply that breaks the declared reply's rules",
    async () => {
      const outcome = await verify(providerWithMetadata(() => ({ sessionId: 'not-a-uuid', ok: 'yes' }), { 'session-kind': 'device' })).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(outcome).toBeDefined();
      const report = parseReport(outcome);
      expect(report.result).toBe(false);
      expect(report.mismatches.map((mm) => mm.path).sort()).toEqual(['$.ok', '$.sessionId']);
    },
    TIMEOUT,
  );

  it('keeps the reply route where pact-js still reads the file (herald.reply), and Herald reads it back', async () => {
    const contract = await readContract(file);
    expect(contract.synchronous?.[0]?.herald?.['reply']).toEqual({ address: 'amq.rabbitmq.reply-to' });
    // The message matching verify() used passes the same reply in-process too.
    const report = await verifyProvider([contract], {
      name: 'push-server',
      states: { 'a device is registered': () => ({}) },
      messages: {},
      replies: { 'an authorise request': () => message({ sessionId: SESSION, ok: true }, { headers: { 'session-kind': 'user' } }) },
    });
    expect(report.summary.ok).toBe(true);
  });
});

describe("pact-js 16 verifies Herald's Kafka request/reply contract (examples/quotes)", () => {
  const file = path.join(__dirname, '../../contracts/quote-client-quote-service.json');
  const verify = (reply: MessageProvider): Promise<unknown> =>
    new MessageProviderPact({ provider: 'quote-service', pactUrls: [file], logLevel: 'error', messageProviders: { 'a quote request': reply } }).verify();

  it(
    'passes a quote reply and rejects one whose currency is not an ISO code',
    async () => {
      const good = parseReport(await verify(providerWithMetadata(() => ({ sku: 'sku-1', quantity: 2, total: 19.9, currency: 'EUR' }), {})));
      expect(good.interactionResults.map((r) => [r.description, r.result])).toEqual([['a quote request', 'OK']]);
      const bad = await verify(providerWithMetadata(() => ({ sku: 'sku-1', quantity: 2, total: 19.9, currency: 'euro' }), {})).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(bad).toBeDefined();
      expect(parseReport(bad).mismatches.map((mm) => mm.path)).toEqual(['$.currency']);
    },
    TIMEOUT,
  );
});
