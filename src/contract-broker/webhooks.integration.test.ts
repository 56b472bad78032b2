/**
 * Webhooks end to end: the official Pact CLI creates them on a running Herald Broker, a Pact CLI
 * publication fires them at real local HTTP targets (one answering, one hanging, one refusing),
 * and the executions log is read over the API. Secrets stay out of answers and logs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startContractBroker, type StartedContractBroker } from 'herald/broker';
import { run as createWebhook } from '../cli/webhook-command';
import { base64, messagePact, unique } from './__fixtures__/pacts';

jest.setTimeout(120_000);

const PACT_BROKER = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'pact-broker');
const TOKEN = 'test-write-token';
const SECRET = 'hook-secret-42';
const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-webhooks-'));

interface Received {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A local HTTP target: /ok answers 200 echoing the request headers (so a leaked secret would reach the log), /hang never answers. */
class Target {
  readonly received: Received[] = [];
  readonly hanging = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      this.received.push({ url: request.url ?? '', headers: request.headers, body });
      if (request.url?.startsWith('/hang') === true) {
        this.hanging.add(response);
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ echoed: request.headers }));
    });
  });
  port = 0;
  async start(): Promise<this> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: a refusing target. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let target: Target;
let broker: StartedContractBroker;
const brokerLog: string[] = [];

beforeAll(async () => {
  target = await new Target().start();
  broker = await startContractBroker({
    writeToken: TOKEN,
    webhookHosts: '127.0.0.1',
    webhookTimeoutMs: 500,
    webhookRetryDelaysMs: [50, 100],
    log: (line) => brokerLog.push(line),
  });
});
afterAll(async () => {
  await broker.close();
  await target.close();
});

function pactBroker(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(PACT_BROKER, [...args, '--broker-base-url', broker.url, '--broker-token', TOKEN], { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

async function api(method: string, pathname: string, body?: unknown, on: StartedContractBroker = broker): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${on.url}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.status, json, text };
}

interface Webhook {
  uuid: string;
  consumer?: { name: string };
  request: { headers: Record<string, string> };
}

async function webhookOf(consumer: string): Promise<Webhook> {
  const { json } = await api('GET', '/webhooks');
  const found = ((json['_embedded'] as { webhooks: Webhook[] }).webhooks ?? []).find((w) => w.consumer?.name === consumer);
  if (found === undefined) throw new Error(`no webhook for ${consumer}`);
  return found;
}

interface Triggered {
  status: string;
  attemptsMade: number;
  eventName: string;
  _embedded: { executions: { attempt: number; success: boolean; logs: string }[] };
  _links: { 'pb:logs': { href: string } };
}

async function executions(uuid: string, on: StartedContractBroker = broker): Promise<Triggered[]> {
  const { status, json } = await api('GET', `/webhooks/${uuid}/executions`, undefined, on);
  expect(status).toBe(200);
  return (json['_embedded'] as { triggeredWebhooks: Triggered[] }).triggeredWebhooks;
}

function publishBody(consumer: string, provider: string, version: string): Record<string, unknown> {
  return {
    pacticipantName: consumer,
    pacticipantVersionNumber: version,
    branch: 'main',
    contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: base64(messagePact(consumer, provider)) }],
  };
}

