/**
 * The ledger's own amqplib consumer (src/consumer.ts) handles the examples of its contract with
 * billing, which Herald publishes on a real RabbitMQ to the run's exchange with their basic
 * properties and headers, generators applied; the consumer declares and binds its own queue.
 *
 * Broker: startRabbitMqBroker() (HERALD_AMQP_URL for a running one, else a container of
 * HERALD_RABBITMQ_IMAGE, default herald/rabbitmq:3.10-debian). Without Docker this fails, never skips.
 */
import path from 'node:path';
import { defaultContractsDir, formatConsumerReport, loadContracts, verifyConsumerOnBroker, type ConsumerContext, type Contract } from 'herald';
import { AmqpTransport, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';
import { startLedgerConsumer } from './src/consumer';
import { Ledger } from './src/invoices';

jest.setTimeout(180_000);

let broker: StartedRabbitMqBroker;
let transport: AmqpTransport;
let contracts: Contract[];

beforeAll(async () => {
  contracts = await loadContracts([path.join(defaultContractsDir(), 'ledger-billing.json')]);
  broker = await startRabbitMqBroker({ image: process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian' });
  transport = new AmqpTransport({ url: broker.url });
}, 300_000);

afterAll(async () => {
  await transport?.close();
  await broker?.stop();
});

/** The ledger, started the way the service starts, with names and broker from the run's context. */
function ledgerConsumer(ledger: Ledger) {
  return {
    name: 'ledger',
    start: (ctx: ConsumerContext) =>
      startLedgerConsumer({
        url: ctx.amqpUrl(),
        exchange: ctx.exchange('billing'),
        queue: ctx.queue('ledger.invoices'),
        ledger,
        onProcessed: (message, error) => (error === undefined ? ctx.probe.handled(message.properties.headers) : ctx.probe.failed(message.properties.headers, error)),
      }),
  };
}

/** The contract with the invoice amount changed so that it no longer equals its lines. */
function withAmount(contract: Contract, value: number): Contract {
  return {
    ...contract,
    interactions: contract.interactions.map((i) => {
      const content = i.contents.content;
      if (typeof content !== 'object' || content === null || Array.isArray(content)) return i;
      return { ...i, contents: { ...i.contents, content: { ...content, amount: { value, currency: 'EUR' } } } };
    }),
  };
}

describe("the ledger's amqplib consumer handles billing's events published by Herald on RabbitMQ", () => {
  it('records the invoice, acknowledged through its onProcessed hook, and its queue and the exchange are removed', async () => {
    const ledger = new Ledger();
    const report = await verifyConsumerOnBroker(contracts, { transport, connection: broker, consumer: ledgerConsumer(ledger), timeoutMs: 20_000 });
    expect(report.summary.ok ? '' : formatConsumerReport(report)).toBe('');
    expect(report.results.map((r) => r.status)).toEqual(['handled']);
    // The correlation id is generated per run (m.uuid()), and the ledger recorded that one.
    expect(ledger.entries).toEqual([{ invoiceId: 'INV-000042', correlationId: report.results[0]?.published?.properties['correlationId'], amountInCents: 2550 }]);
    const { queues, exchanges } = report.broker.resources;
    expect(queues).toEqual([`ledger.invoices.${report.broker.namespace}`]);
    for (const queue of queues) expect(await transport.hasQueue(queue)).toBe(false);
    for (const exchange of exchanges) expect(await transport.hasExchange(exchange)).toBe(false);
  });

  it('records the invoice, observed by polling the ledger', async () => {
    const ledger = new Ledger();
    const report = await verifyConsumerOnBroker(contracts, {
      transport,
      connection: broker,
      timeoutMs: 20_000,
      consumer: (ctx) => startLedgerConsumer({ url: ctx.amqpUrl(), exchange: ctx.exchange('billing'), queue: ctx.queue('ledger.invoices'), ledger }),
      probe: { until: ({ properties }) => ledger.entries.some((e) => e.correlationId === properties['correlationId']) },
    });
    expect(report.results.map((r) => r.status)).toEqual(['handled']);
  });

  it("reports the ledger's own error for an example it rejects", async () => {
    const ledger = new Ledger();
    const report = await verifyConsumerOnBroker(
      contracts.map((c) => withAmount(c, 99)),
      { transport, connection: broker, consumer: ledgerConsumer(ledger), timeoutMs: 20_000 },
    );
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_CONSUMER_FAILED' } });
    expect(report.results[0]?.error?.message).toContain('invoice INV-000042: lines add up to 25.5, amount says 99');
    expect(ledger.entries).toEqual([]);
  });
});
