import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consumer } from '../dsl/consumer';
import { kafkaTopic } from './channel';
import { m } from '../matchers';
import { writePair } from './store';

const placed = consumer('shipping')
  .expectsFrom('orders')
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withPayload({ id: m.integer(1) })
  .toInteraction();

describe('writePair', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (passed: boolean, file = path.join(dir, 'shipping-orders.json')) =>
    writePair({ file, consumer: 'shipping', provider: 'orders', owner: 'orders.test.ts', declared: [{ interaction: placed, passed }], mode: 'full' });

  it('creates no contract file when every handler failed', async () => {
    await expect(write(false)).resolves.toBe(false);
    expect(existsSync(path.join(dir, 'shipping-orders.json'))).toBe(false);
  });

  it('writes the interactions whose handlers passed, and keeps them when a later run fails', async () => {
    await expect(write(true)).resolves.toBe(true);
    const file = path.join(dir, 'shipping-orders.json');
    const first = readFileSync(file, 'utf8');
    expect(JSON.parse(first)).toMatchObject({ interactions: [{ description: 'an OrderPlaced event' }] });
    await expect(write(false)).resolves.toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });
});
