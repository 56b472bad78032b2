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
import { m } from 'herald';
import { authoriseStep, pushContractText, pushPair, pushStep } from '../../src/__fixtures__/push-flow';
import { parseReport, verifyWithPactJs } from '../interop/pact-js';

const SESSION = '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11';
const TIMEOUT = 60_000;
let dir = '';
let file = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'herald-flow-interop-'));
  const pair = pushPair();
  const flow = pair.flow('authorised push', (f) =>
    f
      .step('authorise', () => authoriseStep(pair, SESSION))
      .step('push', (from) =>
        pushStep(pair)
          .withHeaders({ 'session-id': from((s) => s.authorise.reply.payload.sessionId) })
          .withPayload({ text: m.string('hello') }),
      ),
  );
  file = path.join(dir, 'push-client-push-server.json');
  await writeFile(file, pushContractText(flow.toInteractions()));
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
