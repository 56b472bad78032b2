import { kafkaTopic } from '../contract/channel';
import type { Channel } from '../contract/model';
import { isHeraldError, type HeraldError } from '../errors/herald-error';
import { BrokerTransport, bounded, type BeginOptions } from './broker-transport';
import { transportError } from './errors';
import { BufferedCapture } from './started';
import type { StartedCapture, StartedSubscription } from './types';

const channel = kafkaTopic('orders');

/** A protocol-free transport: each test scripts what starting a consumer does. */
class ScriptedTransport extends BrokerTransport {
  clientsClosed = 0;
  onCloseCalls = 0;
  start: (capture: BufferedCapture) => Promise<() => Promise<void>> = async () => async () => undefined;
  retryForMs = 0;

  constructor() {
    super({ name: 'scripted', cleanupTimeoutMs: 50 });
  }

  get openCount(): number {
    return this.started.length;
  }

  async connect(): Promise<void> {
    this.ensureOpen('connect');
  }

  async publish(): Promise<void> {
    this.ensureOpen('publish');
  }

  startCapture(c: Channel): Promise<BufferedCapture> {
    this.ensureOpen('start a capture', c);
    const options: BeginOptions<BufferedCapture> = {
      make: (onStop) => new BufferedCapture(c, { onStop }),
      start: (capture) => this.start(capture),
      retryForMs: this.retryForMs,
      retryDelayMs: 5,
    };
    return this.begin(options);
  }

  subscribe(): Promise<StartedSubscription> {
    throw new Error('not used');
  }

  lose(error: HeraldError): void {
    this.state.lose(error);
  }

  protected override onClose(): void {
    this.onCloseCalls += 1;
  }

  protected override async closeClients(): Promise<void> {
    this.clientsClosed += 1;
  }
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isHeraldError(error) ? error.code : error;
  }
  return 'resolved';
}

const retriable = (): HeraldError => transportError('HERALD_TRANSPORT_OPERATION_FAILED', 'Failed to join: coordinator loading. Retry.', { retriable: true });

