/** @platformatic/kafka's own error classes map to the same codes as kafkajs' failures. */
import { loadPlatformaticKafka } from 'herald/platformatic-kafka';
import { kafkaTopic } from 'herald';
import { isPltConnectionFailure, platformaticKafkaError } from './errors';

const lib = loadPlatformaticKafka();
const brokers = ['127.0.0.1:9092'];
const attempts = (what: string, errors: Error[]): Error => new lib.MultipleErrors(`${what} failed ${errors.length} times.`, errors);

describe('platformaticKafkaError', () => {
  it('maps a broker that cannot be reached to a retriable HERALD_TRANSPORT_CONNECT_FAILED, or DISCONNECTED once connected', () => {
    const refused = attempts('metadata', [new lib.NetworkError('Connection to 127.0.0.1:9092 failed.', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })]);
    expect(isPltConnectionFailure(refused)).toBe(true);
    const before = platformaticKafkaError(refused, 'connect', brokers);
    expect([before.code, before.retriable]).toEqual(['HERALD_TRANSPORT_CONNECT_FAILED', true]);
    expect(before.message).toContain('no Kafka broker answered at 127.0.0.1:9092');
    expect(platformaticKafkaError(refused, 'publish', brokers, undefined, true).code).toBe('HERALD_TRANSPORT_DISCONNECTED');
  });

  it('maps UNKNOWN_TOPIC_OR_PARTITION in a response to HERALD_TRANSPORT_TOPIC_MISSING on the channel', () => {
    const error = attempts('produce', [new lib.ProtocolError('UNKNOWN_TOPIC_OR_PARTITION')]);
    const e = platformaticKafkaError(error, 'publish', brokers, kafkaTopic('orders'));
    expect([e.code, e.retriable, e.topic]).toEqual(['HERALD_TRANSPORT_TOPIC_MISSING', false, 'orders']);
  });

  it('keeps the client’s verdict on retrying: a loading coordinator is retriable, an invalid request is not', () => {
    const loading = platformaticKafkaError(attempts('joinGroup', [new lib.ProtocolError('COORDINATOR_LOAD_IN_PROGRESS')]), 'start a capture', brokers);
    expect([loading.code, loading.retriable]).toEqual(['HERALD_TRANSPORT_OPERATION_FAILED', true]);
    expect(loading.message).toContain('COORDINATOR_LOAD_IN_PROGRESS');
    const invalid = platformaticKafkaError(new lib.ProtocolError('INVALID_REQUIRED_ACKS'), 'publish', brokers);
    expect([invalid.code, invalid.retriable]).toEqual(['HERALD_TRANSPORT_OPERATION_FAILED', false]);
  });

  it('maps refused credentials and record size limits like kafkajs’', () => {
    expect(platformaticKafkaError(new lib.AuthenticationError('SASL authentication failed.'), 'connect', brokers).code).toBe('HERALD_TRANSPORT_AUTH_FAILED');
    expect(platformaticKafkaError(new lib.ProtocolError('TOPIC_AUTHORIZATION_FAILED'), 'publish', brokers).code).toBe('HERALD_TRANSPORT_AUTH_FAILED');
    expect(platformaticKafkaError(new lib.ProtocolError('MESSAGE_TOO_LARGE'), 'publish', brokers).code).toBe('HERALD_TRANSPORT_PUBLISH_FAILED');
  });
});
