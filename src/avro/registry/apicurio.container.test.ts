/**
 * Herald's registry client and Confluent's JS client against a real Confluent-compatible
 * registry: Apicurio Registry (in-memory storage, /apis/ccompat/v7), built from Maven Central by
 * scripts/apicurio/fetch.sh (cached under .ci/cache/apicurio) and run as a local java process.
 * Fails, never skips, when java or mvn is missing.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { hasErrorCode } from '../../errors/herald-error';
import { SchemaRegistryClient } from './client';
import { decodeAvroMessage } from '../codec';
import { avroBlockJson } from '../contract';
import type { MessageInteraction } from '../../contract/model';

jest.setTimeout(15 * 60_000);

const root = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Apicurio Registry exited with ${child.exitCode} before it was ready:\n${output().slice(-4000)}`);
    const ok = await fetch(`${url}/subjects`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Apicurio Registry did not answer ${url}/subjects within ${timeoutMs} ms:\n${output().slice(-4000)}`);
}

const order = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'com.acme',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
  ],
};
const retyped = {
  ...order,
  fields: [
    { name: 'orderId', type: 'long' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
  ],
};

describe('a real Confluent-compatible registry: Apicurio Registry (ccompat v7)', () => {
  let child: ChildProcess | undefined;
  let url: string;
  let log = '';

  beforeAll(async () => {
    const { stdout } = await run('bash', [path.join(root, 'scripts/apicurio/fetch.sh')], { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 14 * 60_000 }).catch((error: unknown) => {
      throw new Error(`scripts/apicurio/fetch.sh failed (needs mvn, a JDK 17+ and Maven Central): ${(error as { stderr?: string }).stderr ?? String(error)}`);
    });
    const jar = stdout.trim().split('\n').pop() as string;
    const port = await freePort();
    child = spawn('java', ['-Xmx512m', `-Dquarkus.http.port=${port}`, '-Dquarkus.http.host=127.0.0.1', '-jar', jar], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
    await waitUntilReady(url, child, () => log, 120_000);
  });

  afterAll(async () => {
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('registers, finds the latest id and round-trips a record with @kafkajs/confluent-schema-registry', async () => {
    const client = new SchemaRegistry({ host: url, retry: { retries: 0 } });
    const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(order) }, { subject: 'peer-orders-value' });
    expect(await client.getLatestSchemaId('peer-orders-value')).toBe(id);
    const bytes = await client.encode(id, { orderId: 'ord-1', total: Buffer.from([0x04, 0xe2]) });
    expect(await new SchemaRegistry({ host: url }).decode(bytes)).toEqual({ orderId: 'ord-1', total: Buffer.from([0x04, 0xe2]) });
  });

  it("registers and encodes through Herald's client, and Herald decodes what it framed", async () => {
    const client = new SchemaRegistryClient({ url, retries: 0 });
    const id = await client.register('herald-orders-value', order);
    expect(await client.register('herald-orders-value', order)).toBe(id);
    expect(await client.latestId('herald-orders-value')).toBe(id);
    const bytes = await client.encode(id, { orderId: 'ord-2', total: '12.50' });
    const interaction: MessageInteraction = {
      description: 'an OrderPlaced event',
      providerStates: [],
      contents: { content: { orderId: 'ord-2', total: '12.50' }, contentType: 'avro/binary', encoded: false },
      metadata: { contentType: 'avro/binary' },
      matchingRules: { body: {}, metadata: {} },
      generators: { body: {}, metadata: {} },
      pending: false,
      herald: { avro: avroBlockJson({ schema: order, framing: 'confluent' }) },
    };
    expect((await decodeAvroMessage(bytes, interaction, { registry: client })).record).toEqual({ orderId: 'ord-2', total: '12.50' });
  });

  it('surfaces an incompatible schema as an error from both clients', async () => {
    const peer = new SchemaRegistry({ host: url, retry: { retries: 0 } });
    await peer.register({ type: SchemaType.AVRO, schema: JSON.stringify(order) }, { subject: 'evolving-value' });
    await expect(peer.register({ type: SchemaType.AVRO, schema: JSON.stringify(retyped) }, { subject: 'evolving-value' })).rejects.toMatchObject({ status: 409 });
    const error = await new SchemaRegistryClient({ url, retries: 0 }).register('evolving-value', retyped).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_AVRO_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toContain('refused it as incompatible');
  });
});
