/**
 * pact-js 16 reads and verifies every step of a Herald flow: each step is a normal Pact V4
 * interaction (a Synchronous/Messages authorise, an Asynchronous/Messages push), the flow block in
 * `comments.herald.flow` does not disturb it, and a bound value keeps the rules of the value it
 * copies (pact-js rejects a push whose session id is not a UUID).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { providerWithMetadata } from '@pact-foundation/pact/src/messageProviderPact';
import { amqpExchange, amqpQueue, consumer, m, serializeContract, type MessageInteraction } from 'herald';
import { isSyncInteraction, type SyncMessageInteraction } from '../../src/contract/model';
import { parseReport, verifyWithPactJs } from '../interop/pact-js';

const SESSION = '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11';
const TIMEOUT = 60_000;
let dir = '';
let file = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'herald-flow-interop-'));
  const pair = consumer('push-client').expectsFrom('push-server');
  const flow = pair.flow('authorised push', (f) =>
    f
      .step('authorise', () =>
        pair
          .request('an authorise request')
          .given('a device is registered', { deviceId: 'dev-1' })
          .on(amqpQueue('push.auth'))
          .withPayload({ deviceId: m.string('dev-1') })
          .withReply({ sessionId: m.uuid(SESSION), ok: m.boolean(true) }),
      )
      .step('push', (from) =>
        pair
          .message('a push for the session')
          .on(amqpExchange('push.out', 'device.dev-1'))
          .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
          .withPayload({ text: m.string('hello') }),
      ),
  );
  const steps = flow.toInteractions();
  file = path.join(dir, 'push-client-push-server.json');
  await writeFile(
    file,
    serializeContract({
      consumer: 'push-client',
      provider: 'push-server',
      specVersion: '4.0',
      metadata: {},
      interactions: steps.filter((i): i is MessageInteraction => !isSyncInteraction(i)),
      synchronous: steps.filter((i): i is SyncMessageInteraction => isSyncInteraction(i)),
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const verify = (pushSession: string): Promise<unknown> =>
  verifyWithPactJs({
    provider: 'push-server',
    pactFile: file,
    stateHandlers: { 'a device is registered': async () => undefined },
    messageProviders: {
      'an authorise request': providerWithMetadata(() => ({ sessionId: SESSION, ok: true }), {}),
      'a push for the session': providerWithMetadata(() => ({ text: 'hi' }), {
        contentType: 'application/json',
        amqp_exchange: 'push.out',
        amqp_exchange_type: 'topic',
        amqp_routing_key: 'device.dev-1',
        'session-id': pushSession,
      }),
    },
  });

describe('pact-js 16 verifies the steps of a Herald flow', () => {
  it(
    'reads both steps and passes a provider that answers each as declared',
    async () => {
      const report = parseReport(await verify(SESSION));
      expect(report.result).toBe(true);
      expect(report.interactionResults.map((r) => [r.description, r.result]).sort()).toEqual([
        ['a push for the session', 'OK'],
        ['an authorise request', 'OK'],
      ]);
    },
    TIMEOUT,
  );

  it(
    "applies the rules of the copied value, not its example: any UUID passes (pact-js cannot check that it is the authorise reply's; Herald does)",
    async () => {
      const report = parseReport(await verify('7d444840-9dc0-11d1-b245-5ffdce74fad2'));
      expect(report.result).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "rejects a push whose bound session id breaks the rules of the authorise reply's session id",
    async () => {
      const outcome = await verify('session-1').then(
        () => undefined,
        (reason: unknown) => reason,
      );
      const report = parseReport(outcome);
      expect(report.result).toBe(false);
      expect(report.mismatches.map((mm) => mm.key ?? mm.path)).toEqual(['session-id']);
    },
    TIMEOUT,
  );
});
