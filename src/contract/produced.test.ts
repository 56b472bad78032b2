/** message(): what a factory returns, built as `{ ...details, payload, [PRODUCED]: true }` would be. */
import { isProducedMessage, message, type MessageDetails } from './produced';

const PRODUCED = Symbol.for('herald.produced-message');

/** Own keys in order, each with its value and whether it is an enumerable data property. */
function shape(value: object): [PropertyKey, unknown, boolean][] {
  return Reflect.ownKeys(value).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return [key, descriptor?.value, descriptor?.enumerable === true && descriptor.writable === true && 'value' in descriptor];
  });
}

const spread = (payload: unknown, details: object): object => ({ ...details, payload, [PRODUCED]: true });

describe('message', () => {
  const hidden = Object.defineProperty({ key: 'k' }, 'headers', { value: { a: '1' }, enumerable: false });
  const withSymbol = { key: 'k', [Symbol('extra')]: 1 };
  const ownProto = JSON.parse('{"key":"k","__proto__":{"headers":{"a":"1"}}}') as MessageDetails;
  const cases: [string, MessageDetails][] = [
    ['no details', {}],
    ['the usual keys, in the caller’s order', { headers: { 'event-type': 'OrderPlaced' }, key: 'order-1', contentType: 'application/json' }],
    ['every MessageDetails key', { key: 1, headers: {}, properties: { correlationId: 'c' }, contentType: 'text/plain', channel: { transport: 'kafka', topic: 't' }, metadata: { x: 1 } }],
    ['a key MessageDetails does not name', { key: 'k', trace: 'abc' } as MessageDetails],
    ['a payload key in the details (the argument wins)', { key: 'k', payload: 'ignored' } as MessageDetails],
    ['a non-enumerable key (not copied)', hidden],
    ['a symbol key', withSymbol as MessageDetails],
    ['an own __proto__ key (stays a key)', ownProto],
  ];

  it.each(cases)('has the keys, order and values of the spread for %s', (_name, details) => {
    const produced = message({ id: 1 }, details);
    expect(shape(produced)).toEqual(shape(spread({ id: 1 }, details)));
    expect(Object.getPrototypeOf(produced)).toBe(Object.prototype);
    expect(isProducedMessage(produced)).toBe(true);
  });

  it('keeps the payload when details are left out', () => {
    const produced = message('text');
    expect(produced.payload).toBe('text');
    expect(Object.keys(produced)).toEqual(['payload']);
  });
});
