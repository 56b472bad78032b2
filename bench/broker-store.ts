/**
 * Benchmark: the Herald Broker's storage at scale, over its HTTP API, on embedded PGlite (on disk)
 * and on PostgreSQL (HERALD_BENCH_POSTGRES_URL, default the native one on 127.0.0.1:5432; a fresh
 * database per run, dropped after).
 *
 *   npx tsx bench/broker-store.ts                      (npm run bench:broker-store: 1 000 pacticipants × 100 versions)
 *   npx tsx bench/broker-store.ts --quick              (100 × 10)
 *   npx tsx bench/broker-store.ts --pacticipants 200 --versions 20 --storage embedded|postgres|both
 *
 * Half the pacticipants are consumers, each with a pact with its own provider (the content changes
 * every 10 versions), half are providers. Measured:
 * 1. publish throughput: `POST /contracts/publish` of every consumer version (4 concurrent clients);
 *    provider versions recorded with `PUT …/branches/main/versions/{v}` (its own figure);
 * 2. can-i-deploy latency: `GET /matrix?…&environment=production` for sampled consumers and
 *    providers (their latest versions verified and deployed), p50 / p95, against the peer measured
 *    in the same run on the same broker: `GET /pacticipants/{p}/versions/{v}` (describe-version).
 * The load average (os.loadavg()) is printed beside the figures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startContractBroker, type StartedContractBroker } from '../src/contract-broker/index';
import { openPostgres } from '../src/contract-broker/storage/postgres';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    pacticipants: { type: 'string' },
    versions: { type: 'string' },
    storage: { type: 'string' },
    samples: { type: 'string' },
  },
});
const PACTICIPANTS = Number(values.pacticipants ?? (values.quick === true ? 100 : 1000));
const VERSIONS = Number(values.versions ?? (values.quick === true ? 10 : 100));
const SAMPLES = Number(values.samples ?? 50);
const STORAGE = values.storage ?? 'both';
const CONCURRENCY = 4;
const POSTGRES = process.env['HERALD_BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'bench-token';
const PAIRS = Math.max(1, Math.floor(PACTICIPANTS / 2));

const load = (): string =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${cpus().length} cores`;

function pact(consumer: string, provider: string, generation: number): string {
  const document = {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [
      {
        type: 'Asynchronous/Messages',
        description: 'an order event',
        key: 'k1',
        pending: false,
        contents: { content: { orderId: 'o-1', [`field${generation}`]: generation }, contentType: 'application/json', encoded: false },
        metadata: { contentType: 'application/json', kafka_topic: 'orders' },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  };
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

async function call(broker: StartedContractBroker, method: string, pathname: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${broker.url}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${pathname}: ${response.status} ${text.slice(0, 300)}`);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** Runs `work(i)` for i in [0, n) with `CONCURRENCY` in flight; returns the wall time in ms. */
async function pool(n: number, work: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next;
        next += 1;
        await work(i);
      }
    }),
  );
  return performance.now() - started;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function timed(n: number, request: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await request(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function run(label: string, broker: StartedContractBroker): Promise<void> {
  const consumer = (i: number): string => `consumer-${i}`;
  const provider = (i: number): string => `provider-${i}`;
  const last = `v${VERSIONS - 1}`;
  console.log(`\n${label}: ${PAIRS * 2} pacticipants × ${VERSIONS} versions (${load()})`);

  const publishes = PAIRS * VERSIONS;
  const publishMs = await pool(publishes, async (n) => {
    const [v, i] = [Math.floor(n / PAIRS), n % PAIRS];
    await call(broker, 'POST', '/contracts/publish', {
      pacticipantName: consumer(i),
      pacticipantVersionNumber: `v${v}`,
      branch: 'main',
      contracts: [{ consumerName: consumer(i), providerName: provider(i), specification: 'pact', contentType: 'application/json', content: pact(consumer(i), provider(i), Math.floor(v / 10)) }],
    });
  });
  console.log(`  publish: ${publishes} publications in ${(publishMs / 1000).toFixed(1)} s = ${((publishes / publishMs) * 1000).toFixed(0)} /s (${load()})`);

  const versionMs = await pool(publishes, async (n) => {
    const [v, i] = [Math.floor(n / PAIRS), n % PAIRS];
    await call(broker, 'PUT', `/pacticipants/${provider(i)}/branches/main/versions/v${v}`, {});
  });
  console.log(`  provider versions: ${publishes} in ${(versionMs / 1000).toFixed(1)} s = ${((publishes / versionMs) * 1000).toFixed(0)} /s (${load()})`);

  // The latest versions: verified and deployed (samples only, enough for the latency figures).
  const environment = (await call(broker, 'POST', '/environments', { name: 'production', production: true }))['uuid'] as string;
  const sampled = Array.from({ length: Math.min(SAMPLES, PAIRS) }, (_, k) => Math.floor((k * PAIRS) / Math.min(SAMPLES, PAIRS)));
  for (const i of sampled) {
    const served = await call(broker, 'GET', `/pacts/provider/${provider(i)}/consumer/${consumer(i)}/version/${last}`);
    const href = ((served['_links'] as Record<string, { href: string }>)['pb:publish-verification-results'] ?? { href: '' }).href;
    await call(broker, 'POST', new URL(href).pathname, { success: true, providerApplicationVersion: last, testResults: [] });
    await call(broker, 'POST', `/pacticipants/${provider(i)}/versions/${last}/deployed-versions/environment/${environment}`, {});
    await call(broker, 'POST', `/pacticipants/${consumer(i)}/versions/${last}/deployed-versions/environment/${environment}`, {});
  }

  const matrixOf = (name: string): string => `/matrix?q[][pacticipant]=${name}&q[][version]=${last}&latestby=cvp&environment=production`;
  // Warm-up, then the peer and the measurement alternately on the same broker.
  await call(broker, 'GET', matrixOf(consumer(sampled[0] ?? 0)));
  const peer = await timed(sampled.length * 2, (k) => call(broker, 'GET', `/pacticipants/${k % 2 === 0 ? consumer(sampled[k >> 1] ?? 0) : provider(sampled[k >> 1] ?? 0)}/versions/${last}`));
  let checked = 0;
  const canIDeploy = await timed(sampled.length * 2, async (k) => {
    const name = k % 2 === 0 ? consumer(sampled[k >> 1] ?? 0) : provider(sampled[k >> 1] ?? 0);
    const answer = await call(broker, 'GET', matrixOf(name));
    if ((answer['summary'] as { deployable: boolean | null }).deployable !== true) throw new Error(`can-i-deploy ${name} ${last}: expected deployable, got ${JSON.stringify(answer['summary'])}`);
    checked += 1;
  });
  console.log(
    `  can-i-deploy (${checked} answers, all deployable): p50 ${canIDeploy.p50.toFixed(1)} ms, p95 ${canIDeploy.p95.toFixed(1)} ms; ` +
      `describe-version peer p50 ${peer.p50.toFixed(1)} ms, p95 ${peer.p95.toFixed(1)} ms; ratio p50 ${(canIDeploy.p50 / peer.p50).toFixed(2)}× (${load()})`,
  );
}

async function main(): Promise<void> {
  if (STORAGE === 'embedded' || STORAGE === 'both') {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-bench-broker-'));
    const broker = await startContractBroker({ dataDir: dir, writeToken: TOKEN });
    try {
      await run('embedded PGlite (on disk)', broker);
    } finally {
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (STORAGE === 'postgres' || STORAGE === 'both') {
    const admin = openPostgres(POSTGRES);
    const name = `herald_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES);
    url.pathname = `/${name}`;
    const broker = await startContractBroker({ databaseUrl: url.toString(), writeToken: TOKEN });
    try {
      await run('PostgreSQL (127.0.0.1:5432)', broker);
    } finally {
      await broker.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
