/** The broker's web page over HTTP, in-process: content negotiation on `/`, each page's content, escaping of contract data, the optional webhook log. */
import { base64, unique } from '../__fixtures__/pacts';
import { uiPact } from '../__fixtures__/ui-pacts';
import { startContractBroker, type StartedContractBroker } from '../service';
import { prefersHtml } from './accept';
import { escapeHtml, html } from './html';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Repository } from '../storage/repository';
import { repositoryWebhookLog, webhooksSection, type WebhookExecutionView } from './webhooks';

jest.setTimeout(60_000);

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const HOSTILE = '<img src=x onerror="alert(1)">';
const HOSTILE_PAYLOAD = '</code></pre><script>alert(2)</script>';

let broker: StartedContractBroker;
beforeAll(async () => {
  broker = await startContractBroker();
});
afterAll(async () => {
  await broker.close();
});

async function send(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${broker.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

async function page(path: string): Promise<{ status: number; type: string | null; policy: string | null; text: string }> {
  const response = await fetch(`${broker.url}${path}`, { headers: { Accept: BROWSER_ACCEPT } });
  return { status: response.status, type: response.headers.get('content-type'), policy: response.headers.get('content-security-policy'), text: squash(await response.text()) };
}

/** Markup without the whitespace between tags (the templates are formatted for reading). */
function squash(markup: string): string {
  return markup.replace(/>\s+</g, '><');
}

const seg = encodeURIComponent;

/** Publishes `document` as `version` of its consumer; returns the stored pact (with `_id`s and the verification link). */
async function publish(document: Record<string, unknown>, version: string, branch = 'main'): Promise<{ sha: string; ids: string[]; results: string }> {
  const consumer = (document['consumer'] as { name: string }).name;
  const provider = (document['provider'] as { name: string }).name;
  await send('POST', '/contracts/publish', {
    pacticipantName: consumer,
    pacticipantVersionNumber: version,
    branch,
    contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: base64(document) }],
  });
  const pact = await send('GET', `/pacts/provider/${seg(provider)}/consumer/${seg(consumer)}/version/${seg(version)}`);
  const links = pact['_links'] as Record<string, { href: string; name?: string }>;
  return {
    sha: links['pb:pact-version']?.name ?? '',
    ids: (pact['interactions'] as { _id: string }[]).map((i) => i._id),
    results: new URL(links['pb:publish-verification-results']?.href ?? '').pathname,
  };
}

describe('content negotiation on /', () => {
  it('serves the web page to a browser and HAL JSON to API clients, curl and header-less requests', async () => {
    const asBrowser = await page('/');
    expect(asBrowser.status).toBe(200);
    expect(asBrowser.type).toMatch(/^text\/html/);
    expect(asBrowser.text).toContain('<h1>Integrations</h1>');
    for (const accept of ['application/hal+json', 'application/hal+json, application/json', '*/*', undefined]) {
      const response = await fetch(`${broker.url}/`, accept === undefined ? {} : { headers: { Accept: accept } });
      expect(response.headers.get('content-type')).toMatch(/^application\/hal\+json/);
      expect(response.headers.get('vary')).toBe('Accept');
      const index = (await response.json()) as { _links: Record<string, unknown> };
      expect(index._links['pb:publish-contracts']).toBeDefined();
    }
  });

  it('ranks media types by q value and specificity', () => {
    expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('text/*;q=0.9, application/json;q=0.5')).toBe(true);
    expect(prefersHtml('application/json, text/html')).toBe(false);
    expect(prefersHtml('text/html;q=0.5, application/hal+json')).toBe(false);
    expect(prefersHtml('text/html;q=0, */*')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('')).toBe(false);
  });
});

