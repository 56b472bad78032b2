import { amqpExchange } from '../../index';
import type { CapturedMessage } from '../../transport/types';
import { fingerprint } from './captures';

describe('fingerprint (what makes a message a copy of another)', () => {
  const kafka: CapturedMessage = {
    channel: { transport: 'kafka', topic: 'orders', partition: 0 },
    key: Buffer.from('o-1'),
    headers: { 'trace-id': Buffer.from('abc') },
    properties: {},
    body: Buffer.from('{"id":1}'),
    partition: 0,
    offset: '4',
    timestamp: 1,
  };

  it('ignores where and when a Kafka record was stored: partition, offset, timestamp', () => {
    expect(fingerprint({ ...kafka, channel: { transport: 'kafka', topic: 'orders', partition: 2 }, partition: 2, offset: '9', timestamp: 2 })).toBe(fingerprint(kafka));
  });

  it('tells apart a different key, header, body or topic', () => {
    const print = fingerprint(kafka);
    expect(fingerprint({ ...kafka, key: Buffer.from('o-2') })).not.toBe(print);
    expect(fingerprint({ ...kafka, headers: { 'trace-id': Buffer.from('abd') } })).not.toBe(print);
    expect(fingerprint({ ...kafka, body: Buffer.from('{"id":2}') })).not.toBe(print);
    expect(fingerprint({ ...kafka, channel: { transport: 'kafka', topic: 'payments', partition: 0 } })).not.toBe(print);
  });

  it("ignores AMQP's timestamp property (the send time) but not the message id, and keeps header types apart", () => {
    const amqp: CapturedMessage = {
      channel: amqpExchange('billing', 'invoice.created'),
      headers: { 'x-attempt': 1 },
      properties: { messageId: 'm-1', timestamp: 100 },
      contentType: 'application/json',
      body: Buffer.from('{}'),
    };
    expect(fingerprint({ ...amqp, properties: { messageId: 'm-1', timestamp: 200 } })).toBe(fingerprint(amqp));
    expect(fingerprint({ ...amqp, properties: { messageId: 'm-2', timestamp: 100 } })).not.toBe(fingerprint(amqp));
    expect(fingerprint({ ...amqp, headers: { 'x-attempt': '1' } })).not.toBe(fingerprint(amqp));
  });
});
