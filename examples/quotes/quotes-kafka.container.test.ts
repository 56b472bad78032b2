/**
 * The quote pair on a real Kafka broker.
 *
 * - Provider side: the quote service's real kafkajs listener answers; Herald publishes the
 *   contract's request with kafka_replyTopic / kafka_correlationId and checks the reply, on both
 *   Kafka clients, through the library and through the real CLI (`herald verify --transport kafka`).
 *   A service that drops the correlation id, and one that is not running, fail and say which.
 * - Consumer side: Herald answers the quote client's real KafkaRequester with the contract's reply
 *   and checks its request; a client sending a malformed header gets no answer and fails.
 *
 * - A flow on Kafka: the quote request, then a confirmation event carrying the sku and total the
 *   real service's reply gave, published by a real kafkajs producer. Herald runs the steps in
 *   order and fails a confirmation that carries another total at step 2.
 *
 * Each test uses its own request / reply topics (the contract's names with a unique suffix).
 * Broker: startKafkaBroker() (HERALD_KAFKA_BROKERS, else a container of HERALD_KAFKA_IMAGE).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  answerRequestsOnBroker,
  defaultContractsDir,
  isHeraldError,
  kafkaTopic,
  KafkaRequestReplyClient,
  loadContracts,
  m,
  parseContract,
  serializeContract,
  verifyFlowsOnBroker,
  verifyRepliesOnBroker,
  type Contract,
  type FlowProvider,
  type MessageInteraction,
} from 'herald';
import { KAFKA_CLIENTS, createKafkaTransport, startKafkaBroker, type StartedKafkaBroker } from 'herald/kafka';
import { QUOTE_REPLIES, QUOTE_REQUESTS, quote, quotePair, quoteRequest } from './src/declarations';
import { KafkaRequester, QuoteClient } from './src/quote-client';
import { QuoteService, serveOnKafka } from './src/quote-service';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
let broker: StartedKafkaBroker | undefined;
let contractText: string;
let tmp: string;

beforeAll(async () => {
  contractText = await readFile(path.join(defaultContractsDir(), 'quote-client-quote-service.json'), 'utf8');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'herald-quotes-'));
  broker = await startKafkaBroker({ image: process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2' });
}, 300_000);

afterAll(async () => {
  await broker?.stop();
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

function started(): StartedKafkaBroker {
  if (broker === undefined) throw new Error('the Kafka broker did not start (see beforeAll)');
  return broker;
}

/** This test's own topics, and the contract file with its request and reply topics renamed to them. */
async function topics(): Promise<{ requests: string; replies: string; file: string; contract: Contract }> {
  const suffix = randomUUID().slice(0, 8);
  const requests = `${QUOTE_REQUESTS}.${suffix}`;
  const replies = `${QUOTE_REPLIES}.${suffix}`;
  await using admin = createKafkaTransport({ brokers: started().brokers });
  await admin.createTopic(requests);
  await admin.createTopic(replies);
  const file = path.join(tmp, `quote-client-quote-service.${suffix}.json`);
  await writeFile(file, contractText.replaceAll(JSON.stringify(QUOTE_REQUESTS), JSON.stringify(requests)).replaceAll(JSON.stringify(QUOTE_REPLIES), JSON.stringify(replies)));
  const [contract] = await loadContracts([file]);
  if (contract === undefined) throw new Error(`no contract in ${file}`);
  return { requests, replies, file, contract };
}

