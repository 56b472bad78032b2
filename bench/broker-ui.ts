/**
 * Benchmark: the broker's web pages against the API resources they are built from, same broker,
 * same run.
 *
 *   npx tsx bench/broker-ui.ts        (BENCH_CONSUMERS, default 30; BENCH_ROUNDS, default 20)
 *
 * An in-memory broker gets BENCH_CONSUMERS consumers, each with 3 versions publishing to one of 3
 * providers, and a verification per version. Then, after one warm-up each, the mean of
 * BENCH_ROUNDS GETs of:
 * - /ui (graph of every integration) vs GET /pacticipants (the API listing),
 * - /ui/integrations/{c}/{p} vs GET /matrix?q[][pacticipant]={c} (the matrix it filters),
 * - /ui/contracts/{c}/{p}/{sha} vs GET /pacts/…/pact-version/{sha} (the pact it renders),
 * - /ui/verifications/{id} vs GET its verification result.
 * Prints each mean, the ratio, and the load average (os.loadavg()).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startContractBroker } from '../src/contract-broker/index';
import { base64 } from '../src/contract-broker/__fixtures__/pacts';
import { uiPact } from '../src/contract-broker/__fixtures__/ui-pacts';

const CONSUMERS = Number(process.env['BENCH_CONSUMERS'] ?? 30);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 20);
const HTML = { Accept: 'text/html' };

async function main(): Promise<void> {
  await using broker = await startContractBroker();
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${broker.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  let sample = { consumer: '', provider: '', sha: '', verification: '' };
  for (let c = 0; c < CONSUMERS; c++) {
    const consumer = `consumer-${c}`;
    const provider = `provider-${c % 3}`;
    for (let v = 1; v <= 3; v++) {
      const pact = uiPact(consumer, provider, { topic: `topic-${c}`, note: `v${v}` });
      await call('POST', '/contracts/publish', {
        pacticipantName: consumer,
        pacticipantVersionNumber: `${v}.0.0`,
        branch: 'main',
        contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: base64(pact) }],
      });
      const served = await call('GET', `/pacts/provider/${provider}/consumer/${consumer}/version/${v}.0.0`);
      const links = served['_links'] as Record<string, { href: string; name?: string }>;
      const ids = (served['interactions'] as { _id: string }[]).map((i) => i._id);
      const result = await call('POST', new URL(links['pb:publish-verification-results']?.href ?? '').pathname, {
        success: v !== 2,
        providerApplicationVersion: `p-${v}`,
        testResults: ids.map((interactionId) => ({ interactionId, success: v !== 2, ...(v === 2 ? { mismatches: [{ attribute: 'body', identifier: '$.total', description: 'wrong type' }] } : {}) })),
      });
      sample = { consumer, provider, sha: links['pb:pact-version']?.name ?? '', verification: new URL((result['_links'] as { self: { href: string } }).self.href).pathname };
    }
  }
  const { consumer, provider, sha, verification } = sample;
  const mean = async (path: string, headers: Record<string, string> = {}): Promise<number> => {
    const get = async (): Promise<void> => {
      const response = await fetch(`${broker.url}${path}`, { headers });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
      await response.text();
    };
    await get();
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) await get();
    return (performance.now() - started) / ROUNDS;
  };
  const pairs: [string, string, string][] = [
    ['integrations graph', '/ui', '/pacticipants'],
    ['pair matrix', `/ui/integrations/${consumer}/${provider}`, `/matrix?q[][pacticipant]=${consumer}`],
    ['contract', `/ui/contracts/${consumer}/${provider}/${sha}`, `/pacts/provider/${provider}/consumer/${consumer}/pact-version/${sha}`],
    ['verification', `/ui/verifications/${verification.split('/').pop() ?? ''}`, verification],
  ];
  console.log(`broker UI bench: ${CONSUMERS} consumers × 3 versions, 3 providers, ${ROUNDS} rounds; ${cpus().length} cores`);
  for (const [name, page, api] of pairs) {
    const pageMs = await mean(page, HTML);
    const apiMs = await mean(api);
    console.log(`${name.padEnd(20)} page ${pageMs.toFixed(1).padStart(7)} ms   API ${apiMs.toFixed(1).padStart(7)} ms   ratio ${(pageMs / apiMs).toFixed(2)}×`);
  }
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
