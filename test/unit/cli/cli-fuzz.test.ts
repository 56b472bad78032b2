/**
 * `herald verify` on hostile input, in-process through `main` (fast-check, fixed seed, bounded
 * time): hostile contract files (prototype names as descriptions and states, unknown matchers,
 * catastrophic regexes, garbage) and hostile factory modules (wrong shapes, throwing, never
 * settling, returning what is not a message). Herald never crashes, always exits 0, 1 or 2 with a
 * verdict or a coded error, and never hangs. cli-fuzz.integration.test.ts runs the real binary
 * on one hostile case.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { main, type CliIO } from '../../../src/cli/main';
import { message } from '../../../src/contract/produced';
import { kafkaTopic } from '../../../src/contract/channel';

jest.setTimeout(120_000);

const SEED = 20_261_206;
const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const hostileText = fc.oneof(fc.constantFrom(...PROTO_NAMES, '', 'an event', 'a'.repeat(40) + '!', '\ud800x', '$.a', 'a\\b', "it's"), fc.string({ maxLength: 12 }));
const json = fc.jsonValue({ maxDepth: 3 });
const ruleName = fc.constantFrom(
  'type',
  'integer',
  'decimal',
  'number',
  'boolean',
  'regex',
  'equality',
  'include',
  'date',
  'datetime',
  'notEmpty',
  'values',
  'eachKey',
  'eachValue',
  'contentType',
  ...PROTO_NAMES,
  'bogus',
);
const rule = fc.record(
  { match: ruleName, regex: fc.constantFrom('^(a+)+$', '^[0-9]+$', '(?=x)', '(', '.*'), format: fc.constantFrom('yyyy-MM-dd', 'yDyDyDyDyDyDyDyD', 'XXX', 'z'), min: fc.integer({ min: -1, max: 3 }) },
  { requiredKeys: ['match'] },
);
const rulePath = fc.oneof(fc.constantFrom('$', '$.a', '$.a[*].b', '$.*', "$['__proto__']", '$.constructor', 'a\\b', '$[', '$.stock'), fc.string({ maxLength: 6 }));
const rules = fc.dictionary(rulePath, fc.record({ combine: fc.constantFrom('AND', 'OR', 'XOR'), matchers: fc.array(rule, { maxLength: 2 }) }), { maxKeys: 3 });

const interaction = fc.record({
  type: fc.constantFrom('Asynchronous/Messages', 'Synchronous/HTTP', 'Asynchronous/Messages'),
  description: hostileText,
  providerStates: fc.array(fc.record({ name: hostileText, params: fc.option(fc.dictionary(hostileText, json, { maxKeys: 2 }), { nil: undefined }) }, { requiredKeys: ['name'] }), { maxLength: 2 }),
  contents: fc.record({ content: json, contentType: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', ''), encoded: fc.constantFrom(false, true, 'base64') }),
  metadata: fc.dictionary(fc.constantFrom('contentType', 'kafka_topic', 'kafka_key', 'amqp_exchange', 'amqp_routing_key', 'trace-id', ...PROTO_NAMES), json, { maxKeys: 3 }),
  matchingRules: fc.record({ body: rules, metadata: rules }, { requiredKeys: [] }),
  pending: fc.boolean(),
  herald: fc.option(fc.record({ usage: fc.record({ payload: fc.array(rulePath, { maxLength: 2 }), headers: fc.array(hostileText, { maxLength: 1 }), key: fc.boolean() }) }), { nil: undefined }),
});

/** Well-formed interactions with hostile names, values and usage: these reach the verifier. */
const safeRule = fc.oneof(
  fc.constant({ match: 'type' }),
  fc.constant({ match: 'integer' }),
  fc.constant({ match: 'regex', regex: '^(a+)+$' }),
  fc.constant({ match: 'regex', regex: '^[0-9]+$' }),
  fc.constant({ match: 'notEmpty' }),
);
const wellFormed = fc.record({
  type: fc.constant('Asynchronous/Messages'),
  description: hostileText.filter((d) => d !== '__proto__'),
  providerStates: fc.array(fc.record({ name: hostileText.filter((d) => d !== '__proto__') }), { maxLength: 1 }),
  contents: fc.record({
    content: fc.oneof(fc.constant({ a: 1 }), fc.constant({ stock: '12', available: true }), fc.constant('text'), fc.constant({ a: [{ b: 'x' }] })),
    contentType: fc.constant('application/json'),
    encoded: fc.constant(false),
  }),
  metadata: fc.record({ contentType: fc.constant('application/json'), kafka_topic: fc.constant('t'), kafka_key: fc.constant('k') }, { requiredKeys: ['contentType'] }),
  matchingRules: fc.record({
    body: fc.dictionary(fc.constantFrom('$.a', '$.stock', '$.a[*].b', '$.*'), fc.record({ combine: fc.constant('AND'), matchers: fc.array(safeRule, { minLength: 1, maxLength: 1 }) }), { maxKeys: 2 }),
  }),
  pending: fc.boolean(),
  herald: fc.option(fc.record({ usage: fc.record({ payload: fc.array(fc.constantFrom('$.a', '$.stock', '$.available', '$.a[*]'), { maxLength: 2 }), headers: fc.constant([]), key: fc.boolean() }) }), {
    nil: undefined,
  }),
});

