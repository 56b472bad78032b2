/**
 * The billing service's AMQP publisher: declares its topic exchange, publishes each event with
 * its routing key, basic properties and headers on a confirm channel, and waits for the broker's
 * confirmation. The exchange name comes from configuration (`billing` by default).
 */
import amqp from 'amqplib';
import type { InvoicePublish } from './events';

export interface InvoicePublisherConfig {
  /** amqp://user:pass@host:5672/vhost */
  readonly url: string;
  /** Overrides the events' exchange (configuration per environment). */
  readonly exchange?: string;
}

export class InvoiceEventsPublisher {
  protected constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly exchange: string | undefined,
  ) {}

  /** Connects and declares the exchange; `this` may be a subclass (a publisher with its own routing). */
  static async connect(config: InvoicePublisherConfig, exchangeOfEvents = 'billing'): Promise<InvoiceEventsPublisher> {
    const connection = await amqp.connect(config.url);
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertExchange(config.exchange ?? exchangeOfEvents, 'topic', { durable: true });
      return new this(connection, channel, config.exchange);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  async publish(event: InvoicePublish): Promise<void> {
    const { contentType, ...properties } = event.properties;
    this.channel.publish(this.exchange ?? event.exchange, this.routingKeyOf(event), Buffer.from(JSON.stringify(event.body)), {
      ...properties,
      contentType,
      headers: event.headers,
      persistent: true,
    });
    await this.channel.waitForConfirms();
  }

  /** The routing key an event is published with. */
  protected routingKeyOf(event: InvoicePublish): string {
    return event.routingKey;
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close();
  }
}
