/**
 * The adapter compliance suite (`herald/compliance`): the jest tests every transport adapter must
 * pass, run against the in-memory, Kafka and AMQP adapters and available to third-party ones.
 *
 * @example
 * import { describeTransportCompliance } from 'herald/compliance';
 * describeTransportCompliance('my-transport', {
 *   create: async () => new MyTransport(url),
 *   channel: () => channel('my', `herald-${randomUUID()}`),
 * });
 */
import { randomUUID } from 'node:crypto';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { JsonValue } from '../../contract/json';
import type { Channel } from '../../contract/model';
import { hasErrorCode, isHeraldError } from '../../errors/herald-error';
import type { CapturedMessage, HeaderValue, OutgoingMessage, TransportAdapter } from '../types';

export interface TransportComplianceOptions<T extends TransportAdapter = TransportAdapter> {
  /** A new, unconnected adapter; each test creates its own and closes it. */
  readonly create: () => Promise<T>;
  /** A channel no other test uses (unique topic / exchange name), so parallel runs never meet. */
  readonly channel: () => Channel;
  /** Creates what the channel needs on the broker (topic, exchange) before the test uses it. */
  readonly prepare?: (adapter: T, channel: Channel) => Promise<void>;
  /** Removes what `prepare` created; runs even when the test fails. */
  readonly cleanup?: (adapter: T, channel: Channel) => Promise<void>;
  /** What the transport carries (defaults from the channel: key for Kafka, properties for AMQP). */
  readonly supports?: { readonly key?: boolean; readonly properties?: boolean };
  /** How long to wait for a message that should arrive (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** How long to watch for a message that should not arrive (default 500 ms). */
  readonly quietMs?: number;
  /** Jest timeout of each test (default 60 000 ms). */
  readonly testTimeoutMs?: number;
}

const hex = (b: Buffer): string => b.toString('hex');

/** Header bytes or typed values: equal when a bytes-only transport (Kafka) carried the same text. */
function sameHeader(sent: HeaderValue, got: HeaderValue | undefined): boolean {
  if (got === undefined) return false;
  if (sent === null || got === null) return sent === got;
  if (Buffer.isBuffer(got) || Buffer.isBuffer(sent)) {
    const a = Buffer.isBuffer(sent) ? sent : Buffer.from(String(sent), 'utf8');
    const b = Buffer.isBuffer(got) ? got : Buffer.from(String(got), 'utf8');
    return a.equals(b);
  }
  return sent === got;
}

function bodyText(m: CapturedMessage): string {
  return m.body.toString('utf8');
}

/**
 * Defines the compliance tests for one adapter inside a `describe` block named after it.
 * Needs jest globals (describe, it, expect).
 */
