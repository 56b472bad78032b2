/**
 * Interop: pact-js (@pact-foundation/pact v16, `MessageProviderPact`, backed by the Rust verifier in
 * pact_ffi) verifies the contract files Herald writes, unchanged, against hand-written producers.
 *
 * Which files: both the committed `contracts/*.json` and a fresh copy. The committed files are what
 * providers fetch today, so they must verify as they are; the fresh copy, written by running the
 * examples' consumer tests in a child jest with HERALD_CONTRACTS_DIR set to a temp dir, proves the
 * writer as it is now produces verifiable files too (the committed ones could be stale). The same
 * checks run on both; the committed files are never written.
 *
 * The negative tests prove pact-js really applies Herald's matching rules (body and metadata): a
 * payload that breaks one rule must make the verification promise reject, with that rule's mismatch
 * and no other.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MessageProviders, MessageStateHandlers } from '@pact-foundation/pact';
import { amqpMessage, kafkaMessage, parseReport, verifyWithPactJs, type ReportMismatch, type VerificationReport } from './pact-js';
import { BillingService, OrdersService, type AmqpPublish, type KafkaRecord } from './producers';
import { REPO_ROOT, regenerateExampleContracts, type FreshContracts } from './regenerate-contracts';

const SHIPPING_ORDERS = 'shipping-orders.json';
const LEDGER_BILLING = 'ledger-billing.json';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
/** Per test: loading pact_ffi the first time takes a moment. */
const TIMEOUT = 30_000;

let fresh: FreshContracts | undefined;

beforeAll(async () => {
  fresh = await regenerateExampleContracts();
  // The examples must have written both files, or the fresh half of this suite would test nothing.
  expect(fresh.files).toEqual(expect.arrayContaining([LEDGER_BILLING, SHIPPING_ORDERS]));
}, 120_000);

afterAll(async () => {
  await fresh?.[Symbol.asyncDispose]();
});

/** Where each source keeps its contracts; the fresh directory exists only once beforeAll ran. */
const sources: readonly { readonly label: string; readonly dir: () => string }[] = [
  { label: 'committed contracts/', dir: () => path.join(REPO_ROOT, 'contracts') },
  {
    label: 'freshly written by the examples',
    dir: () => {
      if (fresh === undefined) throw new Error('Failed to locate the fresh contracts: beforeAll did not regenerate them. See the error above.');
      return fresh.dir;
    },
  },
];

/** The interactions in a contract file as written: description, V4 key and Herald owner (in `comments.herald`). */
async function interactionsIn(file: string): Promise<{ description: string; key: string | undefined; owner: string | undefined }[]> {
  const json: unknown = JSON.parse(await readFile(file, 'utf8'));
  const interactions = typeof json === 'object' && json !== null && 'interactions' in json && Array.isArray(json.interactions) ? json.interactions : [];
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const field = (o: unknown, name: string): unknown => (isRecord(o) ? o[name] : undefined);
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return interactions.map((i: unknown) => ({ description: String(field(i, 'description')), key: text(field(i, 'key')), owner: text(field(field(field(i, 'comments'), 'herald'), 'owner')) }));
}

/** description → V4 interaction key. */
async function interactionKeys(file: string): Promise<Record<string, string | undefined>> {
  return Object.fromEntries((await interactionsIn(file)).map((i) => [i.description, i.key]));
}

/** The reason a verification rejected; fails the test if it passed. */
async function rejectionOf(verification: Promise<unknown>): Promise<VerificationReport> {
  const outcome = await verification.then(
    () => ({ rejected: false as const }),
    (reason: unknown) => ({ rejected: true as const, reason }),
  );
  if (!outcome.rejected) throw new Error("Expected pact-js to reject the verification, but it passed: the contract's matching rules were not applied.");
  return parseReport(outcome.reason);
}

// ---- providers under test: a producer and the pact-js wiring for its contract ----

interface ProviderSetup {
  readonly messageProviders: MessageProviders;
  readonly stateHandlers: MessageStateHandlers;
  /** Provider states pact-js asked for, with their params, in order. */
  readonly statesSeen: { readonly state: string; readonly params: unknown }[];
}

type OrderPlacedRecord = ReturnType<OrdersService['orderPlaced']>;

/** The orders service, optionally with its OrderPlaced record bent by `tamper`. */
function ordersProvider(tamper: (record: OrderPlacedRecord) => KafkaRecord<unknown> = (r) => r): ProviderSetup {
  const orders = new OrdersService();
  const statesSeen: { state: string; params: unknown }[] = [];
  return {
    statesSeen,
    stateHandlers: {
      'an order exists': async (state, params) => {
        statesSeen.push({ state, params });
        orders.reset();
        orders.seedOrder(String(params?.['orderId']));
      },
    },
    messageProviders: {
      'an OrderPlaced event': kafkaMessage(() => tamper(orders.orderPlaced(TRACE_ID))),
      'an OrderCancelled event': kafkaMessage(() => orders.orderCancelled()),
    },
  };
}

type InvoiceCreatedPublish = ReturnType<BillingService['invoiceCreated']>;

/** The billing service, optionally with its invoice.created publish bent by `tamper`. */
function billingProvider(tamper: (publish: InvoiceCreatedPublish) => AmqpPublish<unknown> = (p) => p): ProviderSetup {
  const billing = new BillingService();
  const statesSeen: { state: string; params: unknown }[] = [];
  return {
    statesSeen,
    stateHandlers: {
      'an invoice was issued for an order': async (state, params) => {
        statesSeen.push({ state, params });
        billing.reset();
        billing.issueInvoiceFor(String(params?.['orderId']));
      },
    },
    messageProviders: {
      'an invoice.created event': amqpMessage(() => tamper(billing.invoiceCreated('globex-eu'))),
    },
  };
}