describe('BrokerTransport', () => {
  it('closes once: every close() returns the same promise and closes the clients once', async () => {
    const t = new ScriptedTransport();
    const first = t.close();
    const second = t.close();
    expect(second).toBe(first);
    await Promise.all([first, second, t[Symbol.asyncDispose]()]);
    expect(t.clientsClosed).toBe(1);
    expect(t.onCloseCalls).toBe(1);
    expect(t.closed).toBe(true);
  });

  it('refuses operations after close with HERALD_TRANSPORT_CLOSED', async () => {
    const t = new ScriptedTransport();
    await t.close();
    expect(await codeOf(t.connect())).toBe('HERALD_TRANSPORT_CLOSED');
    expect(await codeOf(Promise.resolve().then(() => t.startCapture(channel)))).toBe('HERALD_TRANSPORT_CLOSED');
  });

  it('tracks a ready capture and stops it (running its cleanup once) on close', async () => {
    const t = new ScriptedTransport();
    let cleanups = 0;
    t.start = async () => async () => void (cleanups += 1);
    const capture = await t.startCapture(channel);
    expect(t.openCount).toBe(1);
    await t.close();
    expect(capture.ended).toBe(true);
    expect(cleanups).toBe(1);
    expect(t.openCount).toBe(0);
    await capture.stop();
    expect(cleanups).toBe(1);
  });

  it('removes a capture stopped by its user from the open set', async () => {
    const t = new ScriptedTransport();
    let cleanups = 0;
    t.start = async () => async () => void (cleanups += 1);
    const capture: StartedCapture = await t.startCapture(channel);
    await capture.stop();
    expect(t.openCount).toBe(0);
    await t.close();
    expect(cleanups).toBe(1);
  });

  it('stops a capture that becomes ready while the transport closes, before begin() returns', async () => {
    const t = new ScriptedTransport();
    let ready: () => void = () => undefined;
    let cleanups = 0;
    t.start = () =>
      new Promise((resolve) => {
        ready = () => resolve(async () => void (cleanups += 1));
      });
    const starting = t.startCapture(channel);
    await new Promise((r) => setImmediate(r));
    const closing = t.close();
    ready();
    const capture = await starting;
    await closing;
    expect(capture.ended).toBe(true);
    expect(cleanups).toBe(1);
    expect(t.openCount).toBe(0);
  });

  it('leaves nothing open and runs no cleanup when starting fails', async () => {
    const t = new ScriptedTransport();
    t.start = async () => {
      throw transportError('HERALD_TRANSPORT_TOPIC_MISSING', 'Failed to start a capture: no topic. Create it.');
    };
    expect(await codeOf(t.startCapture(channel))).toBe('HERALD_TRANSPORT_TOPIC_MISSING');
    expect(t.openCount).toBe(0);
    await t.close();
    expect(t.clientsClosed).toBe(1);
  });

  it('wraps a start failure that is not a Herald error as HERALD_TRANSPORT_OPERATION_FAILED with its cause', async () => {
    const t = new ScriptedTransport();
    const cause = new Error('boom');
    t.start = async () => {
      throw cause;
    };
    const error = await t.startCapture(channel).catch((e: unknown) => e);
    expect(isHeraldError(error) && error.code).toBe('HERALD_TRANSPORT_OPERATION_FAILED');
    expect((error as HeraldError).cause).toBe(cause);
  });

  it('retries retriable start failures within retryForMs, then tracks the capture', async () => {
    const t = new ScriptedTransport();
    t.retryForMs = 5_000;
    let attempts = 0;
    t.start = async () => {
      attempts += 1;
      if (attempts < 3) throw retriable();
      return async () => undefined;
    };
    await using capture = await t.startCapture(channel);
    expect(attempts).toBe(3);
    expect(t.openCount).toBe(1);
    expect(capture.ended).toBe(false);
    await t.close();
  });

  it('does not retry an unreachable broker (HERALD_TRANSPORT_CONNECT_FAILED) or a non-retriable failure', async () => {
    for (const failure of [transportError('HERALD_TRANSPORT_CONNECT_FAILED', 'Failed to connect: refused. Start it.'), transportError('HERALD_TRANSPORT_AUTH_FAILED', 'Failed: denied. Grant it.')]) {
      const t = new ScriptedTransport();
      t.retryForMs = 5_000;
      let attempts = 0;
      t.start = async () => {
        attempts += 1;
        throw failure;
      };
      expect(await codeOf(t.startCapture(channel))).toBe(failure.code);
      expect(attempts).toBe(1);
      await t.close();
    }
  });

  it('gives up retrying at the deadline with the last error', async () => {
    const t = new ScriptedTransport();
    t.retryForMs = 60;
    let attempts = 0;
    t.start = async () => {
      attempts += 1;
      throw retriable();
    };
    expect(await codeOf(t.startCapture(channel))).toBe('HERALD_TRANSPORT_OPERATION_FAILED');
    // 5 ms apart within 60 ms: a few attempts, never an endless loop.
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(13);
    expect(t.openCount).toBe(0);
  });

  it('stops retrying once the transport is closed', async () => {
    const t = new ScriptedTransport();
    t.retryForMs = 10_000;
    let attempts = 0;
    t.start = async () => {
      attempts += 1;
      if (attempts === 2) void t.close();
      throw retriable();
    };
    expect(await codeOf(t.startCapture(channel))).toBe('HERALD_TRANSPORT_OPERATION_FAILED');
    expect(attempts).toBe(2);
  });

  it('tells connection-lost watchers once, and not after they stopped watching', () => {
    const t = new ScriptedTransport();
    const heard: string[] = [];
    const off = t.onConnectionLost((e) => heard.push(e.code));
    const offLate = t.onConnectionLost((e) => heard.push(`late ${e.code}`));
    offLate();
    t.lose(transportError('HERALD_TRANSPORT_DISCONNECTED', 'Failed: lost. Retry.'));
    t.lose(transportError('HERALD_TRANSPORT_DISCONNECTED', 'Failed: lost again. Retry.'));
    off();
    expect(heard).toEqual(['HERALD_TRANSPORT_DISCONNECTED']);
  });
});

describe('bounded', () => {
  it('gives up on a step that never settles after the bound', async () => {
    // The step never settles: only the bound can end the wait.
    await expect(bounded(() => new Promise(() => undefined), 30)).resolves.toBeUndefined();
  });

  it('passes on the failure of a step that settles in time', async () => {
    await expect(bounded(() => Promise.reject(new Error('nope')), 1_000)).rejects.toThrow('nope');
  });
});
