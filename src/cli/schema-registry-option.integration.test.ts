/**
 * `herald verify --schema-registry <url>`: Confluent-framed Avro is read with the writer's schema
 * the registry names; without a registry it cannot be verified and fails (issue 9.13). The real
 * CLI on the in-memory transport, with an embedded registry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { consumer, kafkaTopic, m } from '../index';
import { serializeContract } from '../contract/serialize';
import { startSchemaRegistry, type StartedSchemaRegistry } from '../avro/registry/server';
import { verify } from '../../test/unit/cli/run-cli';
import { parseVerifyArgs } from './verify-command';
import { renamedFieldSchemas } from '../avro/__fixtures__/renamed-field';

jest.setTimeout(120_000);

/** The producer renamed orderId to id: the same bytes by position, another field by name. */
const { reader, renamed } = renamedFieldSchemas('com.acme');

/** A provider publishing the bytes HERALD_FIXTURE_AVRO holds (base64), as its Avro serializer wrote them. */
const TRIGGERS = `export default {
  name: 'avro-orders',
  triggers: {
    'an OrderPlaced event': async (_params, ctx) => {
      await ctx.transport.publish({ channel: ctx.channel, contentType: 'avro/binary', body: Buffer.from(process.env.HERALD_FIXTURE_AVRO, 'base64') });
    },
  },
};
`;

describe('herald verify --schema-registry', () => {
  let registry: StartedSchemaRegistry;
  let dir: string;
  let contractFile: string;
  let triggersFile: string;
  beforeAll(async () => {
    registry = await startSchemaRegistry({ compatibility: 'NONE' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'herald-registry-option-'));
    const interaction = consumer('avro-shipping')
      .expectsFrom('avro-orders')
      .message('an OrderPlaced event')
      .on(kafkaTopic('orders.v1'))
      .withAvroPayload(reader, { orderId: m.string('ord-1'), qty: m.integer(1) }, { registry })
      .toInteraction();
    contractFile = path.join(dir, 'avro-shipping-avro-orders.json');
    triggersFile = path.join(dir, 'triggers.mjs');
    await writeFile(contractFile, serializeContract({ consumer: 'avro-shipping', provider: 'avro-orders', interactions: [interaction], specVersion: '4.0', metadata: {} }));
    await writeFile(triggersFile, TRIGGERS);
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const bytesWith = async (schema: typeof reader, record: object): Promise<string> => {
    const id = await registry.client.register(`${schema.fields[0]?.name ?? ''}-value`, schema);
    return (await registry.client.encode(id, record)).toString('base64');
  };
  const run = (bytes: string, extra: readonly string[] = []) =>
    verify(['-c', contractFile, '--transport', 'memory', '--triggers', triggersFile, ...extra], { HERALD_FIXTURE_AVRO: bytes, HERALD_SCHEMA_REGISTRY_URL: '' });

  it('parses the option and refuses a value that is not an http(s) URL', () => {
    expect(parseVerifyArgs(['-c', 'x', '-f', 'f.ts', '--schema-registry', 'http://localhost:8081'])).toMatchObject({ schemaRegistry: 'http://localhost:8081' });
    expect(() => parseVerifyArgs(['-c', 'x', '-f', 'f.ts', '--schema-registry', 'localhost:8081'])).toThrow('Invalid --schema-registry "localhost:8081"');
  });

  it('fails framed Avro without a registry, saying the writer schema is unknown, even when the bytes read by position', async () => {
    const result = await run(await bytesWith(renamed, { id: 'ord-7', qty: 2 }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('HERALD_AVRO_WRITER_SCHEMA_UNKNOWN');
    expect(result.stdout).toContain("the writer's schema is unknown");
  });

  it("reads framed Avro with the writer's schema from --schema-registry: a renamed field fails, the right schema passes", async () => {
    const broken = await run(await bytesWith(renamed, { id: 'ord-7', qty: 2 }), ['--schema-registry', registry.url]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('HERALD_AVRO_INCOMPATIBLE');
    expect(broken.stdout).toContain('orderId');
    const good = await run(await bytesWith(reader, { orderId: 'ord-7', qty: 2 }), ['--schema-registry', registry.url]);
    expect(good.stdout).toContain('1 passed');
    expect(good.code).toBe(0);
  });
});