/** What the examples declare; anything else in these files has no producer here and fails pact-js. */
const EXAMPLE_INTERACTIONS: Readonly<Record<string, readonly string[]>> = {
  [SHIPPING_ORDERS]: ['an OrderCancelled event', 'an OrderPlaced event'],
  [LEDGER_BILLING]: ['an invoice.created event'],
};

describe.each(sources)('pact-js MessageProviderPact on Herald contracts ($label)', ({ dir }) => {
  it.each(Object.keys(EXAMPLE_INTERACTIONS))('%s holds exactly the interactions the examples declare', async (name) => {
    const found = await interactionsIn(path.join(dir(), name));
    // On failure the owner says which test file wrote a stray interaction into this directory.
    expect(found.map(({ description, owner }) => ({ description, owner })).sort((a, b) => a.description.localeCompare(b.description))).toEqual(
      (EXAMPLE_INTERACTIONS[name] ?? []).map((description) => ({ description, owner: expect.stringMatching(/^examples\//) })),
    );
  });

  it(
    'verifies shipping-orders.json (Kafka: topic, key, headers) against the orders producer',
    async () => {
      const file = path.join(dir(), SHIPPING_ORDERS);
      const provider = ordersProvider();
      const report = parseReport(await verifyWithPactJs({ provider: 'orders', pactFile: file, ...provider }));
      const keys = await interactionKeys(file);

      expect(report.result).toBe(true);
      expect(report.mismatches).toEqual([]);
      // pact-js read both interactions, including the V4 `key` Herald writes.
      expect([...report.interactionResults].sort((a, b) => a.description.localeCompare(b.description))).toEqual([
        { description: 'an OrderCancelled event', interactionKey: keys['an OrderCancelled event'], result: 'OK' },
        { description: 'an OrderPlaced event', interactionKey: keys['an OrderPlaced event'], result: 'OK' },
      ]);
      expect(provider.statesSeen).toEqual([{ state: 'an order exists', params: { orderId: 7 } }]);
    },
    TIMEOUT,
  );

  it(
    'verifies ledger-billing.json (AMQP: exchange, routing key, properties, headers) against the billing producer',
    async () => {
      const file = path.join(dir(), LEDGER_BILLING);
      const provider = billingProvider();
      const report = parseReport(await verifyWithPactJs({ provider: 'billing', pactFile: file, ...provider }));
      const keys = await interactionKeys(file);

      expect(report.result).toBe(true);
      expect(report.interactionResults).toEqual([{ description: 'an invoice.created event', interactionKey: keys['an invoice.created event'], result: 'OK' }]);
      expect(provider.statesSeen).toEqual([{ state: 'an invoice was issued for an order', params: { orderId: 'ord-42' } }]);
    },
    TIMEOUT,
  );

  const violations: readonly { readonly name: string; readonly file: string; readonly provider: string; readonly setup: () => ProviderSetup; readonly expected: Partial<ReportMismatch> }[] = [
    {
      name: 'rejects an OrderPlaced whose items[].qty is the string "1" (integer rule)',
      file: SHIPPING_ORDERS,
      provider: 'orders',
      setup: () => ordersProvider((r) => ({ ...r, value: { ...r.value, items: r.value.items.map((item, i) => (i === 1 ? { ...item, qty: String(item.qty) } : item)) } })),
      expected: { type: 'BodyMismatch', path: '$.items[1].qty' },
    },
    {
      name: 'rejects an OrderPlaced without customerId (required field)',
      file: SHIPPING_ORDERS,
      provider: 'orders',
      setup: () =>
        ordersProvider((r) => {
          const { customerId: _dropped, ...value } = r.value;
          return { ...r, value };
        }),
      expected: { type: 'BodyMismatch', path: '$', mismatch: 'Actual map is missing the following keys: customerId' },
    },
    {
      name: 'rejects an OrderPlaced whose Kafka key is not a UUID (metadata regex rule)',
      file: SHIPPING_ORDERS,
      provider: 'orders',
      setup: () => ordersProvider((r) => ({ ...r, key: `order-${r.key}` })),
      expected: { type: 'MetadataMismatch', key: 'kafka_key' },
    },
    {
      name: 'rejects an invoice.created whose x-tenant header breaks its regex',
      file: LEDGER_BILLING,
      provider: 'billing',
      setup: () => billingProvider((p) => ({ ...p, headers: { ...p.headers, 'x-tenant': 'Globex EU' } })),
      expected: { type: 'MetadataMismatch', key: 'x-tenant' },
    },
    {
      name: 'rejects an invoice.created whose unitPrice is an integer (decimal rule)',
      file: LEDGER_BILLING,
      provider: 'billing',
      setup: () => billingProvider((p) => ({ ...p, body: { ...p.body, lines: p.body.lines.map((l, i) => (i === 0 ? { ...l, unitPrice: Math.round(l.unitPrice) } : l)) } })),
      expected: { type: 'BodyMismatch', path: '$.lines[0].unitPrice' },
    },
  ];

  it.each(violations)(
    '$name',
    async ({ file, provider, setup, expected }) => {
      const report = await rejectionOf(verifyWithPactJs({ provider, pactFile: path.join(dir(), file), ...setup() }));

      expect(report.result).toBe(false);
      expect(report.mismatches).toEqual([expect.objectContaining(expected)]);
    },
    TIMEOUT,
  );
});
