import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TriggeredWebhookRecord, WebhookRecord } from '../storage/repository';
import { deliverWebhook } from './deliver';
import { parseWebhookHosts } from './hosts';

// The garbage collector, to run while an attempt waits: what a busy broker process does anyway.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const webhook = (url: string): WebhookRecord => ({
  uuid: 'w1',
  description: null,
  consumerName: null,
  providerName: null,
  enabled: true,
  events: ['contract_published'],
  request: { method: 'POST', url, headers: {}, body: 'ping', username: null, password: null },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const triggered: TriggeredWebhookRecord = {
  uuid: 't1',
  webhookUuid: 'w1',
  eventName: 'contract_published',
  consumerName: 'c',
  providerName: 'p',
  variables: {},
  status: 'not_run',
  attemptsMade: 0,
  maxAttempts: 3,
  nextAttemptAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('deliverWebhook to a target that never answers', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hang`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('ends each attempt at its timeout while the garbage collector runs (a combined abort signal could be collected, and the attempt then hung for good)', async () => {
    const collecting = setInterval(gc, 10);
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const result = await deliverWebhook(webhook(url), triggered, attempt, { hosts: parseWebhookHosts('127.0.0.1'), timeoutMs: 100, signal: new AbortController().signal });
        expect(result).toMatchObject({ success: false, retriable: true });
        expect(result.logs).toContain('no answer in time (the timeout is 100 ms)');
      }
    } finally {
      clearInterval(collecting);
    }
  });

  it('ends the attempt when the broker closes, and says so', async () => {
    const closing = new AbortController();
    const pending = deliverWebhook(webhook(url), triggered, 1, { hosts: parseWebhookHosts('127.0.0.1'), timeoutMs: 60_000, signal: closing.signal });
    setTimeout(() => closing.abort(), 50);
    const result = await pending;
    expect(result).toMatchObject({ success: false, retriable: true });
    expect(result.logs).toContain('aborted: the broker is closing');
  });
});
