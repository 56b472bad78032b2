/** The pure parts of webhooks: placeholders, the host allow-list and secret masking. */
import type { WebhookRequestSpec } from '../storage/repository';
import { parseWebhookHosts, webhookUrlRefusal } from './hosts';
import { REDACTED, redactSpec, scrub, secretsOf } from './redact';
import { fillPlaceholders, renderWebhookRequest } from './template';

const VARIABLES = { 'pactbroker.consumerName': 'orders ui', 'pactbroker.pactUrl': 'http://b/pacts/provider/p/consumer/c/pact-version/abc', 'pactbroker.consumerVersionTags': '' };

function spec(extra: Partial<WebhookRequestSpec> = {}): WebhookRequestSpec {
  return { method: 'POST', url: 'https://ci.example.com/build', headers: {}, body: null, username: null, password: null, ...extra };
}

describe('webhook placeholders', () => {
  it('fills known pactbroker variables and leaves unknown ones as written', () => {
    expect(fillPlaceholders('${pactbroker.consumerName} ${pactbroker.nope} ${other.x} [${pactbroker.consumerVersionTags}]', VARIABLES)).toBe('orders ui ${pactbroker.nope} ${other.x} []');
  });

  it('URL-encodes values in the URL, fills header values and every string inside a JSON body, and sends JSON as JSON', () => {
    const rendered = renderWebhookRequest(
      spec({
        url: 'https://ci.example.com/build?pact=${pactbroker.pactUrl}&c=${pactbroker.consumerName}',
        headers: { 'X-Consumer': '${pactbroker.consumerName}' },
        body: { text: 'pact ${pactbroker.pactUrl}', nested: [{ name: '${pactbroker.consumerName}' }], count: 3, quote: '"${pactbroker.consumerName}"' },
      }),
      VARIABLES,
    );
    expect(rendered.url).toBe(`https://ci.example.com/build?pact=${encodeURIComponent(VARIABLES['pactbroker.pactUrl'])}&c=orders%20ui`);
    expect(rendered.headers).toEqual({ 'X-Consumer': 'orders ui', 'Content-Type': 'application/json' });
    expect(JSON.parse(rendered.body ?? '')).toEqual({ text: `pact ${VARIABLES['pactbroker.pactUrl']}`, nested: [{ name: 'orders ui' }], count: 3, quote: '"orders ui"' });
  });

  it('sends a string body as it is, keeps a given Content-Type and adds basic auth', () => {
    const rendered = renderWebhookRequest(spec({ body: 'name=${pactbroker.consumerName}', headers: { 'content-type': 'text/plain' }, username: 'bob', password: 'pw' }), VARIABLES);
    expect(rendered.body).toBe('name=orders ui');
    expect(rendered.headers).toEqual({ 'content-type': 'text/plain', Authorization: `Basic ${Buffer.from('bob:pw').toString('base64')}` });
  });
});

describe('the webhook host allow-list', () => {
  const rules = parseWebhookHosts('ci.example.com, *.hooks.example.com  127.0.0.1:8080,[::1]');
  it.each([
    ['https://ci.example.com/x', true],
    ['http://CI.example.com:9000/x', true],
    ['https://a.b.hooks.example.com/', true],
    ['https://hooks.example.com/', false],
    ['https://ci.example.com.evil.org/', false],
    ['http://127.0.0.1:8080/', true],
    ['http://127.0.0.1/', false],
    ['http://[::1]:3000/', true],
    ['ftp://ci.example.com/', false],
    ['not a url', false],
  ])('%s allowed: %s', (url, allowed) => {
    expect(webhookUrlRefusal(url, rules) === undefined).toBe(allowed);
  });
  it('names the variable and the fix when nothing is allowed', () => {
    expect(webhookUrlRefusal('https://ci.example.com/', [])).toBe(
      'webhooks are disabled on this broker: HERALD_BROKER_WEBHOOK_HOSTS is not set. Start the broker with HERALD_BROKER_WEBHOOK_HOSTS=ci.example.com to allow this target.',
    );
  });
});

describe('webhook secrets', () => {
  const secret = spec({
    url: 'https://u:url-pass@ci.example.com/',
    headers: { Authorization: 'Bearer tok-123456', 'X-Api-Key': 'key-999', Accept: 'application/json' },
    username: 'bob',
    password: 'pw-1',
  });
  it('masks credential headers and the password in what the API shows', () => {
    expect(redactSpec(secret)).toEqual({ ...secret, headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, Accept: 'application/json' }, password: REDACTED });
  });
  it('removes every secret, whole or as the bare credential, from a log', () => {
    const rendered = renderWebhookRequest(secret, {});
    const log = `sent ${rendered.headers['Authorization'] ?? ''}; echoed {"authorization":"Bearer tok-123456"} tok-123456 key-999 pw-1 url-pass application/json`;
    const cleaned = scrub(log, secretsOf(secret, rendered.headers));
    for (const value of ['tok-123456', 'key-999', 'pw-1', 'url-pass', Buffer.from('bob:pw-1').toString('base64')]) expect(cleaned).not.toContain(value);
    expect(cleaned).toContain('application/json');
  });
});