describe('webhooks on the Herald Broker', () => {
  it('fires a webhook created with the Pact CLI when the Pact CLI publishes, with the pactbroker variables filled in URL, headers and body', async () => {
    const [consumer, provider] = [unique('ledger'), unique('billing')];
    const created = await pactBroker([
      'create-webhook',
      `http://127.0.0.1:${target.port}/ok?pact=\${pactbroker.pactUrl}`,
      '--request',
      'POST',
      '--header',
      'Content-Type: application/json',
      `Authorization: Bearer ${SECRET}`,
      'X-Consumer: ${pactbroker.consumerName}',
      '--data',
      '{"consumer":"${pactbroker.consumerName}","version":"${pactbroker.consumerVersionNumber}","branch":"${pactbroker.consumerVersionBranch}","tags":"${pactbroker.consumerVersionTags}","provider":"${pactbroker.providerName}","event":"${pactbroker.eventName}"}',
      '--consumer',
      consumer,
      '--contract-published',
      '--description',
      'trigger the billing build',
    ]);
    expect(created.output).not.toContain('rror');
    expect(created.code).toBe(0);
    const webhook = await webhookOf(consumer);
    expect(webhook.request.headers['Authorization']).toBe('**********');

    const pactFile = path.join(dir, `${unique('pact')}.json`);
    writeFileSync(pactFile, JSON.stringify(messagePact(consumer, provider)));
    const published = await pactBroker(['publish', pactFile, '--consumer-app-version', '2.0.0', '--branch', 'main', '--tag', 'rc']);
    expect(published.code).toBe(0);

    const request = await until('the webhook request', async () => target.received.find((r) => r.headers['x-consumer'] === consumer));
    expect(request.headers['authorization']).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(request.body)).toEqual({ consumer, version: '2.0.0', branch: 'main', tags: 'rc', provider, event: 'contract_published' });
    const pactUrl = new URL(request.url, 'http://target').searchParams.get('pact') ?? '';
    expect(pactUrl).toMatch(new RegExp(`^${broker.url}/pacts/provider/${provider}/consumer/${consumer}/pact-version/[0-9a-f]{64}$`));
    const pact = await fetch(pactUrl);
    expect(pact.status).toBe(200);

    const [triggered] = await until('a recorded success', async () => {
      const list = await executions(webhook.uuid);
      return list[0]?.status === 'success' ? list : undefined;
    });
    expect(triggered?.attemptsMade).toBe(1);
    const logs = triggered?._embedded.executions[0]?.logs ?? '';
    expect(logs).toContain('Response: 200');
    expect(logs).toContain(`"consumer":"${consumer}"`);
    // The target echoed the Authorization header back: masked in the log all the same.
    expect(logs).toContain('**********');
    expect(logs).not.toContain(SECRET);
    const text = await fetch(triggered?._links['pb:logs'].href ?? '');
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(await text.text()).toBe(logs);
    const status = await api('GET', `/pacts/provider/${provider}/consumer/${consumer}/webhooks/status`);
    expect(status.json['summary']).toEqual({ successful: 1, failed: 0, retrying: 0, notRun: 0 });
    expect(brokerLog.join('\n')).toContain(`webhook ${webhook.uuid} contract_published attempt 1/3: success`);
    expect(brokerLog.join('\n')).not.toContain(SECRET);
  });

  it("fires a webhook created with herald create-webhook on a failed verification, with the provider's variables and basic auth", async () => {
    const [consumer, provider] = [unique('c'), unique('p')];
    const out: string[] = [];
    const code = await createWebhook(
      [
        `http://127.0.0.1:${target.port}/ok?status=\${pactbroker.githubVerificationStatus}`,
        '--provider',
        provider,
        '--provider-verification-failed',
        '--header',
        'X-Provider: ${pactbroker.providerName}',
        'X-Version: ${pactbroker.providerVersionNumber}',
        '--user',
        'bob:pw-secret-77',
        '--broker-url',
        broker.url,
        '--broker-token',
        TOKEN,
      ],
      { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {} },
    );
    expect(code).toBe(0);
    expect(out.join('')).toContain(`provider_verification_failed and provider ${provider}`);
    expect((await api('POST', '/contracts/publish', publishBody(consumer, provider, '1'))).status).toBe(200);
    const pact = await api('GET', `/pacts/provider/${provider}/consumer/${consumer}/latest`);
    const resultsUrl = (pact.json['_links'] as Record<string, { href: string }>)['pb:publish-verification-results']?.href ?? '';
    const verification = await fetch(resultsUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ success: false, providerApplicationVersion: 'p-7', providerVersionBranch: 'main' }),
    });
    expect(verification.status).toBe(201);
    const request = await until('the verification webhook', async () => target.received.find((r) => r.headers['x-provider'] === provider));
    expect(request.url).toBe('/ok?status=failure');
    expect(request.headers['x-version']).toBe('p-7');
    expect(request.headers['authorization']).toBe(`Basic ${Buffer.from('bob:pw-secret-77').toString('base64')}`);
    const webhook = ((await api('GET', '/webhooks')).json['_embedded'] as { webhooks: { uuid: string; provider?: { name: string }; request: { password: string } }[] }).webhooks.find(
      (w) => w.provider?.name === provider,
    );
    expect(webhook?.request.password).toBe('**********');
    const [triggered] = await until('a recorded success', async () => {
      const list = await executions(webhook?.uuid ?? '');
      return list[0]?.status === 'success' ? list : undefined;
    });
    expect(triggered?.eventName).toBe('provider_verification_failed');
    expect(JSON.stringify(triggered)).not.toContain('pw-secret-77');
    expect(JSON.stringify(triggered)).not.toContain(Buffer.from('bob:pw-secret-77').toString('base64'));
  });

  it('creates, then updates, the webhook with the uuid create-or-update-webhook names', async () => {
    const [consumer, uuid] = [unique('c'), unique('hook')];
    const args = (description: string): string[] => [
      'create-or-update-webhook',
      `http://127.0.0.1:${target.port}/ok`,
      '--uuid',
      uuid,
      '--request',
      'POST',
      '--consumer',
      consumer,
      '--provider-verification-failed',
      '--description',
      description,
    ];
    expect((await pactBroker(args('first'))).code).toBe(0);
    expect((await pactBroker(args('second'))).code).toBe(0);
    const { json } = await api('GET', `/webhooks/${uuid}`);
    expect(json).toMatchObject({ uuid, description: 'second', consumer: { name: consumer }, events: [{ name: 'provider_verification_failed' }], enabled: true });
    expect((await api('DELETE', `/webhooks/${uuid}`)).status).toBe(204);
    expect((await api('GET', `/webhooks/${uuid}`)).status).toBe(404);
  });

  it("tests a webhook with the Pact CLI's test-webhook: one attempt now with the latest matching pact, not recorded", async () => {
    const [consumer, provider] = [unique('c'), unique('p')];
    const created = await api('POST', '/webhooks', {
      consumer: { name: consumer },
      events: [{ name: 'contract_content_changed' }],
      request: { method: 'POST', url: `http://127.0.0.1:${target.port}/ok`, headers: { 'X-Test': '${pactbroker.consumerVersionNumber}' } },
    });
    const uuid = String(created.json['uuid']);
    const before = await pactBroker(['test-webhook', '--uuid', uuid]);
    expect(before.code).not.toBe(0);
    expect(before.output).toContain('404');
    expect(JSON.stringify((await api('POST', `/webhooks/${uuid}/execute`)).json)).toContain('Publish a pact its consumer and provider match');
    expect((await api('POST', '/contracts/publish', publishBody(consumer, provider, '3.1'))).status).toBe(200);
    await until('the triggered delivery', async () => target.received.find((r) => r.headers['x-test'] === '3.1'));
    const delivered = target.received.length;
    const tested = await pactBroker(['test-webhook', '--uuid', uuid]);
    expect(tested.code).toBe(0);
    expect(tested.output).toContain('"success":true');
    expect(target.received.length).toBe(delivered + 1);
    expect(target.received[target.received.length - 1]?.headers['x-test']).toBe('3.1');
    expect(await executions(uuid)).toHaveLength(1);
  });

  it('refuses a webhook to a host outside HERALD_BROKER_WEBHOOK_HOSTS, and the Pact CLI shows why', async () => {
    const run = await pactBroker(['create-webhook', 'http://169.254.169.254/latest/meta-data', '--request', 'GET', '--contract-published']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('HERALD_BROKER_WEBHOOK_HOSTS');
    const direct = await api('POST', '/webhooks', { events: [{ name: 'contract_published' }], request: { method: 'GET', url: 'http://10.0.0.1:8080/' } });
    expect(direct.status).toBe(400);
    expect(JSON.stringify(direct.json['errors'])).toContain('the host 10.0.0.1:8080 is not in HERALD_BROKER_WEBHOOK_HOSTS (127.0.0.1)');
  });

  it('retries a hanging and a refusing target with back-off and records each failed attempt', async () => {
    const [consumer, provider] = [unique('c'), unique('p')];
    const port = await refusingPort();
    const hang = await api('POST', '/webhooks', { consumer: { name: consumer }, events: [{ name: 'contract_published' }], request: { method: 'POST', url: `http://127.0.0.1:${target.port}/hang` } });
    const refused = await api('POST', '/webhooks', { consumer: { name: consumer }, events: [{ name: 'contract_published' }], request: { method: 'POST', url: `http://127.0.0.1:${port}/x` } });
    expect([hang.status, refused.status]).toEqual([201, 201]);
    expect((await api('POST', '/contracts/publish', publishBody(consumer, provider, '1'))).status).toBe(200);
    for (const [webhook, reason] of [
      [hang, 'no answer in time'],
      [refused, 'ECONNREFUSED'],
    ] as const) {
      const [triggered] = await until('three failed attempts', async () => {
        const list = await executions(String(webhook.json['uuid']));
        return list[0]?.status === 'failure' ? list : undefined;
      });
      expect(triggered?.attemptsMade).toBe(3);
      expect(triggered?._embedded.executions.map((e) => [e.attempt, e.success])).toEqual([
        [1, false],
        [2, false],
        [3, false],
      ]);
      expect(triggered?._embedded.executions[0]?.logs).toContain(reason);
      expect(triggered?._embedded.executions[0]?.logs).toContain('Retrying in 50 ms.');
      expect(triggered?._embedded.executions[2]?.logs).toContain('Failed: no success after 3 attempt(s).');
    }
  });

  it('keeps publishing while a target hangs: the publication answers before the delivery does, and closing the broker ends the delivery', async () => {
    // Deliveries here wait up to a minute for an answer: a publish that waited for one would time the test out.
    const slow = await startContractBroker({ writeToken: TOKEN, webhookHosts: [`127.0.0.1:${target.port}`], webhookTimeoutMs: 60_000 });
    try {
      const [consumer, provider] = [unique('c'), unique('p')];
      const hang = await api(
        'POST',
        '/webhooks',
        { consumer: { name: consumer }, events: [{ name: 'contract_published' }], request: { method: 'POST', url: `http://127.0.0.1:${target.port}/hang?${consumer}` } },
        slow,
      );
      expect(hang.status).toBe(201);
      expect((await api('POST', '/contracts/publish', publishBody(consumer, provider, '1'), slow)).status).toBe(200);
      await until('the hanging delivery', async () => (target.received.some((r) => r.url.includes(consumer)) ? true : undefined));
      // The first delivery is still waiting for its answer; the next publication is not.
      expect((await api('POST', '/contracts/publish', publishBody(consumer, provider, '2'), slow)).status).toBe(200);
      const pending = await executions(String(hang.json['uuid']), slow);
      expect(pending.map((t) => t.attemptsMade)).toEqual([0, 0]);
    } finally {
      await slow.close();
    }
  });
});
