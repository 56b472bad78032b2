/**
 * Broker cases (issue 9.11, 9.12): amqplib publishers written as a provider team would write them,
 * each with one bug, verified on one real RabbitMQ for the whole file. Each bug must fail with a
 * message naming the problem; the correct publisher passes. Without Docker this fails, never skips.
 */
import amqp from 'amqplib';
import { amqpExchange, consumer, m, providerTriggers, verifyProviderOnBroker, type Contract, type TriggerContext } from 'herald';
import { AmqpTransport, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';

jest.setTimeout(240_000);

const IMAGE = process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian';

const invoiceCreated = consumer('ledger')
  .expectsFrom('billing')
  .message('an invoice.created event')
  .on(amqpExchange('billing', 'invoice.created', { type: 'topic' }))
  .withHeaders({ 'x-attempt': m.integer(1) })
  .withPayload({ invoiceId: m.regex(/^INV-\d{6}$/, 'INV-000042'), amount: m.decimal(10.5) })
  .toInteraction();
const contract: Contract = { consumer: 'ledger', provider: 'billing', interactions: [invoiceCreated], specVersion: '4.0', metadata: {}, source: 'contracts/ledger-billing.json' };

type Bug = 'no-content-type' | 'string-header';

/** The billing service's publisher, as its team wrote it: a confirm channel, JSON bodies, a retry counter header. */
async function publishInvoiceCreated(url: string, exchange: string, invoice: { id: string; amount: number }, bug?: Bug): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    const body = Buffer.from(JSON.stringify({ invoiceId: invoice.id, amount: invoice.amount }));
    const attempt = 1;
    channel.publish(exchange, 'invoice.created', body, {
      // Bug: the content type left out: consumers' converters (Spring AMQP, MassTransit…) read it.
      ...(bug === 'no-content-type' ? {} : { contentType: 'application/json' }),
      // Bug: the counter written as text, as it came out of a template.
      headers: { 'x-attempt': bug === 'string-header' ? String(attempt) : attempt },
      persistent: true,
    });
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
}

let broker: StartedRabbitMqBroker;
let transport: AmqpTransport;

beforeAll(async () => {
  broker = await startRabbitMqBroker({ image: IMAGE });
  transport = new AmqpTransport({ url: broker.url });
}, 300_000);

afterAll(async () => {
  await transport?.close();
  await broker?.stop();
});

const verifyWith = (bug?: Bug) =>
  verifyProviderOnBroker(
    [contract],
    providerTriggers('billing', {
      triggers: { 'an invoice.created event': async (_params, ctx: TriggerContext) => publishInvoiceCreated(ctx.amqpUrl(), ctx.exchange ?? '', { id: 'INV-000777', amount: 99.5 }, bug) },
    }),
    { transport, connection: broker, timeoutMs: 20_000 },
  );

describe('AMQP publishers with one bug each', () => {
  it('a message without the content_type property fails a contract declaring application/json', async () => {
    const report = await verifyWith('no-content-type');
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((x) => [x.code, x.path, x.expected, x.actual])).toEqual([['missing', 'contentType', 'application/json', undefined]]);
    expect(report.results[0]?.mismatches[0]?.message).toContain('Expected the content_type property "application/json" but the message has none');
  });

  it('a header sent as the string "1" fails the integer rule: AMQP headers carry their types', async () => {
    const report = await verifyWith('string-header');
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((x) => [x.path, x.actual])).toEqual([['x-attempt', '1']]);
    expect(report.results[0]?.mismatches[0]?.message).toMatch(/integer/i);
  });

  it('the correct publisher passes', async () => {
    const report = await verifyWith();
    expect(report.results.map((r) => [r.status, r.mismatches, r.error])).toEqual([['passed', [], undefined]]);
  });
});

describe('attribution on the broker: a message is the interaction whose trigger caused it', () => {
  const created = consumer('ledger')
    .expectsFrom('billing')
    .message('an invoice.created event')
    .on(amqpExchange('billing', 'invoice.created', { type: 'topic' }))
    .withPayload({ invoiceId: m.regex(/^INV-\d{6}$/, 'INV-000042') })
    .toInteraction();
  /** Needs less than invoice.created carries on its routing key: an invoice.created message would satisfy it, were it counted. */
  const paid = consumer('ledger')
    .expectsFrom('billing')
    .message('an invoice.paid event')
    .on(amqpExchange('billing', 'invoice.paid', { type: 'topic' }))
    .withPayload({ invoiceId: m.regex(/^INV-\d{6}$/, 'INV-000042') })
    .toInteraction();
  const both: Contract = { consumer: 'ledger', provider: 'billing', interactions: [created, paid], specVersion: '4.0', metadata: {}, source: 'contracts/ledger-billing.json' };

  // Both publishes are confirmed before the trigger resolves: however late the second reaches
  // Herald's capture, it is invoice.created's, and with triggersAwaitPublish only the drain says so.
  // The burst: 2 000 other messages (8 KiB each) between the two, so the capture is still receiving when the match is read.
  it.each([
    ['right after its match', 0, 0],
    ['300 ms after its match, before the trigger resolves', 300, 0],
    ['behind a burst of other messages', 0, 2_000],
  ])('an invoice.paid message the invoice.created trigger also publishes (%s) never satisfies invoice.paid, whose trigger published nothing', async (_when, delayMs, burst) => {
    // The billing service's channel, open for the run: the trigger resolves right after the broker's confirm.
    const connection = await amqp.connect(broker.url);
    const channel = await connection.createConfirmChannel();
    const filler = Buffer.alloc(8_192, 'x');
    const report = await verifyProviderOnBroker(
      [both],
      providerTriggers('billing', {
        triggers: {
          'an invoice.created event': async (_params, ctx: TriggerContext) => {
            const body = Buffer.from(JSON.stringify({ invoiceId: 'INV-000777' }));
            channel.publish(ctx.exchange ?? '', 'invoice.created', body, { contentType: 'application/json' });
            await channel.waitForConfirms();
            if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
            for (let i = 0; i < burst; i += 1) channel.publish(ctx.exchange ?? '', 'invoice.audit', Buffer.concat([Buffer.from(`${i}`), filler]), { contentType: 'text/plain' });
            // Bug: the handler also marks the invoice paid.
            channel.publish(ctx.exchange ?? '', 'invoice.paid', body, { contentType: 'application/json' });
            await channel.waitForConfirms();
          },
          'an invoice.paid event': async () => undefined,
        },
      }),
      { transport, connection: broker, timeoutMs: 3_000, triggersAwaitPublish: true },
    );
    await connection.close();
    const [createdResult, paidResult] = report.results;
    expect(createdResult?.status).toBe('passed');
    expect(createdResult?.notes).toEqual([expect.stringMatching(new RegExp(`^${1 + burst} other message\\(s\\) arrived on AMQP topic exchange`))]);
    expect(createdResult?.notes[0]).toMatch(/arrived on AMQP topic exchange .* after the match, before the next interaction on this channel began/);
    expect(paidResult).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TIMEOUT' } });
    expect(paidResult?.error?.message).toContain('nothing arrived');
  });
});
