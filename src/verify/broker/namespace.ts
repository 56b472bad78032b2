/**
 * Run-scoped names. Every broker verification run gets a namespace (`herald-<8 hex>`) and renames
 * what it touches by appending it, so parallel runs (jest workers, CI jobs on one broker) never see
 * each other's messages:
 *
 *   Kafka topic        orders.v1         → orders.v1.herald-1a2b3c4d
 *   AMQP exchange      billing           → billing.herald-1a2b3c4d
 *   AMQP queue         ledger.invoices   → ledger.invoices.herald-1a2b3c4d
 *   consumer group     shipping          → shipping.herald-1a2b3c4d
 *   routing key, key, partition, headers: unchanged
 *
 * The code under test gets the namespaced names from its context (`ctx.topic`, `ctx.channel`,
 * `ctx.name(…)`); before matching, the namespace is removed from the captured channel again, so
 * the contract's `orders.v1` is compared with what the producer published minus the suffix.
 */
import { randomBytes } from 'node:crypto';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { Channel } from '../../contract/model';
import { HeraldError } from '../../errors/herald-error';

/** A run's names: `namespaced('orders.v1')` and back. `off()` keeps every name as the contract says. */
export interface RunNamespace {
  /** The suffix without its dot (`herald-1a2b3c4d`), or undefined when namespacing is off. */
  readonly id: string | undefined;
  /** `base.<id>`, or `base` when off. */
  name(base: string): string;
  /** The contract's channel as this run uses it: topic, exchange and queue renamed. */
  channel(c: Channel): Channel;
  /** A captured channel with the run's suffix removed from topic, exchange and queue (for matching). */
  strip(c: Channel): Channel;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A fresh namespace (`herald-` and 8 random hex digits), a given id, or none (`false`). */
export function runNamespace(id?: string | false): RunNamespace {
  if (id === false) {
    return { id: undefined, name: (base) => base, channel: (c) => c, strip: (c) => c };
  }
  const ns = id ?? `herald-${randomBytes(4).toString('hex')}`;
  if (!ID.test(ns)) {
    throw new HeraldError(
      'HERALD_USAGE',
      `Failed to use the namespace ${JSON.stringify(ns)}: it must be letters, digits, "_" and "-" (up to 64), starting with a letter or digit. Pass another one, or omit it for a random one.`,
    );
  }
  const suffix = `.${ns}`;
  const name = (base: string): string => (base === '' ? base : `${base}${suffix}`);
  const unname = (value: string): string => (value.endsWith(suffix) ? value.slice(0, -suffix.length) : value);
  return {
    id: ns,
    name,
    channel: (c) => {
      if (isKafkaChannel(c)) return { ...c, topic: name(c.topic) };
      if (isAmqpChannel(c)) {
        if (c.exchange === '') {
          // The default exchange routes by queue name: the routing key is the queue.
          const queue = name(c.queue ?? c.routingKey ?? '');
          return { ...c, queue, routingKey: queue };
        }
        return { ...c, exchange: name(c.exchange), ...(c.queue === undefined ? {} : { queue: name(c.queue) }) };
      }
      return c;
    },
    strip: (c) => {
      if (isKafkaChannel(c)) return { ...c, topic: unname(c.topic) };
      if (isAmqpChannel(c)) {
        const stripped = { ...c, exchange: unname(c.exchange), ...(c.queue === undefined ? {} : { queue: unname(c.queue) }) };
        return c.exchange === '' && c.routingKey !== undefined ? { ...stripped, routingKey: unname(c.routingKey) } : stripped;
      }
      return c;
    },
  };
}
