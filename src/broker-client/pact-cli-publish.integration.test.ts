/**
 * The Pact CLI (node_modules/.bin/pact-broker, a static binary) and `herald publish` send equivalent
 * contracts to a broker: what each POSTs to a recording stub is compared, and Herald reads back the
 * data it needs (channel, Avro schema, field usage) from what the Pact CLI re-serialised.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flowsOf } from '../contract/flow';
import { parseContract } from '../contract/reader';
import { parseJsonText } from '../contract/safe-json';
import { main } from '../cli/main';
import { startStubBroker, type StartedStubBroker } from './__fixtures__/stub-broker';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../..');
const PACT_CLI = path.join(root, 'node_modules/.bin/pact-broker');
const HERALD_CONTRACT = path.join(root, 'examples/avro-orders/contracts/shipping-orders.json');

let stub: StartedStubBroker;
let dir: string;
beforeEach(async () => {
  stub = await startStubBroker();
  dir = mkdtempSync(path.join(os.tmpdir(), 'herald-pact-cli-'));
});
afterEach(async () => {
  await stub.stop();
  rmSync(dir, { recursive: true, force: true });
});

function pactCli(...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PACT_CLI, args, { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

interface PublishBody {
  pacticipantName: string;
  pacticipantVersionNumber: string;
  branch?: string;
  contracts: { consumerName: string; providerName: string; specification: string; contentType: string; content: string }[];
}

const published = (): PublishBody[] => stub.requests.filter((r) => r.method === 'POST' && r.path === '/contracts/publish').map((r) => r.body as PublishBody);
const decoded = (body: PublishBody | undefined): Record<string, unknown> => JSON.parse(Buffer.from(body?.contracts[0]?.content ?? '', 'base64').toString('utf8')) as Record<string, unknown>;

describe('Pact CLI publish and herald publish', () => {
  it('send the same publication request: pacticipant, version, branch, and one contract per provider', async () => {
    const cli = await pactCli('publish', HERALD_CONTRACT, '--broker-base-url', stub.url, '--consumer-app-version', '1.0.0', '--branch', 'main');
    expect(cli.output).toContain('Pact published for shipping version 1.0.0 and provider orders.');
    // The CLI parsed the response as a Pact Broker's: it printed the notices, not "Failed to process response notices".
    expect(cli.output).not.toMatch(/Warning|missing field/);
    expect(cli.code).toBe(0);
    let stderr = '';
    const code = await main(['publish', HERALD_CONTRACT, '--consumer-app-version', '1.0.0', '--branch', 'main', '--broker-url', stub.url], {
      stdout: () => undefined,
      stderr: (s) => (stderr += s),
      env: {},
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [fromCli, fromHerald] = published();
    const shape = (b: PublishBody | undefined): unknown => ({
      pacticipantName: b?.pacticipantName,
      pacticipantVersionNumber: b?.pacticipantVersionNumber,
      branch: b?.branch,
      contracts: b?.contracts.map((c) => [c.consumerName, c.providerName, c.specification, c.contentType]),
    });
    expect(shape(fromHerald)).toEqual(shape(fromCli));
    expect(shape(fromHerald)).toEqual({ pacticipantName: 'shipping', pacticipantVersionNumber: '1.0.0', branch: 'main', contracts: [['shipping', 'orders', 'pact', 'application/json']] });
    // Herald sends the file as written; the Pact CLI re-serialises it.
    expect(decoded(fromHerald)).toEqual(JSON.parse(readFileSync(HERALD_CONTRACT, 'utf8')));
  });

  it("keeps Herald's channel, Avro schema, field usage and owner of a contract as Herald writes it (under comments.herald)", async () => {
    expect((await pactCli('publish', HERALD_CONTRACT, '--broker-base-url', stub.url, '--consumer-app-version', '1.0.0', '--branch', 'main')).code).toBe(0);
    const text = Buffer.from(published()[0]?.contracts[0]?.content ?? '', 'base64').toString('utf8');
    const document = JSON.parse(text) as { interactions: Record<string, unknown>[]; metadata: Record<string, unknown> };
    expect(document.metadata).toMatchObject({ herald: { version: expect.any(String) } });
    const contract = parseContract(parseJsonText(text, 'republished.json'), 'republished.json');
    const original = parseContract(parseJsonText(readFileSync(HERALD_CONTRACT, 'utf8'), HERALD_CONTRACT), HERALD_CONTRACT);
    const herald = contract.interactions[0]?.herald;
    expect(herald?.channel).toEqual({ transport: 'kafka', topic: 'orders.v1' });
    expect(Object.keys(herald ?? {}).sort()).toEqual(['avro', 'channel', 'owner', 'usage']);
    expect(herald).toEqual(original.interactions[0]?.herald);
    expect(contract.interactions[0]?.metadata).toEqual(original.interactions[0]?.metadata);
    expect(contract.interactions[0]?.matchingRules).toEqual(original.interactions[0]?.matchingRules);
  });

  it("keeps every step of a flow and its order and bindings (comments.herald.flow) through the Pact CLI's re-serialisation", async () => {
    const file = path.join(root, 'contracts/push-client-push-server.json');
    expect((await pactCli('publish', file, '--broker-base-url', stub.url, '--consumer-app-version', '1.0.0', '--branch', 'main')).code).toBe(0);
    const text = Buffer.from(published()[0]?.contracts[0]?.content ?? '', 'base64').toString('utf8');
    const republished = flowsOf(parseContract(parseJsonText(text, 'republished.json'), 'republished.json'));
    const original = flowsOf(parseContract(parseJsonText(readFileSync(file, 'utf8'), file), file));
    const shape = (flows: ReturnType<typeof flowsOf>): unknown => flows.map((f) => ({ name: f.name, problem: f.problem, steps: f.steps.map((s) => [s.name, s.interaction.description, s.bind]) }));
    expect(shape(original)).toEqual([expect.objectContaining({ name: 'authorised push', problem: undefined })]);
    expect(shape(republished)).toEqual(shape(original));
  });

  it('drops an interaction-level herald block (the layout of files written before comments.herald), which is why Herald no longer writes it', async () => {
    const legacy = JSON.parse(readFileSync(HERALD_CONTRACT, 'utf8')) as { interactions: Record<string, unknown>[] };
    for (const interaction of legacy.interactions) {
      interaction['herald'] = (interaction['comments'] as Record<string, unknown>)['herald'];
      delete interaction['comments'];
    }
    const file = path.join(dir, 'legacy.json');
    writeFileSync(file, JSON.stringify(legacy));
    expect((await pactCli('publish', file, '--broker-base-url', stub.url, '--consumer-app-version', '1.0.0')).code).toBe(0);
    const interaction = (decoded(published()[0])['interactions'] as Record<string, unknown>[])[0] ?? {};
    expect(interaction['herald']).toBeUndefined();
    expect(interaction['metadata']).toMatchObject({ kafka_topic: 'orders.v1' });
  });
});
