import type { message, provider, ProviderDefinition } from '../src/index';

export declare const EVENTS: readonly ['OrderPlaced', 'OrderPaid', 'OrderPacked', 'OrderShipped'];
export declare function description(i: number): string;

export interface OrderPlacedRecord {
  readonly key: string;
  readonly headers: { readonly 'event-type': string };
  readonly value: Record<string, unknown>;
}

export declare class OrdersService {
  seed(orderNumber: number): void;
  record(orderNumber: number): OrderPlacedRecord;
}

export declare function ordersFactories(herald: { readonly message: typeof message; readonly provider: typeof provider }, n: number): ProviderDefinition;
