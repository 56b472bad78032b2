/**
 * The invoice.created event billing publishes on the AMQP topic exchange `billing`, mapped from
 * its domain. The publisher hands this to amqplib's channel.publish(exchange, routingKey, body, properties).
 */
import { randomUUID } from 'node:crypto';
import type { Currency, Invoice } from './invoices';
import { amountCents } from './invoices';

export const BILLING_EXCHANGE = 'billing';
export const INVOICE_CREATED = 'invoice.created';

export interface InvoiceCreated {
  readonly invoiceId: string;
  readonly orderId: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly amount: { readonly value: number; readonly currency: Currency };
  readonly lines: readonly { readonly description: string; readonly quantity: number; readonly unitPrice: number }[];
  readonly customer: { readonly id: string; readonly email: string };
}

/** One AMQP publish: where, the basic properties, the headers and the body. */
export interface InvoicePublish {
  readonly exchange: string;
  readonly routingKey: string;
  readonly properties: { readonly correlationId: string; readonly messageId: string; readonly type: string; readonly contentType: string; readonly contentEncoding: string };
  readonly headers: { readonly 'x-tenant': string };
  readonly body: InvoiceCreated;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

export function invoiceCreated(invoice: Invoice): InvoiceCreated {
  return {
    invoiceId: invoice.id,
    orderId: invoice.orderId,
    issuedOn: day(invoice.issuedOn),
    dueOn: day(invoice.dueOn),
    amount: { value: amountCents(invoice) / 100, currency: invoice.currency },
    lines: invoice.lines.map((line) => ({ description: line.description, quantity: line.quantity, unitPrice: line.unitPriceCents / 100 })),
    customer: { ...invoice.customer },
  };
}

/** The publish for a new invoice; `correlationId` ties it to the order event that caused it. */
export function invoiceCreatedPublish(invoice: Invoice, correlationId: string): InvoicePublish {
  return {
    exchange: BILLING_EXCHANGE,
    routingKey: INVOICE_CREATED,
    properties: { correlationId, messageId: randomUUID(), type: INVOICE_CREATED, contentType: 'application/json', contentEncoding: 'utf-8' },
    headers: { 'x-tenant': invoice.tenant },
    body: invoiceCreated(invoice),
  };
}
