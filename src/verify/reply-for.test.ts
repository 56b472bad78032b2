import { amqpQueue } from '../contract/channel';
import type { Contract, SyncMessageInteraction } from '../contract/model';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import { provider } from './provider';
import { replyFor } from './reply-for';
import { verifyProvider } from './verify-provider';

const authorise = consumer('push-client')
  .expectsFrom('push-server')
  .request('an authorise request')
  .on(amqpQueue('auth.rpc'))
  .withPayload({ deviceId: m.string('dev-1'), token: m.string('secret') })
  .withReply({ ok: m.boolean(true) });

const contractOf = (sync: SyncMessageInteraction): Contract => ({ consumer: 'push-client', provider: 'push-server', specVersion: '4.0', metadata: {}, interactions: [], synchronous: [sync] });

describe('replyFor', () => {
  it("keys the factory by the declaration's description and hands it the request", async () => {
    const seen: unknown[] = [];
    const replies = replyFor(authorise, (_params, request) => {
      seen.push(request.payload.deviceId);
      return { ok: true };
    });
    expect(Object.keys(replies)).toEqual(['an authorise request']);
    const report = await verifyProvider([contractOf(authorise.toInteraction())], provider('push-server', { messages: {}, replies }));
    expect(report.results.map((r) => r.status)).toEqual(['passed']);
    expect(seen).toEqual(['dev-1']);
  });

  it('fails, without calling the factory, a contract request that no longer satisfies the declaration', async () => {
    const stale = authorise.toInteraction();
    const oldRequest = { ...stale, request: { ...stale.request, contents: { ...stale.request.contents, content: { deviceId: 7 } }, matchingRules: {} } } as unknown as SyncMessageInteraction;
    let called = false;
    const replies = replyFor(authorise, () => {
      called = true;
      return { ok: true };
    });
    const report = await verifyProvider([contractOf(oldRequest)], provider('push-server', { messages: {}, replies }));
    expect(called).toBe(false);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.error?.code).toBe('HERALD_REQUEST_MISMATCH');
    expect(report.results[0]?.error?.message).toMatch(/\$\.deviceId[\s\S]*\$\.token|\$\.token[\s\S]*\$\.deviceId|deviceId/);
  });
});
