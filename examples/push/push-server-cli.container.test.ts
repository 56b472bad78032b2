/**
 * The push server's flow (authorise → push) through the real CLI on RabbitMQ:
 * `herald verify --transport amqp --amqp-url … --triggers examples/push/triggers.ts` publishes the
 * authorise request to the running auth service, checks its reply and correlation id, then captures
 * the push its trigger makes with the session of that reply. Defective servers (examples/push/defects/)
 * make it exit 1, naming the flow and the step that failed.
 *
 * Broker: startRabbitMqBroker() (HERALD_AMQP_URL for a running one, else a container of
 * HERALD_RABBITMQ_IMAGE). Without Docker this fails, never skips.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { defaultContractsDir, type InteractionResult } from 'herald';
import { startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const CONTRACT = path.relative(ROOT, path.join(defaultContractsDir(), 'push-client-push-server.json'));
const IMAGE = process.env['HERALD_RABBITMQ_IMAGE'] ?? 'herald/rabbitmq:3.10-debian';

let broker: StartedRabbitMqBroker | undefined;

beforeAll(async () => {
  broker = await startRabbitMqBroker({ image: IMAGE });
}, 300_000);

afterAll(async () => {
  await broker?.stop();
});

/** Runs the CLI on the push contract with `triggers`; the server in the triggers module reads HERALD_AMQP_URL. */
function verify(triggers: string, reporter = 'json'): Promise<{ code: number; stdout: string; stderr: string }> {
  const url = broker?.url;
  if (url === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  const args = ['verify', '--contracts', CONTRACT, '--transport', 'amqp', '--amqp-url', url, '--triggers', triggers, '--reporter', reporter, '--timeout', '5000'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', HERALD_AMQP_URL: url }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

const resultsOf = (stdout: string): InteractionResult[] => (JSON.parse(stdout) as { results: InteractionResult[] }).results;

describe('herald verify --transport amqp: the authorised push flow on RabbitMQ', () => {
  it('passes both steps in order with the real push server, exit 0', async () => {
    const run = await verify('examples/push/triggers.ts');
    expect(resultsOf(run.stdout).map((r) => [r.description, r.status, r.error?.code])).toEqual([
      ['an authorise request', 'passed', undefined],
      ['a push for the session', 'passed', undefined],
    ]);
    expect(run.code).toBe(0);
  });

  it('exits 1 naming step 1 when the auth service drops the correlation id, and does not run the push', async () => {
    const run = await verify('examples/push/defects/no-correlation-id.ts');
    const results = resultsOf(run.stdout);
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'HERALD_REPLY_UNCORRELATED'],
      ['failed', 'HERALD_FLOW_STEP_NOT_RUN'],
    ]);
    expect(results[0]?.error?.message).toContain('flow "authorised push", step 1 of 2 "authorise"');
    expect(run.code).toBe(1);
  });

  it('exits 1 naming step 2 when the push goes to another session, in the console report too', async () => {
    const run = await verify('examples/push/defects/other-session.ts', 'console');
    expect(run.stdout).toContain('flow "authorised push", step 2 of 2 "push"');
    expect(run.stdout).toContain('session-id');
    expect(run.code).toBe(1);
  });
});
