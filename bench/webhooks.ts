/**
 * Benchmark: publishing with webhooks that cannot be delivered, against publishing without webhooks,
 * on one Herald Broker (embedded PGlite) in the same run.
 *
 *   npx tsx bench/webhooks.ts      (BENCH_N publications per side, default 30)
 *
 * Side A publishes to a consumer no webhook matches. Side B's consumer has two webhooks on every
 * event: one to a target that accepts the connection and never answers, one to a port nothing
 * listens on; both retried. Each side gets warm-up publications first; the sides alternate per
 * round so load drifts hit both. Prints mean ms per publication, the ratio B/A and the load average.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startContractBroker } from '../src/contract-broker/index';

const N = Number(process.env['BENCH_N'] ?? 30);

function pact(consumer: string, provider: string, n: number): string {
  const document = {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [{ type: 'Asynchronous/Messages', description: `event ${n}`, contents: { content: { n }, contentType: 'application/json', encoded: false } }],
    metadata: { pactSpecification: { version: '4.0' } },
  };
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

async function main(): Promise<void> {
  const hanging: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const target = createServer((_request, response) => hanging.push(response));
  target.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const hangPort = (target.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const refusedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const broker = await startContractBroker({ webhookHosts: '127.0.0.1', webhookTimeoutMs: 60_000, webhookRetryDelaysMs: [100, 100, 100] });
  const suffix = randomUUID().slice(0, 8);
  const [plain, hooked, provider] = [`plain-${suffix}`, `hooked-${suffix}`, `provider-${suffix}`];
  const events = ['contract_published', 'contract_content_changed', 'contract_requiring_verification_published'].map((name) => ({ name }));
  for (const port of [hangPort, refusedPort]) {
    const response = await fetch(`${broker.url}/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ consumer: { name: hooked }, events, request: { method: 'POST', url: `http://127.0.0.1:${port}/hook`, body: { pact: '${pactbroker.pactUrl}' } } }),
    });
    if (response.status !== 201) throw new Error(`webhook creation answered ${response.status}`);
  }
  async function publish(consumer: string, n: number): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${broker.url}/contracts/publish`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        pacticipantName: consumer,
        pacticipantVersionNumber: String(n),
        branch: 'main',
        contracts: [{ consumerName: consumer, providerName: provider, content: pact(consumer, provider, n) }],
      }),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`publish answered ${response.status}`);
    return performance.now() - started;
  }
  try {
    for (let n = 0; n < 5; n++) {
      await publish(plain, -1 - n);
      await publish(hooked, -1 - n);
    }
    const times = { plain: [] as number[], hooked: [] as number[] };
    for (let n = 0; n < N; n++) {
      times.plain.push(await publish(plain, n));
      times.hooked.push(await publish(hooked, n));
    }
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const [a, b] = [mean(times.plain), mean(times.hooked)];
    console.log(`publications per side: ${N}; held-open deliveries at the end: ${hanging.length}`);
    console.log(`A without webhooks:            ${a.toFixed(1)} ms per publication`);
    console.log(`B with a hanging and a refusing webhook: ${b.toFixed(1)} ms per publication`);
    console.log(
      `ratio B/A: ${(b / a).toFixed(2)}   load average: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await broker.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
