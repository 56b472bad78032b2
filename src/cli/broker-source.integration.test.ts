/**
 * `herald verify --transport memory`: the real CLI on the in-memory transport (option parsing is in
 * broker-source.test.ts; the container tests run it on Kafka and RabbitMQ).
 */
import { lastLine, verify } from '../../test/unit/cli/run-cli';

jest.setTimeout(120_000);

const TRIGGERS = 'src/cli/__fixtures__/orders-memory.triggers.ts';
const shipping = ['--contracts', 'contracts/shipping-orders.json'];
const noBrokerEnv = { HERALD_KAFKA_BROKERS: '', HERALD_AMQP_URL: '' };

describe('herald verify --transport memory', () => {
  it('verifies through the triggers and exits 0', async () => {
    const run = await verify([...shipping, '--transport', 'memory', '--triggers', TRIGGERS]);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('✓ shipping → orders  2 passed');
    expect(lastLine(run.stdout)).toMatch(/^2 passed, 0 failed, 0 pending, 0 without trigger, 0 state failed/);
    expect(run.code).toBe(0);
  });

  it('exits 1 with the mismatch when the published message lacks a header, in the json report too', async () => {
    const run = await verify([...shipping, '--transport', 'memory', '--triggers', TRIGGERS, '--reporter', 'json'], { HERALD_FIXTURE_BUG: 'trace' });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { summary: { failed: number }; results: { description: string; mismatches: { path: string; code: string }[] }[] };
    expect(report.summary.failed).toBe(1);
    expect(report.summary).toHaveProperty('producedBy', 'triggers');
    expect(report.results.find((r) => r.description === 'an OrderPlaced event')?.mismatches.map((m) => [m.path, m.code])).toEqual([['trace-id', 'missing']]);
  });

  it('exits 2 when a triggers module has no triggers', async () => {
    const run = await verify([...shipping, '--transport', 'memory', '--triggers', 'examples/orders-provider/factories.ts']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error HERALD_TRIGGERS_INVALID: Failed to load triggers from examples\/orders-provider\/factories\.ts: "triggers" is missing or not an object/);
  });

  it('exits 2 naming the remedies when Kafka or AMQP is asked for without a broker', async () => {
    const kafka = await verify([...shipping, '--transport', 'kafka', '--triggers', TRIGGERS], noBrokerEnv);
    expect(kafka.code).toBe(2);
    expect(kafka.stderr).toBe(
      'Error HERALD_USAGE: Failed to verify on Kafka: no broker given. Pass --brokers host:port, set HERALD_KAFKA_BROKERS, or add --start-broker to start one in Docker. Run "herald verify --help" for the usage.\n',
    );
  });

  it('exits 2 listing the clients when HERALD_KAFKA_CLIENT names an unknown one', async () => {
    const run = await verify([...shipping, '--transport', 'kafka', '--triggers', TRIGGERS, '--brokers', '127.0.0.1:1'], { HERALD_KAFKA_CLIENT: 'rdkafka' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Error HERALD_USAGE: Unknown Kafka client "rdkafka" in HERALD_KAFKA_CLIENT: use kafkajs or platformatic.');
  });
});
