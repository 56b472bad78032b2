/**
 * Broker routing rules, as the in-memory transport applies them: AMQP exchange types (direct,
 * topic, fanout, headers) and Kafka's default partitioner.
 */
import type { AmqpExchangeType } from '../contract/model';
import type { HeaderValue } from './types';

/**
 * AMQP topic-exchange binding: words separated by ".", `*` matches exactly one word, `#` zero or
 * more words.
 *
 * @example
 * topicMatches('orders.*.created', 'orders.eu.created'); // true
 * topicMatches('orders.#', 'orders');                     // true
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey.split('.');
  // memo[i][j]: pattern words from i match key words from j
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const id = i * (k.length + 1) + j;
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === p.length) result = j === k.length;
    else if (p[i] === '#') result = match(i + 1, j) || (j < k.length && match(i, j + 1));
    else result = j < k.length && (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return match(0, 0);
}

/** True when a routing key is a topic pattern (has `*` or `#` words). */
export function isTopicPattern(routingKey: string): boolean {
  return routingKey.split('.').some((w) => w === '*' || w === '#');
}

function sameHeaderValue(bound: HeaderValue | undefined, actual: HeaderValue | undefined): boolean {
  if (Buffer.isBuffer(bound) || Buffer.isBuffer(actual)) {
    const a = bound === undefined || bound === null ? undefined : Buffer.isBuffer(bound) ? bound : Buffer.from(String(bound));
    const b = actual === undefined || actual === null ? undefined : Buffer.isBuffer(actual) ? actual : Buffer.from(String(actual));
    return a !== undefined && b !== undefined && a.equals(b);
  }
  return bound === actual;
}

/**
 * AMQP headers-exchange binding (RabbitMQ semantics): `x-match` is `all` (default) or `any`;
 * `all-with-x` / `any-with-x` also compare `x-` arguments. A binding argument with a void (null)
 * value only requires the header to be present.
 */
export function headersMatch(bindingArgs: Readonly<Record<string, HeaderValue>>, headers: Readonly<Record<string, HeaderValue>>): boolean {
  const mode = typeof bindingArgs['x-match'] === 'string' ? bindingArgs['x-match'] : 'all';
  const any = mode === 'any' || mode === 'any-with-x';
  const withX = mode.endsWith('-with-x');
  for (const [name, value] of Object.entries(bindingArgs)) {
    if (name === 'x-match' || (!withX && name.startsWith('x-'))) continue;
    const present = Object.prototype.hasOwnProperty.call(headers, name);
    const ok = present && (value === null || sameHeaderValue(value, headers[name]));
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  // `all` of no conditions holds; `any` of none does not (as in RabbitMQ).
  return !any;
}

/** Whether a queue bound to an exchange with `bindingKey` / `bindingArgs` receives a message. */
export function bindingMatches(
  type: AmqpExchangeType,
  binding: { readonly routingKey: string; readonly args?: Readonly<Record<string, HeaderValue>> },
  message: { readonly routingKey: string; readonly headers: Readonly<Record<string, HeaderValue>> },
): boolean {
  switch (type) {
    case 'fanout':
      return true;
    case 'direct':
      return binding.routingKey === message.routingKey;
    case 'topic':
      return topicMatches(binding.routingKey, message.routingKey);
    case 'headers':
      return headersMatch(binding.args ?? {}, message.headers);
  }
}

/** Kafka's murmur2 (Java client `Utils.murmur2`), as kafkajs's default partitioner uses it. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = Math.floor(length / 4);
  for (let i = 0; i < length4; i += 1) {
    const i4 = i * 4;
    let k = ((data[i4] as number) & 0xff) | (((data[i4 + 1] as number) & 0xff) << 8) | (((data[i4 + 2] as number) & 0xff) << 16) | (((data[i4 + 3] as number) & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = length % 4;
  const tail = length & ~3;
  if (rest === 3) h ^= ((data[tail + 2] as number) & 0xff) << 16;
  if (rest >= 2) h ^= ((data[tail + 1] as number) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (data[tail] as number) & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner picks for a key. */
export function partitionForKey(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