export function describeTransportCompliance<T extends TransportAdapter>(name: string, options: TransportComplianceOptions<T>): void {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const quietMs = options.quietMs ?? 500;
  const testTimeout = options.testTimeoutMs ?? 60_000;

  const supportsKey = (c: Channel): boolean => options.supports?.key ?? isKafkaChannel(c);
  const supportsProperties = (c: Channel): boolean => options.supports?.properties ?? isAmqpChannel(c);

  /** Runs `fn` with a fresh adapter and channel; closes and cleans up whatever happens. */
  async function withAdapter(fn: (t: T, c: Channel) => Promise<void>): Promise<void> {
    const t = await options.create();
    const c = options.channel();
    try {
      await t.connect();
      await options.prepare?.(t, c);
      await fn(t, c);
    } finally {
      try {
        if (options.cleanup !== undefined) {
          const helper = await options.create();
          try {
            await options.cleanup(helper, c);
          } finally {
            await helper.close();
          }
        }
      } finally {
        await t.close();
      }
    }
  }

  // One key for every message: Kafka keeps order per partition only, and a key picks one partition.
  const text = (c: Channel, body: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    channel: c,
    body: Buffer.from(body, 'utf8'),
    ...(supportsKey(c) ? { key: 'compliance-key' } : {}),
    ...extra,
  });

  const expectCode = async (promise: Promise<unknown>, code: 'HERALD_TRANSPORT_TIMEOUT' | 'HERALD_TRANSPORT_CLOSED'): Promise<unknown> => {
    let error: unknown;
    try {
      await promise;
    } catch (e) {
      error = e;
    }
    expect(isHeraldError(error) ? error.code : error).toBe(code);
    return error;
  };

  describe(`${name} transport compliance`, () => {
    it(
      'round-trips body bytes, key, headers and properties intact',
      () =>
        withAdapter(async (t, c) => {
          await using capture = await t.startCapture(c);
          const body = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x80]), Buffer.from('{"é":"ü"}', 'utf8'), Buffer.from([0x0d, 0x0a, 0x00])]);
          const headers: Record<string, HeaderValue> = { 'trace-id': `t-${randomUUID()}`, 'x-bytes': Buffer.from([0, 1, 2, 254, 255]), 'x-text': 'ünïcödé ✓' };
          const properties: Record<string, JsonValue> = {
            correlationId: 'corr-1',
            messageId: 'msg-1',
            replyTo: 'replies',
            type: 'OrderPlaced',
            appId: 'herald-compliance',
            priority: 3,
            deliveryMode: 2,
          };
          const key = Buffer.from([0x6b, 0x00, 0xff]);
          await t.publish({
            channel: c,
            body,
            headers,
            contentType: 'application/octet-stream',
            ...(supportsKey(c) ? { key } : {}),
            ...(supportsProperties(c) ? { properties } : {}),
          });
          const got = await capture.next({ timeoutMs });
          expect(hex(got.body)).toBe(hex(body));
          for (const [header, value] of Object.entries(headers)) {
            expect({ header, same: sameHeader(value, got.headers[header]) }).toEqual({ header, same: true });
          }
          if (supportsKey(c)) expect(got.key === undefined || got.key === null ? got.key : hex(got.key)).toBe(hex(key));
          if (supportsProperties(c)) expect(got.properties).toMatchObject(properties);
          expect(got.contentType).toBe('application/octet-stream');
          expect(got.channel.transport).toBe(c.transport);
          if (isKafkaChannel(c) && isKafkaChannel(got.channel)) expect(got.channel.topic).toBe(c.topic);
          if (isAmqpChannel(c) && isAmqpChannel(got.channel)) expect(got.channel.exchange).toBe(c.exchange);
        }),
      testTimeout,
    );

    it(
      'sees what is published after the capture started, and nothing published before',
      () =>
        withAdapter(async (t, c) => {
          await t.publish(text(c, 'before'));
          await using capture = await t.startCapture(c);
          await t.publish(text(c, 'after-1'));
          await t.publish(text(c, 'after-2'));
          expect(bodyText(await capture.next({ timeoutMs }))).toBe('after-1');
          expect(bodyText(await capture.next({ timeoutMs }))).toBe('after-2');
          await expectCode(capture.next({ timeoutMs: quietMs }), 'HERALD_TRANSPORT_TIMEOUT');
          expect(capture.captured().map(bodyText)).toEqual(['after-1', 'after-2']);
        }),
      testTimeout,
    );

    it(
      'is ready when startCapture resolves: a message published at once is seen, every time',
      () =>
        withAdapter(async (t, c) => {
          for (let round = 0; round < 3; round += 1) {
            await using capture = await t.startCapture(c);
            await t.publish(text(c, `round-${round}`));
            expect(bodyText(await capture.next({ timeoutMs }))).toBe(`round-${round}`);
          }
        }),
      testTimeout,
    );

    it(
      'a capture that can drain holds every message published before the drain once it resolves, without reading',
      () =>
        withAdapter(async (t, c) => {
          await using capture = await t.startCapture(c);
          // drain is optional (a run without it waits for a quiet period): nothing to check then.
          if (capture.drain === undefined) return;
          for (let round = 0; round < 3; round += 1) {
            const sent = Array.from({ length: 5 }, (_, i) => `drain-${round}-${i}`);
            for (const b of sent) await t.publish(text(c, b, supportsKey(c) ? { key: `k-${round}-${b}` } : {}));
            await capture.drain({ timeoutMs });
            expect(
              capture
                .captured()
                .map(bodyText)
                .filter((b) => b.startsWith(`drain-${round}-`))
                .sort(),
            ).toEqual(sent);
          }
          // Nothing published since: resolves too.
          await capture.drain({ timeoutMs });
          expect(capture.captured()).toHaveLength(15);
        }),
      testTimeout,
    );

    it(
      'delivers a message to every capture on the channel',
      () =>
        withAdapter(async (t, c) => {
          await using first = await t.startCapture(c);
          await using second = await t.startCapture(c);
          await t.publish(text(c, 'both'));
          expect(bodyText(await first.next({ timeoutMs }))).toBe('both');
          expect(bodyText(await second.next({ timeoutMs }))).toBe('both');
        }),
      testTimeout,
    );

    it(
      'keeps the order of messages published on one key',
      () =>
        withAdapter(async (t, c) => {
          await using capture = await t.startCapture(c);
          const sent = Array.from({ length: 10 }, (_, i) => `m-${i}`);
          for (const b of sent) await t.publish(text(c, b));
          const got: string[] = [];
          for (let i = 0; i < sent.length; i += 1) got.push(bodyText(await capture.next({ timeoutMs })));
          expect(got).toEqual(sent);
        }),
      testTimeout,
    );

    it(
      'next({ where }) passes over other messages, which stay in captured()',
      () =>
        withAdapter(async (t, c) => {
          await using capture = await t.startCapture(c);
          await using subscription = await t.subscribe(c, () => undefined);
          for (const b of ['other-1', 'wanted', 'other-2']) await t.publish(text(c, b));
          const wanted = (m: CapturedMessage): boolean => bodyText(m) === 'wanted';
          expect(bodyText(await capture.next({ timeoutMs, where: wanted }))).toBe('wanted');
          expect(bodyText((await subscription.next({ timeoutMs, where: wanted })).message)).toBe('wanted');
          expect(bodyText(await capture.next({ timeoutMs }))).toBe('other-2');
          const error = await expectCode(capture.next({ timeoutMs: quietMs, where: wanted }), 'HERALD_TRANSPORT_TIMEOUT');
          expect(String((error as Error).message)).toMatch(/matching/);
          expect(capture.captured().map(bodyText)).toEqual(['other-1', 'wanted', 'other-2']);
        }),
      testTimeout,
    );

    it(
      'subscribe delivers to the handler and reports how it finished',
      () =>
        withAdapter(async (t, c) => {
          const handled: string[] = [];
          await using subscription = await t.subscribe(c, (m) => {
            handled.push(bodyText(m));
            if (bodyText(m) === 'bad') throw new Error('handler rejected it');
          });
          await t.publish(text(c, 'good'));
          await t.publish(text(c, 'bad'));
          const ok = await subscription.next({ timeoutMs });
          expect(bodyText(ok.message)).toBe('good');
          expect(ok.error).toBeUndefined();
          const failed = await subscription.next({ timeoutMs });
          expect(bodyText(failed.message)).toBe('bad');
          expect(failed.error).toBeInstanceOf(Error);
          expect(handled).toEqual(['good', 'bad']);
          expect(subscription.deliveries()).toHaveLength(2);
        }),
      testTimeout,
    );

    it(
      'next() rejects with HERALD_TRANSPORT_TIMEOUT within its timeout when nothing arrives',
      () =>
        withAdapter(async (t, c) => {
          await using capture = await t.startCapture(c);
          const started = performance.now();
          const error = await expectCode(capture.next({ timeoutMs: 300 }), 'HERALD_TRANSPORT_TIMEOUT');
          const elapsed = performance.now() - started;
          expect(elapsed).toBeGreaterThanOrEqual(290);
          expect(elapsed).toBeLessThan(300 + 2_000);
          expect(isHeraldError(error) && error.retriable).toBe(true);
          expect(String((error as Error).message)).toMatch(/within 300 ms/);
        }),
      testTimeout,
    );

    it(
      'close is idempotent, and `await using` disposes transport and captures',
      async () => {
        const c = options.channel();
        let leaked: { t: TransportAdapter; capture: { next: () => Promise<unknown> } } | undefined;
        {
          await using t = await options.create();
          await t.connect();
          await options.prepare?.(t, c);
          await using capture = await t.startCapture(c);
          leaked = { t, capture };
        }
        await expectCode(leaked.capture.next(), 'HERALD_TRANSPORT_CLOSED');
        await expectCode(leaked.t.publish(text(c, 'late')), 'HERALD_TRANSPORT_CLOSED');
        await expect(leaked.t.close()).resolves.toBeUndefined();
        await expect(leaked.t.close()).resolves.toBeUndefined();
        if (options.cleanup !== undefined) {
          const helper = await options.create();
          try {
            await options.cleanup(helper, c);
          } finally {
            await helper.close();
          }
        }
      },
      testTimeout,
    );

    it(
      'operations after close fail with HERALD_TRANSPORT_CLOSED, and waiting captures are released',
      () =>
        withAdapter(async (t, c) => {
          const capture = await t.startCapture(c);
          const waiting = capture.next({ timeoutMs: 60_000 });
          // Observe the rejection before closing, so it is never an unhandled rejection.
          const released = expectCode(waiting, 'HERALD_TRANSPORT_CLOSED');
          const started = performance.now();
          await t.close();
          await released;
          expect(performance.now() - started).toBeLessThan(10_000);
          for (const op of [() => t.connect(), () => t.publish(text(c, 'x')), () => t.startCapture(c), () => t.subscribe(c, () => undefined)]) {
            const error = await expectCode(op(), 'HERALD_TRANSPORT_CLOSED');
            expect(hasErrorCode(error, 'HERALD_TRANSPORT_CLOSED') && error.retriable).toBe(false);
          }
          await expect(capture.stop()).resolves.toBeUndefined();
          await expect(capture.stop()).resolves.toBeUndefined();
        }),
      testTimeout,
    );

    it(
      'a stopped capture keeps what it captured and stops waiting',
      () =>
        withAdapter(async (t, c) => {
          const capture = await t.startCapture(c);
          await t.publish(text(c, 'kept'));
          expect(bodyText(await capture.next({ timeoutMs }))).toBe('kept');
          await capture.stop();
          await capture.stop();
          await expectCode(capture.next({ timeoutMs: 60_000 }), 'HERALD_TRANSPORT_CLOSED');
          await t.publish(text(c, 'after-stop'));
          expect(capture.captured().map(bodyText)).toEqual(['kept']);
        }),
      testTimeout,
    );
  });
}
