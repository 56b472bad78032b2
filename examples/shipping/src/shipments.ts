/** Shipping's domain: when an order is placed, plan a shipment for its items. */
export interface OrderPlaced {
  orderId: string;
  customerId: string;
  placedAt: string;
  total: number;
  currency: string;
  items: { sku: string; qty: number }[];
  shippingAddress: { street: string; city: string; postcode: string; country: string };
}

export interface Shipment {
  shipmentId: string;
  orderId: string;
  parcels: number;
  destination: string;
  traceId: string;
}

export interface ShipmentRepository {
  save(shipment: Shipment): Promise<void>;
}

export class InMemoryShipments implements ShipmentRepository {
  readonly saved: Shipment[] = [];
  async save(shipment: Shipment): Promise<void> {
    this.saved.push(shipment);
  }
}

const PARCEL_CAPACITY = 10;

/** Plans a shipment: one parcel per ten units. Throws on orders shipping cannot serve. */
export async function handleOrderPlaced(event: OrderPlaced, traceId: string, repository: ShipmentRepository): Promise<Shipment> {
  if (event.items.length === 0) throw new Error(`order ${event.orderId} has no items`);
  const units = event.items.reduce((sum, item) => {
    if (!Number.isInteger(item.qty) || item.qty <= 0) throw new Error(`order ${event.orderId}: invalid quantity ${item.qty} for ${item.sku}`);
    return sum + item.qty;
  }, 0);
  if (Number.isNaN(Date.parse(event.placedAt))) throw new Error(`order ${event.orderId}: placedAt is not a date`);
  const shipment: Shipment = {
    shipmentId: `shp-${event.orderId}`,
    orderId: event.orderId,
    parcels: Math.ceil(units / PARCEL_CAPACITY),
    destination: `${event.shippingAddress.city}, ${event.shippingAddress.country}`,
    traceId,
  };
  await repository.save(shipment);
  return shipment;
}
