/**
 * An OrderPlaced schema and the producer's refactoring of it that renamed orderId to id: the same
 * bytes by position, another field by name. Used where a renamed writer must fail verification.
 */
export function renamedFieldSchemas(namespace: string) {
  const reader = {
    type: 'record',
    name: 'OrderPlaced',
    namespace,
    fields: [
      { name: 'orderId', type: 'string' },
      { name: 'qty', type: 'int' },
    ],
  };
  const renamed = {
    ...reader,
    fields: [
      { name: 'id', type: 'string' },
      { name: 'qty', type: 'int' },
    ],
  };
  return { reader, renamed };
}
