/**
 * The ledger's AMQP consumer: binds its durable queue to billing's topic exchange for
 * `invoice.created`, records each invoice in the ledger and acknowledges it; an invoice it cannot
 * record is rejected without requeueing (to the dead-letter exchange in production) and reported.
 */
import amqp from 'amqplib';
import type { InvoiceCreated, Ledger } from './invoices';

export interface LedgerConsumerConfig {
  /** amqp://user:pass@host:5672/vhost */
  readonly url: string;
  /** Default `billing`. */
  readonly exchange?: string;
  /** Default `ledger.invoices`. */
  readonly queue?: string;
  readonly ledger: Ledger;
  /** Observability hook, called once per message: `error` is set when recording failed. */
  readonly onProcessed?: (message: amqp.ConsumeMessage, error?: unknown) => void;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/** Starts the consumer; resolves once the broker confirmed the subscription. */
export async function startLedgerConsumer(config: LedgerConsumerConfig): Promise<RunningConsumer> {
  const exchange = config.exchange ?? 'billing';
  const queue = config.queue ?? 'ledger.invoices';
  const connection = await amqp.connect(config.url);
  try {
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, exchange, 'invoice.created');
    await channel.prefetch(10);
    await channel.consume(queue, (message) => {
      if (message === null) return;
      try {
        const invoice: InvoiceCreated = JSON.parse(message.content.toString('utf8'));
        config.ledger.record(invoice, String(message.properties.correlationId ?? ''));
      } catch (error) {
        channel.nack(message, false, false);
        config.onProcessed?.(message, error);
        return;
      }
      channel.ack(message);
      config.onProcessed?.(message);
    });
    return {
      stop: async () => {
        await channel.close().catch(() => undefined);
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
