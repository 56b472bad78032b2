/** amqplib and RabbitMQ failures, as Herald's coded transport errors. */
import { describeChannel, reasonOf, transportError } from 'herald/adapter-kit';
import { isHeraldError, type Channel, type HeraldError } from 'herald';

/**
 * The URL with its password hidden, for messages. The user information ends at the last `@`
 * (a password may hold a raw `@`, `/`, `?` or `#`); everything between the user's `:` and that
 * `@` is hidden, so no part of a password is ever printed.
 *
 * @example redactUrl('amqp://app:p@ss/w0rd@rabbit:5672/orders') // 'amqp://app:***@rabbit:5672/orders'
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (scheme === null) return url;
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return url;
  return `${scheme[0]}${userinfo.slice(0, colon)}:***@${rest.slice(at + 1)}`;
}

/** The virtual host a URL names: its path, decoded; "/" (RabbitMQ's default) when it has none. */
export function vhostOf(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  const rest = scheme === null ? url : url.slice(scheme[0].length);
  const afterAuth = rest.slice(rest.lastIndexOf('@') + 1);
  const slash = afterAuth.indexOf('/');
  if (slash < 0) return '/';
  const raw = afterAuth.slice(slash + 1).split(/[?#]/)[0] ?? '';
  if (raw === '') return '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

function detail(error: unknown): { code: unknown; message: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown };
  return { code: e.code, message: reasonOf(error) };
}

/** A failure to open the connection. */
export function connectError(error: unknown, url: string): HeraldError {
  if (isHeraldError(error)) return error;
  const { code, message } = detail(error);
  const where = redactUrl(url);
  if (/vhost/i.test(message) || /NOT[-_]ALLOWED/.test(message)) {
    const vhost = vhostOf(url);
    return transportError(
      'HERALD_TRANSPORT_AUTH_FAILED',
      `Failed to connect to RabbitMQ at ${where}: the virtual host ${JSON.stringify(vhost)} does not exist or this user may not use it (${message}). ` +
        `The vhost is the URL's path, URL-encoded: amqp://host:5672/${encodeURIComponent(vhost)} is ${JSON.stringify(vhost)}, amqp://host:5672/%2F (or no path) is the default "/". ` +
        `Fix the path, or create the vhost and grant the user access to it (rabbitmqctl add_vhost ${vhost}; rabbitmqctl set_permissions -p ${vhost} <user> ".*" ".*" ".*").`,
      { cause: error },
    );
  }
  if (/ACCESS[-_]REFUSED|\b403\b/.test(message)) {
    return transportError('HERALD_TRANSPORT_AUTH_FAILED', `Failed to connect to RabbitMQ at ${where}: the broker refused the credentials (${message}). Check the user name and password in the URL.`, {
      cause: error,
    });
  }
  const hint = typeof code === 'string' && CONNECT_CODES.has(code) ? '' : ' (is it an AMQP 0-9-1 port?)';
  return transportError('HERALD_TRANSPORT_CONNECT_FAILED', `Failed to connect to RabbitMQ at ${where}: ${message}${hint}. Check that the broker runs and the URL (HERALD_AMQP_URL) is right.`, {
    cause: error,
  });
}

/** A failure of an operation (publish, bind, consume…) on `channel`. */
export function operationError(error: unknown, operation: string, channel?: Channel): HeraldError {
  if (isHeraldError(error)) return error;
  const { code, message } = detail(error);
  const where = channel === undefined ? '' : ` on ${describeChannel(channel)}`;
  const ctx = { cause: error, ...(channel === undefined ? {} : { channel }) };
  if (/NOT_FOUND - no exchange/.test(message)) {
    return transportError(
      'HERALD_TRANSPORT_EXCHANGE_MISSING',
      `Failed to ${operation}${where}: the exchange does not exist (${message}). Declare it first (start its owner, or AmqpTransport#declareExchange), or create the transport with { declareExchanges: true }.`,
      ctx,
    );
  }
  if (/NOT_FOUND - no queue/.test(message)) {
    return transportError(
      'HERALD_TRANSPORT_QUEUE_MISSING',
      `Failed to ${operation}${where}: the queue does not exist (${message}). Declare it first (start the consumer that owns it, or AmqpTransport#declareQueue), or capture on the exchange it is bound to.`,
      ctx,
    );
  }
  if (/ACCESS[-_]REFUSED/.test(message) || code === 403) {
    return transportError('HERALD_TRANSPORT_AUTH_FAILED', `Failed to ${operation}${where}: the user may not do this (${message}). Grant the permission or use another user.`, ctx);
  }
  if (/PRECONDITION_FAILED - inequivalent arg/.test(message)) {
    return transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to ${operation}${where}: it exists with other settings (${message}). Declare it with the type and flags it already has.`, ctx);
  }
  if (/CONNECTION_FORCED|Connection closed|Socket closed|ECONNRESET|EPIPE|Unexpected close|heartbeat/i.test(message) || (typeof code === 'string' && CONNECT_CODES.has(code))) {
    return transportError('HERALD_TRANSPORT_DISCONNECTED', `Failed to ${operation}${where}: the connection to RabbitMQ was lost (${message}). Retry once the broker is back.`, ctx);
  }
  return transportError('HERALD_TRANSPORT_OPERATION_FAILED', `Failed to ${operation}${where}: ${message}. Read the broker logs for details.`, ctx);
}
