/**
 * Triggers for the broker-outage fault suite (run by the real CLI): provider "outage", interactions
 * "event 00" … "event 39" (OUTAGE_COUNT, default 40), each publishing `{"n":<i>}` with the provider's own client (kafkajs, or
 * amqplib on a connection with heartbeat=1 and, like many services, no 'error' listener).
 *
 * - OUTAGE_PAUSE_AT=<i>, OUTAGE_CONTAINER=<id>: the trigger of "event <i>" runs `docker pause` first.
 * - OUTAGE_HANG=1: every trigger waits until Herald aborts it (the run is then always in progress).
 */
import { execFileSync } from 'node:child_process';
import amqp from 'amqplib';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { providerTriggers, type TriggerContext } from 'herald';

const pauseAt = process.env['OUTAGE_PAUSE_AT'] === undefined ? undefined : Number(process.env['OUTAGE_PAUSE_AT']);
let producer: Promise<Producer> | undefined;
let channel: Promise<amqp.ConfirmChannel> | undefined;
let model: amqp.ChannelModel | undefined;

/** Each interaction publishes its own `n`: identical bytes from a later trigger would count as a late duplicate of the first (captures.ts). */
async function publish(ctx: TriggerContext, n: number): Promise<void> {
  if (ctx.exchange !== undefined) {
    channel ??= (async () => {
      model = await amqp.connect(`${ctx.amqpUrl()}?heartbeat=1`);
      return model.createConfirmChannel();
    })();
    const ch = await channel;
    ch.publish(ctx.exchange, ctx.routingKey ?? '', Buffer.from(JSON.stringify({ n })), { contentType: 'application/json' });
    await ch.waitForConfirms();
    return;
  }
  producer ??= (async () => {
    const p = new Kafka({ clientId: 'outage', brokers: [...ctx.kafkaBrokers()], logLevel: logLevel.NOTHING, requestTimeout: 3_000, retry: { retries: 5 } }).producer();
    await p.connect();
    return p;
  })();
  await (await producer).send({ topic: ctx.topic ?? '', messages: [{ key: 'k-1', value: JSON.stringify({ n }), headers: { 'content-type': 'application/json' } }] });
}

export default providerTriggers('outage', {
  triggers: Object.fromEntries(
    Array.from({ length: Number(process.env['OUTAGE_COUNT'] ?? 40) }, (_, i) => [
      `event ${String(i).padStart(2, '0')}`,
      async (_params: unknown, ctx: TriggerContext) => {
        if (process.env['OUTAGE_HANG'] === '1') {
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          return;
        }
        if (i === pauseAt) execFileSync('docker', ['pause', process.env['OUTAGE_CONTAINER'] ?? '']);
        await publish(ctx, i);
      },
    ]),
  ),
  cleanup: async () => {
    await (await producer?.catch(() => undefined))?.disconnect();
    await model?.close().catch(() => undefined);
  },
});
