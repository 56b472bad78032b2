import { parseContractTestArgs } from './contract-test-command';

const base = ['--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.0.0', '--broker', 'http://b', '--triggers', 't.ts', '--image', 'herald/orders:{version}'];

describe('herald contract-test --kafka-client', () => {
  it('takes the Kafka client Herald captures with', () => {
    expect(parseContractTestArgs([...base, '-t', 'kafka', '--kafka-client', 'platformatic'], {})).toMatchObject({ transport: 'kafka', kafkaClient: 'platformatic' });
  });

  it('leaves the client to HERALD_KAFKA_CLIENT when not given', () => {
    expect(parseContractTestArgs([...base, '-t', 'kafka'], {})).toMatchObject({ kafkaClient: undefined });
  });

  it.each([
    [['-t', 'kafka', '--kafka-client', 'rdkafka'], /Unknown Kafka client "rdkafka" in --kafka-client: use kafkajs or platformatic/],
    [['-t', 'amqp', '--kafka-client', 'platformatic'], /--kafka-client is for --transport kafka \(got --transport amqp\)/],
  ])('refuses %j with HERALD_USAGE', (args, message) => {
    let error: unknown;
    try {
      parseContractTestArgs([...base, ...args], {});
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'HERALD_USAGE' });
    expect((error as Error).message).toMatch(message);
  });
});
