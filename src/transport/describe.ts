/** Channels in words, as error messages and reports name them. */
import { isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { Channel } from '../contract/model';

/**
 * Names a channel the way its broker does.
 *
 * @example
 * describeChannel(kafkaTopic('orders', { partition: 2 })); // 'Kafka topic "orders" (partition 2)'
 * describeChannel(amqpExchange('orders', 'order.created')); // 'AMQP topic exchange "orders" (routing key "order.created")'
 */
export function describeChannel(c: Channel): string {
  if (isKafkaChannel(c)) return `Kafka topic ${JSON.stringify(c.topic)}${c.partition === undefined ? '' : ` (partition ${c.partition})`}`;
  if (isAmqpChannel(c)) {
    if (c.exchange === '') return `AMQP queue ${JSON.stringify(c.queue ?? c.routingKey ?? '')} (default exchange)`;
    const type = c.exchangeType === undefined ? '' : `${c.exchangeType} `;
    const key = c.routingKey === undefined || c.routingKey === '' || c.exchangeType === 'fanout' ? '' : ` (routing key ${JSON.stringify(c.routingKey)})`;
    return `AMQP ${type}exchange ${JSON.stringify(c.exchange)}${key}`;
  }
  const name = (c as { readonly name?: unknown }).name;
  return `${c.transport} channel ${JSON.stringify(typeof name === 'string' ? name : '')}`;
}