const contractText = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        consumer: fc.record({ name: fc.constantFrom('shipping', 'constructor') }),
        provider: fc.record({ name: fc.constant('orders') }),
        interactions: fc.array(wellFormed, { minLength: 1, maxLength: 3 }),
        metadata: fc.constant({ pactSpecification: { version: '4.0' } }),
      })
      .map((c) => JSON.stringify(c)),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        consumer: fc.record({ name: fc.constantFrom('shipping', 'constructor', '') }),
        provider: fc.record({ name: fc.constantFrom('orders', 'toString', '') }),
        interactions: fc.array(interaction, { maxLength: 3 }),
        metadata: fc.constant({ pactSpecification: { version: '4.0' } }),
      })
      .map((c) => JSON.stringify(c)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: json.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constant('{"consumer":{"name":"a"},"provider":{"name":"orders"},"interactions":[],"interactions":[{}],"metadata":{"pactSpecification":{"version":"4.0"}}}') },
);

const never = { then: (): void => undefined };
const factory = fc.constantFrom<() => unknown>(
  () => ({}),
  () => message({ a: 1 }, { channel: kafkaTopic('t'), key: 'k' }),
  () => 'text',
  () => Buffer.from('{"a":1}'),
  () => never,
  () => Promise.reject(new Error('boom')),
  () => {
    throw new Error('thrown');
  },
  () => undefined,
  () => () => 1,
  () => ({ then: 5 }),
  () => 10n,
  () => new Date(0),
  () => Object.create(null) as unknown,
);
const states = fc.dictionary(
  hostileText,
  fc.constantFrom<unknown>(
    () => undefined,
    () => never,
    () => ({ __proto__: { x: 1 } }),
    { setup: () => undefined, teardown: () => never },
  ),
  { maxKeys: 3 },
);
const moduleNamespace = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        name: fc.constantFrom('orders', undefined),
        factoryTimeoutMs: fc.constant(20),
        stateTimeoutMs: fc.constant(20),
        messages: fc.dictionary(fc.oneof(hostileText, fc.constantFrom('an event', 'constructor', 'toString', '')), factory, { maxKeys: 4 }),
        states,
      })
      .map((d) => ({ default: d })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      null,
      42,
      {},
      { default: null },
      { messages: 'x' },
      { default: { messages: { a: 5 } } },
      { messages: [] },
      { messages: {}, states: { s: 5 } },
      { messages: {}, states: null },
    ),
  },
);
const extraArgs = fc.array(
  fc.oneof(
    fc.tuple(fc.constant('--description'), fc.constantFrom('^(a+)+$', '(', '(?=a)', '.*', 'constructor')),
    fc.tuple(fc.constant('--consumer'), hostileText),
    fc.tuple(fc.constant('--provider'), fc.constantFrom('orders', 'constructor', '__proto__')),
    fc.constant(['--allow-unchecked-channel']),
    fc.constant(['--all-fields']),
    fc.tuple(fc.constant('--reporter'), fc.constantFrom('json', 'junit', 'console', 'toString')),
  ),
  { maxLength: 2 },
);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'herald-fuzz-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('herald verify on hostile contracts and factory modules', () => {
  it('always ends with exit 0, 1 or 2 and a verdict or a coded error, never a crash or a hang', async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    let run = 0;
    const codes = new Map<number, number>();
    const errorCodes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(contractText, moduleNamespace, extraArgs, async (contract, namespace, extras) => {
        run += 1;
        const file = path.join(tmp, `c${run}.json`);
        writeFileSync(file, contract);
        const out: string[] = [];
        const err: string[] = [];
        const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, cwd: tmp, importModule: () => Promise.resolve(namespace) };
        const argv = ['verify', '--contracts', file, '--factories', 'factories.ts', ...extras.flat()];
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([main(argv, io), new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), 5_000)))]).finally(() => clearTimeout(timer));
        const stderr = err.join('');
        const stdout = out.join('');
        expect(code).not.toBe('hang');
        codes.set(code as number, (codes.get(code as number) ?? 0) + 1);
        const coded = /^Error (HERALD_[A-Z_]+)/.exec(stderr)?.[1];
        if (coded !== undefined) errorCodes.set(coded, (errorCodes.get(coded) ?? 0) + 1);
        expect([0, 1, 2]).toContain(code);
        expect(stderr).not.toContain('Herald crashed');
        if (code === 2) expect(stderr).toMatch(/^Error HERALD_[A-Z_]+: /);
        else expect(stdout).toMatch(/passed|"summary"|<testsuites/);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      }),
      { seed: SEED, numRuns: 1_000, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: false },
    );
    if (process.env['HERALD_FUZZ_STATS'] !== undefined) console.log(JSON.stringify({ runs: run, codes: [...codes], errors: [...errorCodes] }));
    // The generators must reach verification, not only the contract reader.
    expect((codes.get(0) ?? 0) + (codes.get(1) ?? 0)).toBeGreaterThan(run / 10);
  });
});
