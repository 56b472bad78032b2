/**
 * Billing verifies the ledger's contract on a real RabbitMQ: its trigger runs issueInvoice(),
 * which publishes with the service's own amqplib publisher; Herald captures on the run's exchange
 * and checks body, basic properties, headers, exchange and routing key. Through the library API
 * and the real CLI (`herald verify --transport amqp`, with --amqp-url and with --start-broker).
 *
 * Broker: startRabbitMqBroker() (HERALD_AMQP_URL for a running one, else a container of
 * HERALD_RABBITMQ_IMAGE, default herald/rabbitmq:3.10-debian). Without Docker this fails, never skips.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { defaultContractsDir, loadContracts, verifyProvider, verifyProviderOnBroker, type Contract } from 'herald';
import { AmqpTransport, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';
import factories from './factories';
import { billingTriggers } from './triggers';
import type { InvoicePublish } from './src/events';
import { InvoiceEventsPublisher } from './src/publisher';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const CONTRACT = path.relative(ROOT, path.join(defaultContractsDir(), 'ledger-billing.json'));
const IMAGE = process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian';

let broker: StartedRabbitMqBroker;
let transport: AmqpTransport;
let contracts: Contract[];

beforeAll(async () => {
  contracts = await loadContracts([path.join(ROOT, CONTRACT)]);
  broker = await startRabbitMqBroker({ image: IMAGE });
  transport = new AmqpTransport({ url: broker.url });
}, 300_000);

afterAll(async () => {
  await transport?.close();
  await broker?.stop();
});

function herald(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('billing verifies the ledger’s contract on a real RabbitMQ', () => {
  it("passes with the service's real publisher, checking properties, headers, exchange and routing key, and leaves nothing behind", async () => {
    const report = await verifyProviderOnBroker(contracts, billingTriggers(), { transport, connection: broker, timeoutMs: 20_000 });
    const failures = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.description}: ${r.error?.message ?? JSON.stringify(r.mismatches)}`);
    expect(failures).toEqual([]);
    expect(report.summary).toMatchObject({ ok: true, passed: 1 });
    const { exchanges, queues } = report.broker.resources;
    expect(exchanges).toEqual([`billing.${report.broker.namespace}`]);
    expect(queues).toHaveLength(1);
    for (const queue of queues) expect(await transport.hasQueue(queue)).toBe(false);
    for (const exchange of exchanges) expect(await transport.hasExchange(exchange)).toBe(false);
  });

  it('passes through the real CLI with --transport amqp, exit 0', async () => {
    const run = await herald(['verify', '--contracts', CONTRACT, '--transport', 'amqp', '--amqp-url', broker.url, '--triggers', 'examples/billing-provider/triggers.ts']);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('✓ ledger → billing  1 passed');
    expect(run.code).toBe(0);
  });

  it('fails on the broker when the publisher uses the wrong routing key, while the factory check passes', async () => {
    /** A publisher whose routing key was "tidied up" to the plural. */
    class RenamedKeyPublisher extends InvoiceEventsPublisher {
      protected override routingKeyOf(event: InvoicePublish): string {
        return event.routingKey.replace('invoice.', 'invoices.');
      }
    }
    const triggers = billingTriggers((ctx) => RenamedKeyPublisher.connect({ url: ctx.amqpUrl(), ...(ctx.exchange === undefined ? {} : { exchange: ctx.exchange }) }));
    const abstract = await verifyProvider(contracts, factories);
    expect(abstract.summary).toMatchObject({ ok: true, passed: 1 });
    const onBroker = await verifyProviderOnBroker(contracts, triggers, { transport, connection: broker, timeoutMs: 20_000 });
    expect(onBroker.summary).toMatchObject({ ok: false, failed: 1 });
    expect(onBroker.results[0]?.mismatches.map((m) => [m.part, m.path, m.expected, m.actual])).toEqual([['metadata', 'amqp_routing_key', 'invoice.created', 'invoices.created']]);
  });
});

describe('herald verify --transport amqp --start-broker', () => {
  it('starts RabbitMQ in Docker for the run, verifies, and removes it', async () => {
    const run = await herald(['verify', '--contracts', CONTRACT, '--transport', 'amqp', '--start-broker', '--triggers', 'examples/billing-provider/triggers.ts'], {
      HERALD_AMQP_URL: '',
      HERALD_RABBITMQ_IMAGE: IMAGE,
      HERALD_PROGRESS_INTERVAL_MS: '0',
    });
    expect(run.stderr).toMatch(
      new RegExp(
        `^Starting RabbitMQ in Docker for this run \\(--start-broker; 5–15 s\\)…\\nStarted ${IMAGE.replace(/[.]/g, '\\.')} for this run in \\d+ ms \\(RabbitMQ, container [0-9a-f]{12}\\); it is removed afterwards\\.\\n$`,
      ),
    );
    expect(run.stdout.split('\n')[0]).toBe('✓ ledger → billing  1 passed');
    expect(run.code).toBe(0);
  });

  it('exits 2 naming the options when no broker is given', async () => {
    const run = await herald(['verify', '--contracts', CONTRACT, '--transport', 'amqp', '--triggers', 'examples/billing-provider/triggers.ts'], { HERALD_AMQP_URL: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error HERALD_USAGE: Failed to verify on AMQP: no broker given\. Pass --amqp-url .*, set HERALD_AMQP_URL, or add --start-broker/);
  });
});