describe('the web page', () => {
  const provider = unique('orders-svc');
  const consumer = unique('billing');
  const hostile = `${HOSTILE}${unique('')}`;
  const production = unique('production');
  let good: { sha: string; ids: string[]; results: string };
  let failedId: number;

  beforeAll(async () => {
    const environment = await send('POST', '/environments', { name: production, production: true });
    good = await publish(uiPact(consumer, provider, { topic: 'orders' }), '1.0.0');
    await send('POST', good.results, { success: true, providerApplicationVersion: 'p-1', providerVersionBranch: 'main', testResults: good.ids.map((id) => ({ interactionId: id, success: true })) });
    await send('POST', `/pacticipants/${seg(provider)}/versions/p-1/deployed-versions/environment/${String(environment['uuid'])}`, {});
    const bad = await publish(uiPact(hostile, provider, { topic: 'orders.audit', note: HOSTILE_PAYLOAD }), '2.0.0', 'feat/<b>x</b>');
    const created = await send('POST', bad.results, {
      success: false,
      providerApplicationVersion: 'p-2',
      testResults: [
        { interactionId: bad.ids[0], success: false, mismatches: [{ attribute: 'body', identifier: '$.total', description: `Expected a decimal, got "12" ${HOSTILE}` }] },
        { interactionId: bad.ids[1], success: true },
      ],
    });
    failedId = Number(new URL((created['_links'] as { self: { href: string } }).self.href).pathname.split('/').pop());
  });

  it('draws each integration as an SVG edge labelled with its topics and exchanges, linked to the pair', async () => {
    const home = await page('/ui');
    expect(home.status).toBe(200);
    expect(home.policy).toContain("default-src 'none'");
    const edge =
      new RegExp(`<g class="edge ok" data-consumer="${consumer}" data-provider="${provider}"\\s*><a href="/ui/integrations/${consumer}/${provider}">[\\s\\S]*?</g\\s*>`).exec(home.text)?.[0] ?? '';
    expect(edge).toContain('>topic orders</text>');
    expect(edge).toContain('>exchange pricing · quote.request</text>');
    expect(home.text).toContain(`<g class="edge fail" data-consumer="${escapeHtml(hostile)}"`);
    expect(home.text).toContain('No webhooks configured on this broker.');
  });

  it('shows the pair matrix: versions, branches, pact, result and a link to the failed verification', async () => {
    const pair = await page(`/ui/integrations/${seg(hostile)}/${seg(provider)}`);
    expect(pair.status).toBe(200);
    const row = /<tr class="fail">[\s\S]*?<\/tr>/.exec(pair.text)?.[0] ?? '';
    expect(row).toContain('<td>2.0.0</td>');
    expect(row).toContain('<span class="tag">feat/&lt;b&gt;x&lt;/b&gt;</span>');
    expect(row).toContain('<td>p-2</td>');
    expect(row).toContain('✘ failed');
    expect(row).toContain(`<a href="/ui/verifications/${failedId}">mismatches</a>`);
  });

  it('shows the environments each version is deployed in', async () => {
    const pair = await page(`/ui/integrations/${seg(consumer)}/${seg(provider)}`);
    const row = /<tr class="ok">[\s\S]*?<\/tr>/.exec(pair.text)?.[0] ?? '';
    expect(row).toContain(`<td>p-1</td><td><span class="tag">main</span></td><td><span class="tag">${production}</span></td>`);
    expect((await page('/ui')).text).toContain(`<span class="tag">${production}: p-1</span>`);
  });

  it('shows each message of a contract: channel, key, headers, payload, rules, usage, and the reply of a request/reply', async () => {
    const contract = await page(`/ui/contracts/${seg(consumer)}/${seg(provider)}/${good.sha}`);
    expect(contract.status).toBe(200);
    const [message, requestReply] = contract.text.split('<section class="card interaction"').slice(1);
    expect(message).toContain(`id="interaction-${good.ids[0] ?? ''}"`);
    expect(message).toContain('<code>topic orders</code>');
    expect(message).toContain('<dt>key</dt><dd><code>ord-1</code>');
    expect(message).toContain('<td><code>x-trace-id</code></td><td><code>&quot;trace-1&quot;</code></td>');
    expect(message).toContain('&quot;orderId&quot;: &quot;ord-1&quot;');
    expect(message).toContain('<td><code>$.orderId</code></td><td>AND</td><td><code>{&quot;match&quot;:&quot;regex&quot;,&quot;regex&quot;:&quot;^ord-\\\\d+$&quot;}</code></td>');
    expect(message).toMatch(
      /payload paths read<\/dt><dd><span class="tag">\$\.orderId<\/span><\/dd>\s*<dt>headers read<\/dt><dd><span class="tag">x-trace-id<\/span><\/dd>\s*<dt>key read<\/dt><dd>yes/,
    );
    expect(requestReply).toContain('request / reply');
    expect(requestReply).toContain('<code>exchange pricing · quote.request</code>');
    expect(requestReply).toMatch(/<h4>Reply<\/h4>[\s\S]*&quot;price&quot;: 3/);
  });

  it('lists per interaction whether it passed and the mismatches, linked to the message', async () => {
    const verification = await page(`/ui/verifications/${failedId}`);
    expect(verification.status).toBe(200);
    const [failed, passed] = verification.text.split('<section class="card result').slice(1);
    expect(failed).toContain('an order.created event</a><span class="status-fail">✘ failed</span>');
    expect(failed).toContain('<td><code>body $.total</code></td><td>Expected a decimal, got &quot;12&quot; &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>');
    expect(passed).toContain('a price quote</a><span class="status-ok">✔ passed</span>');
  });

  it('escapes every name and payload that comes from contracts', async () => {
    const paths = ['/ui', `/ui/integrations/${seg(hostile)}/${seg(provider)}`, `/ui/verifications/${failedId}`];
    const pair = await page(paths[1] ?? '');
    const sha = /\/ui\/contracts\/[^/]+\/[^/]+\/([0-9a-f]{64})/.exec(pair.text)?.[1] ?? '';
    paths.push(`/ui/contracts/${seg(hostile)}/${seg(provider)}/${sha}`);
    for (const path of paths) {
      const { text, status } = await page(path);
      expect(status).toBe(200);
      expect(text).not.toContain('<img');
      expect(text).not.toContain('<script');
      expect(text).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    }
    expect((await page(paths[3] ?? '')).text).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('answers an unknown page with a 404 page that says where to go', async () => {
    const missing = await page(`/ui/integrations/${seg(HOSTILE)}/nobody`);
    expect(missing.status).toBe(404);
    expect(missing.type).toMatch(/^text\/html/);
    expect(missing.text).toContain('Pick one from the graph on /ui.');
    expect(missing.text).not.toContain('<img');
  });
});

describe('the webhooks section', () => {
  const execution: WebhookExecutionView = {
    webhook: 'notify <ci>',
    event: 'contract_published',
    url: 'http://ci.example/hook?a=1&b=2',
    outcome: 'failed',
    attempts: 3,
    responseStatus: 503,
    error: 'target busy',
    at: '2026-01-01T00:00:00Z',
  };

  it("reads the broker's webhooks once per section, whether or not any was triggered", async () => {
    const reads: string[] = [];
    const webhook = { uuid: 'w1', description: 'notify ci', request: { url: 'http://ci.example/hook' } };
    const triggered = {
      uuid: 't1',
      webhookUuid: 'w1',
      eventName: 'contract_published',
      variables: {},
      status: 'failure',
      attemptsMade: 1,
      consumerName: 'c',
      providerName: 'p',
      createdAt: '2026-01-01T00:00:00Z',
    };
    const repository = (fired: boolean): Repository =>
      ({
        listWebhooks: () => (reads.push('webhooks'), Promise.resolve([webhook])),
        listTriggeredWebhooks: () => (reads.push('triggered'), Promise.resolve(fired ? [triggered] : [])),
        listWebhookExecutions: () => (reads.push('executions'), Promise.resolve([])),
      }) as unknown as Repository;
    expect((await webhooksSection(repositoryWebhookLog(repository(false)))).text).toContain('No webhook executions yet.');
    expect(reads).toEqual(['triggered', 'webhooks']);
    reads.length = 0;
    expect((await webhooksSection(repositoryWebhookLog(repository(true)))).text).toContain('notify ci');
    expect(reads).toEqual(['triggered', 'webhooks', 'executions']);
  });

  it('says none are configured when there is no webhook log', async () => {
    expect((await webhooksSection(undefined)).text).toContain('No webhooks configured on this broker.');
  });

  it('renders a log escaped, with the filter passed on', async () => {
    const calls: unknown[] = [];
    const log = {
      listWebhookExecutions(filter: unknown): Promise<WebhookExecutionView[]> {
        calls.push(filter);
        return Promise.resolve([execution]);
      },
    };
    const section = squash((await webhooksSection(log, { consumer: 'c', provider: 'p' })).text);
    expect(calls).toEqual([{ consumer: 'c', provider: 'p', limit: 50 }]);
    expect(section).toContain('<td>notify &lt;ci&gt;</td><td>contract_published</td><td><code>http://ci.example/hook?a=1&amp;b=2</code></td><td class="status-fail">failed</td><td>3</td>');
    expect(section).toContain('HTTP 503 <span class="status-fail">target busy</span>');
  });

  it("shows the broker's own webhook deliveries on the pair page: filled URL without credentials, status, no secret", async () => {
    const target = createServer((_request, response) => {
      response.writeHead(503, { 'Content-Type': 'text/plain' });
      response.end('busy');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as AddressInfo).port;
    const hooked = await startContractBroker({ webhookHosts: '127.0.0.1', webhookRetryDelaysMs: [], webhookTimeoutMs: 5_000 });
    try {
      const post = async (path: string, body: unknown): Promise<void> => {
        const response = await fetch(`${hooked.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        expect(response.status).toBeLessThan(300);
      };
      const document = uiPact('hook-consumer', 'hook-provider');
      await post('/webhooks', {
        description: 'notify <ci>',
        events: [{ name: 'contract_published' }],
        request: { method: 'POST', url: `http://ci-user:ci-pass@127.0.0.1:${port}/hook?c=\${pactbroker.consumerName}`, headers: { Authorization: 'Bearer s3cret-token' } },
      });
      await post('/contracts/publish', {
        pacticipantName: 'hook-consumer',
        pacticipantVersionNumber: '1',
        branch: 'main',
        contracts: [{ consumerName: 'hook-consumer', providerName: 'hook-provider', specification: 'pact', contentType: 'application/json', content: base64(document) }],
      });
      let text = '';
      for (let i = 0; i < 200 && !text.includes('status-fail">failed'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const response = await fetch(`${hooked.url}/ui/integrations/hook-consumer/hook-provider`, { headers: { Accept: BROWSER_ACCEPT } });
        text = squash(await response.text());
      }
      expect(text).toContain('<td>notify &lt;ci&gt;</td><td>contract_published</td>');
      expect(text).toContain(`<code>http://127.0.0.1:${port}/hook?c=hook-consumer</code>`);
      expect(text).toContain('status-fail">failed</td><td>1</td><td>HTTP 503');
      expect(text).not.toContain('ci-pass');
      expect(text).not.toContain('s3cret');
    } finally {
      await hooked.close();
      await new Promise((resolve) => target.close(resolve));
    }
  });
});

describe('html', () => {
  it('escapes interpolated text and keeps nested fragments', () => {
    expect(html`<p title="${'"x\' & <y>`'}">${html`<b>${'<i>'}</b>`}${['a', '<'] as const}${undefined}${false}${0}</p>`.text).toBe(
      '<p title="&quot;x&#39; &amp; &lt;y&gt;&#96;"><b>&lt;i&gt;</b>a&lt;0</p>',
    );
  });
});
