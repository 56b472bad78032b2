/**
 * HERALD_BROKER_WEBHOOK_HOSTS: the hosts webhooks may call, so a broker cannot be turned into a
 * request proxy. Entries are separated by commas or spaces: `ci.example.com`, `ci.example.com:8443`,
 * `*.example.com` (any subdomain), `127.0.0.1`, `[::1]:9000`. An empty list allows none.
 */

export interface WebhookHostRule {
  readonly host: string;
  /** Undefined: any port. */
  readonly port: string | undefined;
  readonly subdomains: boolean;
}

export function parseWebhookHosts(text: string | readonly string[] | undefined): WebhookHostRule[] {
  const entries = text === undefined ? [] : typeof text === 'string' ? text.split(/[\s,]+/) : text.flatMap((t) => t.split(/[\s,]+/));
  return entries
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const subdomains = entry.startsWith('*.');
      const rest = subdomains ? entry.slice(2) : entry;
      const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
      if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2], subdomains };
      const withPort = /^([^:]+):(\d+)$/.exec(rest);
      if (withPort !== null) return { host: withPort[1] ?? '', port: withPort[2], subdomains };
      return { host: rest, port: undefined, subdomains };
    });
}

export function describeWebhookHosts(rules: readonly WebhookHostRule[]): string {
  return rules.map((r) => `${r.subdomains ? '*.' : ''}${r.host.includes(':') ? `[${r.host}]` : r.host}${r.port === undefined ? '' : `:${r.port}`}`).join(', ');
}

/** Why `url` may not be called (scheme or host), or undefined when it may. */
export function webhookUrlRefusal(url: string, rules: readonly WebhookHostRule[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not an absolute URL. Give the full http(s) URL of the target.`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol} URLs are not allowed: webhooks call http or https targets only.`;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? '443' : '80') : parsed.port;
  const allowed = rules.some((rule) => (rule.subdomains ? host.endsWith(`.${rule.host}`) : rule.host === host) && (rule.port === undefined || rule.port === port));
  if (allowed) return undefined;
  if (rules.length === 0) return `webhooks are disabled on this broker: HERALD_BROKER_WEBHOOK_HOSTS is not set. Start the broker with HERALD_BROKER_WEBHOOK_HOSTS=${host} to allow this target.`;
  return `the host ${host}${parsed.port === '' ? '' : `:${parsed.port}`} is not in HERALD_BROKER_WEBHOOK_HOSTS (${describeWebhookHosts(rules)}). Add it to that list when the broker starts, or call an allowed host.`;
}
