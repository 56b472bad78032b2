import { hasErrorCode } from '../errors/herald-error';
import { parseContractTestArgs, parseDependency } from './contract-test-command';

const BASE = ['--triggered-by', 'provider', '--pacticipant', 'orders', '--version', '1.1.0', '--transport', 'kafka', '--triggers', 't.ts', '--image', 'herald/orders:{version}'];

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (hasErrorCode(error, 'HERALD_USAGE')) return error.message;
    throw error;
  }
  throw new Error('no usage error');
}

describe('herald contract-test arguments', () => {
  it('reads dependencies as name:port=image, image tags and registries included', () => {
    expect(parseDependency('store:7070=herald/orders-store:1.0.0')).toEqual({ name: 'store', port: 7070, image: 'herald/orders-store:1.0.0' });
    expect(parseDependency('db:5432=localhost:5000/postgres:16')).toEqual({ name: 'db', port: 5432, image: 'localhost:5000/postgres:16' });
  });

  it('rejects a dependency without a port, with an example', () => {
    expect(usageMessage(() => parseDependency('store=herald/orders-store:1.0.0'))).toMatch(/not name:port=image, e\.g\. --dependency store:7070=/);
    expect(usageMessage(() => parseDependency('store:70000=x'))).toMatch(/not name:port=image/);
  });

  it('rejects two dependencies with one name', () => {
    const argv = [...BASE, '--broker', 'http://127.0.0.1:9292', '--dependency', 'db:5432=a', '--dependency', 'db:5433=b'];
    expect(usageMessage(() => parseContractTestArgs(argv, {}))).toMatch(/names db twice/);
  });

  it("takes the broker from --broker, else HERALD_BROKER_URL, else the Pact CLI's PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN", () => {
    const parse = (argv: readonly string[], env: Record<string, string>): unknown => {
      const args = parseContractTestArgs(argv, env);
      return args === 'help' ? 'help' : args.broker;
    };
    expect(parse([...BASE, '--broker', 'http://a:1'], { HERALD_BROKER_URL: 'http://b:2' })).toEqual({ url: 'http://a:1', auth: undefined, timeoutMs: undefined });
    expect(parse(BASE, { HERALD_BROKER_URL: 'http://b:2', PACT_BROKER_BASE_URL: 'http://c:3' })).toEqual({ url: 'http://b:2', auth: undefined, timeoutMs: undefined });
    expect(parse(BASE, { PACT_BROKER_BASE_URL: 'http://c:3', PACT_BROKER_TOKEN: 't' })).toEqual({ url: 'http://c:3', auth: { token: 't' }, timeoutMs: undefined });
    expect(usageMessage(() => parseContractTestArgs(BASE, {}))).toMatch(/Missing the broker/);
  });

  it('publishes results only when asked', () => {
    const parsed = (extra: readonly string[]): unknown => {
      const args = parseContractTestArgs([...BASE, '--broker', 'http://a:1', ...extra], {});
      return args === 'help' ? 'help' : args.publishResults;
    };
    expect(parsed([])).toBe(false);
    expect(parsed(['--publish-results'])).toBe(true);
  });
});

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
