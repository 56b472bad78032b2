/**
 * `herald verify --transport …`: option parsing (broker-source.integration.test.ts runs the real CLI
 * on the in-memory transport; the container tests run it on Kafka and RabbitMQ).
 */
import { parseVerifyArgs } from './verify-command';

function usageMessage(argv: readonly string[]): string {
  try {
    parseVerifyArgs(argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parseVerifyArgs(${argv.join(' ')}) did not fail`);
}

describe('parsing the broker options of herald verify', () => {
  it('reads transport, triggers, brokers (repeated or comma-separated), timeout and namespace', () => {
    expect(parseVerifyArgs(['-c', 'x', '--transport', 'kafka', '--triggers', 't.ts', '--brokers', 'a:1,b:2', '--brokers', 'c:3', '--timeout', '2500', '--no-namespace'])).toEqual({
      contracts: ['x'],
      broker: { transport: 'kafka', triggers: 't.ts', brokers: ['a:1', 'b:2', 'c:3'], startBroker: false, namespace: false, timeoutMs: 2500 },
      consumers: [],
      reporter: 'console',
      quiet: false,
    });
    expect(parseVerifyArgs(['-c', 'x', '-t', 'kafka', '--triggers', 't.ts', '--kafka-client', 'platformatic'])).toMatchObject({ broker: { transport: 'kafka', kafkaClient: 'platformatic' } });
    expect(parseVerifyArgs(['-c', 'x', '-t', 'kafka', '--triggers', 't.ts'])).not.toHaveProperty('broker.kafkaClient');
    expect(parseVerifyArgs(['-c', 'x', '-t', 'amqp', '--triggers', 't.ts', '--amqp-url', 'amqp://u:p@h', '--start-broker'])).toMatchObject({
      broker: { transport: 'amqp', amqpUrl: 'amqp://u:p@h', startBroker: true, namespace: true },
    });
  });

  it.each([
    [['-c', 'x', '--transport', 'kafka'], 'Missing --triggers'],
    [['-c', 'x', '--transport', 'nats', '--triggers', 't.ts'], 'Unknown transport "nats": use kafka, amqp, memory.'],
    [['-c', 'x', '--triggers', 't.ts'], '--triggers needs --transport'],
    [['-c', 'x', '-f', 'f.ts', '--brokers', 'a:1'], '--brokers applies to verification on a broker'],
    [['-c', 'x', '-f', 'f.ts', '--transport', 'kafka', '--triggers', 't.ts'], '--factories and --transport do not go together'],
    [['-c', 'x', '--transport', 'amqp', '--triggers', 't.ts', '--brokers', 'a:1'], '--brokers is for --transport kafka (got --transport amqp).'],
    [['-c', 'x', '--transport', 'kafka', '--triggers', 't.ts', '--timeout', 'soon'], 'Invalid --timeout "soon"'],
    [['-c', 'x'], 'or verify on a broker with --transport and --triggers'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});
