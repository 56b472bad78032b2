/** Keeping webhook secrets (credentials in headers, basic auth, URL user info) out of API answers and execution logs. */
import type { WebhookRequestSpec } from '../storage/repository';

export const REDACTED = '**********';

const SECRET_HEADER = /authorization|token|secret|password|api[-_]?key|cookie|signature/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The spec as the API shows it: secret header values and the password masked. */
export function redactSpec(spec: WebhookRequestSpec): WebhookRequestSpec {
  const headers = Object.fromEntries(Object.entries(spec.headers).map(([name, value]) => [name, isSecretHeader(name) ? REDACTED : value]));
  return { ...spec, headers, password: spec.password === null ? null : REDACTED };
}

/** Every secret value the spec carries, in the forms it may appear in a log. */
export function secretsOf(spec: WebhookRequestSpec, renderedHeaders: Readonly<Record<string, string>> = {}): string[] {
  const values: string[] = [];
  for (const headers of [spec.headers, renderedHeaders]) {
    for (const [name, value] of Object.entries(headers)) {
      if (!isSecretHeader(name) || value === '') continue;
      values.push(value);
      // "Bearer abc": the credential alone may be echoed too.
      const credential = /^\S+\s+(.+)$/.exec(value)?.[1];
      if (credential !== undefined && credential.length >= 4) values.push(credential);
    }
  }
  if (spec.password !== null && spec.password !== '') values.push(spec.password);
  try {
    const url = new URL(spec.url);
    if (url.password !== '') values.push(url.password, decodeURIComponent(url.password));
  } catch {
    // Not a URL: nothing more to hide.
  }
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by the mask. */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join(REDACTED), text);
}