/** Runs the real CLI from the repository root. */
function herald(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 150_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe.each(KAFKA_CLIENTS)('the quote service on Kafka, Herald on the %s client', (client) => {
  async function verifyAgainst(options: { running: boolean; echoCorrelationId?: boolean }) {
    const t = await topics();
    const service = options.running ? await serveOnKafka(new QuoteService(), { brokers: started().brokers, requests: t.requests, ...options }) : undefined;
    await using transport = createKafkaTransport({ brokers: started().brokers, client });
    try {
      const report = await verifyRepliesOnBroker([t.contract], { name: 'quote-service' }, { client: new KafkaRequestReplyClient({ transport }), replyTimeoutMs: options.running ? 20_000 : 3_000 });
      return report.results[0];
    } finally {
      await service?.stop();
    }
  }

  it('passes the real service: the reply comes back on the reply topic with the correlation id, body and headers match', async () => {
    const result = await verifyAgainst({ running: true });
    expect([result?.status, result?.error, result?.mismatches]).toEqual(['passed', undefined, []]);
  });

  it('fails a service that does not copy kafka_correlationId into its reply', async () => {
    const result = await verifyAgainst({ running: true, echoCorrelationId: false });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_UNCORRELATED' } });
    expect(result?.error?.message).toContain('without a correlation id');
  });

  it('fails when no service answers, naming the reply topic it waited on', async () => {
    const result = await verifyAgainst({ running: false });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_REPLY_MISSING' } });
    expect(result?.error?.message).toMatch(/arrived at the reply topic "quotes\.replies\.[0-9a-f]{8}" .*within 3000 ms/);
  });

  it('passes through the real CLI with --transport kafka, exit 0', async () => {
    const t = await topics();
    const service = await serveOnKafka(new QuoteService(), { brokers: started().brokers, requests: t.requests });
    try {
      const run = await herald([
        'verify',
        '--contracts',
        t.file,
        '--transport',
        'kafka',
        '--kafka-client',
        client,
        '--brokers',
        started().brokers.join(','),
        '--triggers',
        'examples/quotes/factories.ts',
        '--timeout',
        '20000',
      ]);
      expect(run.stdout.split('\n')[0]).toBe('✓ quote-client → quote-service  1 passed');
      expect(run.code).toBe(0);
    } finally {
      await service.stop();
    }
  });
});

describe('Herald answers the quote client on Kafka', () => {
  /** The client's real requester on this test's topics, answered by Herald with the contract's reply. */
  async function ask(clientId: string, timeoutMs: number) {
    const t = await topics();
    const sync = t.contract.synchronous?.[0];
    if (sync === undefined) throw new Error(`the contract has no request/reply interaction ("${quote.toInteraction().description}")`);
    await using transport = createKafkaTransport({ brokers: started().brokers });
    await using responder = await answerRequestsOnBroker(sync, { transport });
    const requester = await KafkaRequester.connect(started().brokers, { requests: t.requests, replies: t.replies }, timeoutMs);
    try {
      const price = await new QuoteClient(requester, clientId).price('sku-2', 4).catch((error: unknown) => error);
      let verdict: unknown;
      try {
        responder.expectAnswered();
      } catch (error) {
        verdict = error;
      }
      return { price, verdict, requests: responder.requests() };
    } finally {
      await requester.close();
    }
  }

  it("answers the client's real request with the contract's reply, correlated", async () => {
    const { price, verdict, requests } = await ask('web-shop', 20_000);
    expect(price).toBe('19.90 EUR');
    expect(verdict).toBeUndefined();
    expect(requests.map((r) => [r.description, r.answered, r.mismatches])).toEqual([['a quote request', true, []]]);
  });

  it('does not answer a request whose client-id header breaks the contract, and says so', async () => {
    const { price, verdict } = await ask('Web Shop', 3_000);
    expect(price).toBeInstanceOf(Error);
    expect(isHeraldError(verdict) && verdict.code).toBe('HERALD_REQUEST_MISMATCH');
    expect(isHeraldError(verdict) && verdict.message).toContain('client-id');
  });
});

describe.each(KAFKA_CLIENTS)('a flow on Kafka (quote, then its confirmation), Herald on the %s client', (client) => {
  /** The flow on this test's own topics, as a provider reads its contract (written by Herald, read back). */
  async function flowContract(): Promise<{ requests: string; confirmations: string; contract: Contract }> {
    const suffix = randomUUID().slice(0, 8);
    const requests = `${QUOTE_REQUESTS}.${suffix}`;
    const replies = `${QUOTE_REPLIES}.${suffix}`;
    const confirmations = `quotes.confirmed.${suffix}`;
    await using admin = createKafkaTransport({ brokers: started().brokers });
    for (const topic of [requests, replies, confirmations]) await admin.createTopic(topic);
    const pair = quotePair();
    const flow = pair.flow('quote then confirm', (f) =>
      f
        .step('quote', () => quoteRequest(pair, requests, replies))
        .step('confirm', (from) =>
          pair
            .message('a quote confirmation')
            .on(kafkaTopic(confirmations))
            .withPayload({ sku: from((s) => s.quote.reply.payload.sku), total: from((s) => s.quote.reply.payload.total), currency: m.string('EUR') }),
        ),
    );
    const interactions = flow.toInteractions();
    const text = serializeContract({
      consumer: 'quote-client',
      provider: 'quote-service',
      specVersion: '4.0',
      metadata: {},
      interactions: interactions.filter((i): i is MessageInteraction => !('request' in i)),
      synchronous: interactions.filter((i) => 'request' in i),
    });
    return { requests, confirmations, contract: parseContract(JSON.parse(text), `flow.${suffix}.json`) };
  }

  /** Runs the flow against the real quote service; the confirmation step publishes through a real kafkajs producer, its total changed by `skew`. */
  async function verifyFlow(skew: number) {
    const t = await flowContract();
    const service = await serveOnKafka(new QuoteService(), { brokers: started().brokers, requests: t.requests });
    const producer = new Kafka({ clientId: 'quote-confirmations', brokers: [...started().brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await using transport = createKafkaTransport({ brokers: started().brokers, client });
    try {
      const definition: FlowProvider = {
        name: 'quote-service',
        triggers: {
          // sku and total are the quote reply's actual values, bound by the flow.
          'a quote confirmation': async ({ sku, total }) => {
            await producer.send({
              topic: t.confirmations,
              messages: [{ value: JSON.stringify({ sku, total: Number(total) + skew, currency: 'EUR' }), headers: { 'content-type': 'application/json' } }],
            });
          },
        },
      };
      return await verifyFlowsOnBroker([t.contract], definition, { client: new KafkaRequestReplyClient({ transport }), transport, timeoutMs: 20_000 });
    } finally {
      await producer.disconnect();
      await service.stop();
    }
  }

  it("passes both steps: the service's reply, then the confirmation carrying its sku and total", async () => {
    const report = await verifyFlow(0);
    expect(report.results.map((r) => [r.description, r.status, r.error?.code, r.mismatches])).toEqual([
      ['a quote request', 'passed', undefined, []],
      ['a quote confirmation', 'passed', undefined, []],
    ]);
  });

  it('fails a confirmation whose total is not the one the reply gave, at step 2, naming the flow and step', async () => {
    const report = await verifyFlow(1);
    expect(report.results[0]?.status).toBe('passed');
    expect(report.results[1]).toMatchObject({ status: 'failed', error: { code: 'HERALD_FLOW_STEP_FAILED' } });
    expect(report.results[1]?.error?.message).toContain('flow "quote then confirm", step 2 of 2 "confirm"');
    expect(report.results[1]?.mismatches.map((mm) => mm.path)).toEqual(['$.total']);
  });
});
