import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHeraldError, type HeraldError } from '../errors/herald-error';
import type { JsonObject, JsonValue } from './json';
import type { Contract } from './model';
import { isContractInvalidError, parseContract } from './reader';
import { serializeContract } from './serialize';
import { MAX_JSON_DEPTH, parseJsonText } from './safe-json';

const fixtures = join(__dirname, '../../test/fixtures/contracts');

function read(relative: string): Contract {
  const file = join(fixtures, relative);
  return parseContract(parseJsonText(readFileSync(file, 'utf8'), file), file);
}

function thrown(fn: () => unknown): HeraldError {
  try {
    fn();
  } catch (error) {
    if (isHeraldError(error)) return error;
    throw error;
  }
  throw new Error('expected a HeraldError');
}

/** A V4 file around the given interactions. */
function v4(interactions: JsonValue[], metadata: JsonObject = { pactSpecification: { version: '4.0' } }): JsonObject {
  return { consumer: { name: 'billing' }, provider: { name: 'orders' }, interactions, metadata };
}

function message(extra: JsonObject = {}): JsonObject {
  return {
    type: 'Asynchronous/Messages',
    description: 'an order created event',
    contents: { content: { orderId: 42 }, contentType: 'application/json', encoded: false },
    ...extra,
  };
}

function v3(messages: JsonValue[], version: JsonValue = '3.0.0'): JsonObject {
  return { consumer: { name: 'billing' }, provider: { name: 'orders' }, messages, metadata: { pactSpecification: { version } } };
}

describe('reading files written by pact-js 16', () => {
  it('reads a V3 message pact (MessageConsumerPact)', () => {
    const contract = read('pactjs/v3/billing-orders.json');
    expect(contract).toMatchObject({ consumer: 'billing', provider: 'orders', specVersion: '3.0.0' });
    expect(contract.notes).toBeUndefined();
    expect(contract.metadata).not.toHaveProperty('pactSpecification');
    const [created, text, binary] = contract.interactions;
    expect(created?.providerStates).toEqual([{ name: 'an order exists', params: { orderId: '0b1f7b4e-6d0c-4f8a-9d2e-0a4c7b9f1e11' } }]);
    expect(created?.contents).toMatchObject({ contentType: 'application/json', encoded: false });
    expect(created?.matchingRules.body['$.lines[*].sku']).toEqual({ combine: 'AND', matchers: [{ match: 'regex', regex: '^[A-Z]{3}-\\d{4}$' }] });
    expect(created?.matchingRules.body['$.createdAt']?.matchers[0]).toEqual({ match: 'datetime', format: "yyyy-MM-dd'T'HH:mm:ssXXX" });
    expect(created?.matchingRules.metadata).toEqual({ traceId: { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9a-f]{16}$' }] } });
    expect(created?.metadata['kafka_topic']).toBe('orders');
    expect(text?.contents).toEqual({ content: 'order 42 cancelled', contentType: 'text/plain', encoded: false });
    expect(binary?.contents).toEqual({ content: 'AAEC/v8=', contentType: 'application/octet-stream', encoded: 'base64' });
    expect(binary?.providerStates).toEqual([]);
    expect(contract.interactions.every((i) => !i.pending)).toBe(true);
  });

  it('reads a V4 pact (PactV4 addAsynchronousInteraction)', () => {
    const contract = read('pactjs/v4/billing-orders.json');
    expect(contract.specVersion).toBe('4.0');
    const byName = new Map(contract.interactions.map((i) => [i.description, i]));
    expect(byName.get('a binary thumbnail')).toMatchObject({
      pending: true,
      comments: { text: ['binary payload'] },
      contents: { content: 'AAEC/v8=', contentType: 'application/octet-stream', encoded: 'base64' },
    });
    expect(byName.get('an order cancelled notice as text')?.contents).toEqual({ content: 'order 42 cancelled', contentType: 'text/plain', encoded: false });
    const created = byName.get('an order created event');
    expect(created?.contents.content).toMatchObject({ customer: { id: 42 }, paid: true });
    expect(Object.keys(created?.matchingRules.body ?? {})).toHaveLength(10);
    expect(created?.matchingRules.metadata['traceId']?.matchers).toEqual([{ match: 'regex', regex: '^[0-9a-f]{16}$' }]);
  });

  it('skips the HTTP interaction of a mixed V4 pact with a note', () => {
    const contract = read('pactjs/v4-mixed/billing-ui-orders.json');
    expect(contract.interactions.map((i) => i.description)).toEqual(['an order shipped event']);
    expect(contract.notes).toEqual(['skipped 1 HTTP interaction: "a request for an order" (Herald verifies message interactions only)']);
  });
});

describe('normalising hand-written files', () => {
  it('folds aliases, V2 flat rules and $-prefixed metadata paths in a mixed V4 file', () => {
    const contract = read('handwritten/valid/v4-mixed.json');
    expect(contract.notes).toEqual(['skipped 2 HTTP interactions: "a request for an order", "a request to cancel an order" (Herald verifies message interactions only)']);
    expect(contract.synchronous?.map((i) => [i.description, i.request.contents.content, i.response.map((r) => r.contents.content)])).toEqual([
      ['a price quote', { sku: 'ABC-1234' }, [{ price: 9.99 }]],
    ]);
    expect(contract.metadata).toEqual({ herald: { version: '0.1.0' } });
    const [created, archived] = contract.interactions;
    expect(created?.matchingRules).toEqual({
      body: {
        '$.orderId': { combine: 'AND', matchers: [{ match: 'integer' }] },
        '$.status': { combine: 'OR', matchers: [{ match: 'regex', regex: '^(NEW|PAID)$' }, { match: 'type' }] },
      },
      metadata: { traceId: { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9a-f]{16}$' }] } },
    });
    expect(created?.generators).toEqual({
      body: { '$.orderId': { type: 'RandomInt', min: 1, max: 999 } },
      metadata: { traceId: { type: 'Regex', regex: '[0-9a-f]{16}' } },
    });
    expect(created).toMatchObject({ key: '5f1c2a9e', pending: false, herald: { channel: { transport: 'kafka', topic: 'orders' } } });
    expect(archived).toMatchObject({ pending: true, contents: { encoded: 'base64' }, providerStates: [], metadata: {} });
    expect(archived?.matchingRules).toEqual({ body: {}, metadata: {} });
  });

  it('reads a legacy V3 file: providerState string, metaData, content-type header, null params', () => {
    const contract = read('handwritten/valid/v3-legacy.json');
    expect(contract.metadata).toEqual({ 'pact-jvm': { version: '4.6.5' } });
    const [shipped, refunded] = contract.interactions;
    expect(shipped?.providerStates).toEqual([{ name: 'an order was shipped' }]);
    expect(shipped?.contents).toEqual({ content: 'order 42 shipped', contentType: 'text/plain', encoded: false });
    expect(shipped?.metadata).toMatchObject({ kafka_topic: 'orders.shipped' });
    expect(shipped?.matchingRules.metadata).toEqual({ carrier: { combine: 'AND', matchers: [{ match: 'type' }] } });
    expect(refunded?.providerStates).toEqual([{ name: 'an order was refunded' }]);
    expect(refunded?.contents.contentType).toBe('application/vnd.orders+json');
    expect(refunded?.matchingRules.body['$.amount']).toEqual({ combine: 'AND', matchers: [{ match: 'decimal' }] });
  });

  it('defaults contentType to application/json and keeps V3 contents of any JSON type', () => {
    const contract = parseContract(v3([{ description: 'a count', contents: 3 }, { description: 'nothing' }]), 'f.json');
    expect(contract.interactions.map((i) => i.contents)).toEqual([
      { content: 3, contentType: 'application/json', encoded: false },
      { content: undefined, contentType: 'application/json', encoded: false },
    ]);
  });

  it('treats V4 encoded: true as base64', () => {
    const contract = parseContract(v4([message({ contents: { content: 'AAE=', contentType: 'image/png', encoded: true } })]), 'f.json');
    expect(contract.interactions[0]?.contents.encoded).toBe('base64');
  });
});

describe('V2 rules without "match" (the engine infers the kind)', () => {
  it.each<[string, JsonObject]>([
    ['regex', { regex: '^\\d+$' }],
    ['min', { min: 1 }],
    ['max', { max: 3 }],
    ['timestamp', { timestamp: 'yyyy-MM-dd' }],
    ['date', { date: 'yyyy-MM-dd' }],
    ['time', { time: 'HH:mm' }],
    ['pact:matcher:type', { 'pact:matcher:type': 'type' }],
  ])('accepts a flat %s rule and a rule list holding one', (_name, rule) => {
    for (const form of [rule, { matchers: [rule] }]) {
      const contract = parseContract(v4([message({ matchingRules: { body: { '$.orderId': form } } })]), 'f.json');
      expect(contract.interactions[0]?.matchingRules.body['$.orderId']?.matchers).toEqual([rule]);
    }
  });

  it('accepts them in a V3 file too', () => {
    const contract = parseContract(v3([{ description: 'x', contents: { a: 'b' }, matchingRules: { body: { '$.a': { regex: '^b$' } } } }]), 'f.json');
    expect(contract.interactions[0]?.matchingRules.body['$.a']?.matchers).toEqual([{ regex: '^b$' }]);
  });
});

describe('bodies: absent, null and the empty string are three things', () => {
  it.each<[string, JsonObject, JsonValue | undefined]>([
    ['no content key', { contentType: 'application/json', encoded: false }, undefined],
    ['a JSON null', { content: null, contentType: 'application/json', encoded: false }, null],
    ['an empty string', { content: '', contentType: 'application/json', encoded: false }, ''],
    ['an empty text body', { content: '', contentType: 'text/plain', encoded: false }, ''],
  ])('keeps %s (V4)', (_name, contents, content) => {
    const contract = parseContract(v4([message({ contents })]), 'f.json');
    expect(contract.interactions[0]?.contents.content).toBe(content);
  });

  it.each<[string, JsonValue | undefined]>([
    ['no body', undefined],
    ['a JSON null body', null],
    ['an empty string body', ''],
  ])('writes %s so that it reads back as written', (_name, content) => {
    const [first] = parseContract(v4([message()]), 'f.json').interactions;
    const written = JSON.parse(serializeContract({ consumer: 'c', provider: 'p', specVersion: '4.0', metadata: {}, interactions: [{ ...first!, contents: { ...first!.contents, content } }] })) as {
      interactions: { contents: JsonObject }[];
    };
    expect(Object.hasOwn(written.interactions[0]!.contents, 'content')).toBe(content !== undefined);
    expect(parseContract(written as unknown as JsonValue, 'f.json').interactions[0]?.contents.content).toBe(content);
  });

  it('keeps an empty string body in a V3 file', () => {
    expect(parseContract(v3([{ description: 'x', contents: '' }]), 'f.json').interactions[0]?.contents.content).toBe('');
  });
});

describe('what Herald writes, it reads', () => {
  const roundTrip = (json: JsonObject): Contract => {
    const contract = parseContract(json, 'f.json');
    return parseContract(JSON.parse(serializeContract(contract)) as JsonValue, 'f.json');
  };

  it('reads back a V3 message whose metaData.contentType is empty (the default content type applies)', () => {
    const contract = roundTrip(v3([{ description: 'x', contents: { a: 1 }, metaData: { contentType: '' } }]));
    expect(contract.interactions[0]?.contents.contentType).toBe('application/json');
    expect(contract.interactions[0]?.metadata).toEqual({ contentType: '' });
  });

  it('keeps a metadata rule on a key starting with "$"', () => {
    const contract = roundTrip(v4([message({ metadata: { $x: '1' }, matchingRules: { metadata: { "$['$x']": { matchers: [{ match: 'type' }] } } } })]));
    expect(Object.keys(contract.interactions[0]?.matchingRules.metadata ?? {})).toEqual(['$x']);
  });
});

describe('specification versions', () => {
  it.each([
    [{ 'pact-specification': { version: '4.0' } }, '4.0'],
    [{ pactSpecificationVersion: '4.0.0' }, '4.0.0'],
    [{ pactSpecification: { version: 4 } }, '4'],
  ])('reads the version from %j', (metadata, version) => {
    expect(parseContract(v4([message()], metadata), 'f.json').specVersion).toBe(version);
  });

  it.each([
    ['V3', { consumer: { name: 'a' }, provider: { name: 'b' }, messages: [{ description: 'x' }] }, '3.0.0', 'read as V3 because the file lists "messages"'],
    ['V4', { consumer: { name: 'a' }, provider: { name: 'b' }, interactions: [message()] }, '4.0', 'read as V4 because the file lists "interactions"'],
  ])('infers %s from the shape when no version is declared, with a note', (_v, json, version, note) => {
    const contract = parseContract(json, 'f.json');
    expect(contract.specVersion).toBe(version);
    expect(contract.notes?.[0]).toContain(note);
  });

  it('refuses a Pact V2 file, naming file, version and the supported versions', () => {
    const error = thrown(() => read('handwritten/invalid/v2-refused.json'));
    expect(error.code).toBe('HERALD_CONTRACT_UNSUPPORTED_VERSION');
    expect(error.message).toContain('v2-refused.json');
    expect(error.message).toContain('version 2.0.0');
    expect(error.message).toContain('3.x (message pacts) and 4.x');
    expect(error.message).toContain('Regenerate the file');
    expect(error.pointer).toBe('/metadata/pactSpecificationVersion');
  });

  it.each(['1.0.0', '5.0.0', 'latest'])('refuses version %s', (version) => {
    const error = thrown(() => parseContract(v3([], version), 'f.json'));
    expect(error.code).toBe('HERALD_CONTRACT_UNSUPPORTED_VERSION');
    expect(error.message).toContain(`version ${version}`);
  });

  it('refuses a file with neither messages nor interactions', () => {
    const error = thrown(() => parseContract({ consumer: { name: 'a' }, provider: { name: 'b' } }, 'f.json'));
    expect(error.code).toBe('HERALD_CONTRACT_INVALID');
    expect(error.message).toContain('neither "messages" (Pact V3) nor "interactions" (Pact V4)');
  });
});

describe('invalid files', () => {
  it('names file, pointer, interaction and fix of the first problem, and keeps all of them', () => {
    let error: unknown;
    try {
      read('handwritten/invalid/wrong-type.json');
    } catch (caught) {
      error = caught;
    }
    if (!isContractInvalidError(error)) throw new Error('expected a ContractInvalidError');
    expect(error.code).toBe('HERALD_CONTRACT_INVALID');
    expect(error.pointer).toBe('/interactions/3/contents/contentType');
    expect(error.interaction).toBe('an order cancelled event');
    expect(error.message).toContain('wrong-type.json: /interactions/3/contents/contentType must be string (found integer)');
    expect(error.message).toContain('(interaction "an order cancelled event")');
    expect(error.message).toContain('Fix the value at /interactions/3/contents/contentType');
    expect(error.issues.map((i) => i.pointer)).toEqual(['/interactions/3/contents/contentType', '/interactions/3/pending']);
  });

  it.each<[string, JsonObject, string, string]>([
    ['an unknown interaction type', v4([message({ type: 'Asynchronous/Events' })]), '/interactions/0/type', 'must be "Asynchronous/Messages" or'],
    ['a missing description', v4([{ type: 'Asynchronous/Messages' }]), '/interactions/0/description', 'is required'],
    ['an unknown rule category', v4([message({ matchingRules: { header: {} } })]), '/interactions/0/matchingRules/header', 'is not allowed here'],
    ['a body path without $', v4([message({ matchingRules: { body: { orderId: { match: 'type' } } } })]), '/interactions/0/matchingRules/body/orderId', 'is not a JSON path'],
    [
      'a rule with no matcher kind and nothing to infer it from',
      v4([message({ matchingRules: { body: { '$.a': { ignoreCase: true } } } })]),
      '/interactions/0/matchingRules/body/$.a/match',
      'is required',
    ],
    ['a V2 min that is not a number', v4([message({ matchingRules: { body: { '$.a': { min: '1' } } } })]), '/interactions/0/matchingRules/body/$.a/match', 'is required'],
    ['a V2 regex that is not a string', v4([message({ matchingRules: { body: { '$.a': { regex: 1 } } } })]), '/interactions/0/matchingRules/body/$.a/regex', 'must be string'],
    [
      'encoded: true with contents that are not a string',
      v4([message({ contents: { content: { a: 1 }, contentType: 'application/json', encoded: true } })]),
      '/interactions/0/contents/content',
      'must be string',
    ],
    [
      'a regex matcher without regex',
      v4([message({ matchingRules: { body: { '$.a': { matchers: [{ match: 'regex' }] } } } })]),
      '/interactions/0/matchingRules/body/$.a/matchers/0/regex',
      'is required',
    ],
    [
      'an unknown matcher name (toString)',
      v4([message({ matchingRules: { body: { '$.a': { matchers: [{ match: 'toString' }] } } } })]),
      '/interactions/0/matchingRules/body/$.a/matchers/0',
      'names the matcher "toString", which is not a Pact matcher Herald knows',
    ],
    [
      'an unknown matcher name nested in eachKey (constructor)',
      v4([message({ matchingRules: { body: { '$.a': { matchers: [{ match: 'eachKey', rules: [{ match: 'constructor' }] }] } } } })]),
      '/interactions/0/matchingRules/body/$.a/matchers/0/rules/0',
      'names the matcher "constructor"',
    ],
    ['a bad combine', v4([message({ matchingRules: { body: { '$.a': { combine: 'XOR', matchers: [] } } } })]), '/interactions/0/matchingRules/body/$.a/combine', 'must be "AND" or "OR"'],
    ['a generator without type', v4([message({ generators: { body: { '$.a': { min: 1 } } } })]), '/interactions/0/generators/body/$.a/type', 'is required'],
    ['encoded contents that are not a string', v4([message({ contents: { content: {}, encoded: 'base64' } })]), '/interactions/0/contents/content', 'must be string'],
    ['a kafka channel without topic', v4([message({ herald: { channel: { transport: 'kafka' } } })]), '/interactions/0/herald/channel/topic', 'is required'],
    ['a custom channel without name', v4([message({ herald: { channel: { transport: 'nats' } } })]), '/interactions/0/herald/channel/name', 'is required'],
    ['a missing consumer', { provider: { name: 'p' }, interactions: [] }, '/consumer', 'is required'],
    ['messages in a V4 file', { ...v4([]), messages: [] }, '/messages', 'is a Pact V3 field'],
    ['V3 messages with a non-object metaData', v3([{ description: 'x', metaData: 'text/plain' }]), '/messages/0/metaData', 'must be object (found string)'],
    ['V4 interactions in a V3 file', { ...v3([]), interactions: [message()] }, '/interactions/0/type', 'set metadata.pactSpecification.version to "4.0"'],
    ['providerState and providerStates together', v3([{ description: 'x', providerState: 'a', providerStates: [{ name: 'a' }] }]), '/messages/0/providerState', 'keep "providerStates"'],
    ['conflicting metaData and metadata', v3([{ description: 'x', metaData: { a: '1' }, metadata: { a: '2' } }]), '/messages/0/metaData', 'conflicts with "metadata"'],
    [
      'a rule path repeated through an alias',
      v4([message({ matchingRules: { body: { '$.a': { match: 'type' } }, content: { '$.a': { match: 'type' } } } })]),
      '/interactions/0/matchingRules/content/$.a',
      'repeats /interactions/0/matchingRules/body/$.a',
    ],
    ['a metadata rule on $ itself', v4([message({ matchingRules: { metadata: { $: { match: 'type' } } } })]), '/interactions/0/matchingRules/metadata/$', 'is not a metadata key'],
  ])('refuses %s with a pointer', (_name, json, pointer, text) => {
    const error = thrown(() => parseContract(json, 'pacts/f.json'));
    expect(error.code).toBe('HERALD_CONTRACT_INVALID');
    expect(error.pointer).toBe(pointer);
    expect(error.message).toContain('pacts/f.json');
    expect(error.message).toContain(text);
  });

  it('refuses a root that is not an object', () => {
    expect(thrown(() => parseContract([], 'f.json')).message).toContain('the file must be a JSON object (found array)');
  });

  it('refuses a "__proto__" key in a payload, naming the interaction, without polluting prototypes', () => {
    const error = thrown(() => read('handwritten/invalid/proto-key.json'));
    expect(error.code).toBe('HERALD_UNSAFE_KEY');
    expect(error.pointer).toBe('/interactions/0/contents/content/__proto__');
    expect(error.interaction).toBe('an order created event');
    expect(error.message).toContain('proto-key.json');
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('refuses a metadata rule path that names "__proto__"', () => {
    const error = thrown(() => parseContract(v4([message({ matchingRules: { metadata: { '$.__proto__': { match: 'type' } } } })]), 'f.json'));
    expect(error.code).toBe('HERALD_UNSAFE_KEY');
    expect(error.pointer).toBe('/interactions/0/matchingRules/metadata/$.__proto__');
  });

  it('refuses a payload nested 10 000 levels deep with a coded error naming the interaction', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const text = JSON.stringify(v4([message()])).replace('{"orderId":42}', deep);
    const error = thrown(() => parseContract(parseJsonText(text, 'deep.json'), 'deep.json'));
    expect(error.code).toBe('HERALD_PAYLOAD_TOO_DEEP');
    expect(error.contractFile).toBe('deep.json');
    expect(error.interaction).toBe('an order created event');
    expect(error.pointer?.startsWith('/interactions/0/contents/content/0/0/')).toBe(true);
    expect(error.message).toContain('Flatten the payload');
  });

  it(`accepts a payload of ${MAX_JSON_DEPTH} levels inside a V4 file`, () => {
    const payload = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`) as JsonValue;
    const contract = parseContract(v4([message({ contents: { content: payload } })]), 'f.json');
    expect(contract.interactions).toHaveLength(1);
  });
});

describe('regexes in matchers', () => {
  it('refuses a regex that does not compile, naming file, interaction and pointer', () => {
    const error = thrown(() => read('handwritten/invalid/bad-regex.json'));
    expect(error.code).toBe('HERALD_REGEX_INVALID');
    expect(error.contractFile).toContain('bad-regex.json');
    expect(error.interaction).toBe('an order created event');
    expect(error.pointer).toBe('/interactions/0/matchingRules/body/$.sku/matchers/1/regex');
    expect(error.message).toContain('bad-regex.json');
    expect(error.message).toContain('/interactions/0/matchingRules/body/$.sku/matchers/1/regex');
  });

  it.each<[string, JsonObject, string]>([
    ['a V2 flat regex rule', { matchingRules: { metadata: { key: { match: 'regex', regex: '(' } } } }, '/interactions/0/matchingRules/metadata/key/regex'],
    [
      'a regex nested in an eachKey rule',
      { matchingRules: { body: { '$.m': { matchers: [{ match: 'eachKey', rules: [{ match: 'regex', regex: '[' }] }] } } } },
      '/interactions/0/matchingRules/body/$.m/matchers/0/rules/0/regex',
    ],
    ['a Regex generator', { generators: { body: { '$.a': { type: 'Regex', regex: '(' } } } }, '/interactions/0/generators/body/$.a/regex'],
    ['a V2 regex rule without "match"', { matchingRules: { body: { '$.a': { regex: '(' } } } }, '/interactions/0/matchingRules/body/$.a/regex'],
  ])('refuses %s', (_name, extra, pointer) => {
    const error = thrown(() => parseContract(v4([message(extra)]), 'f.json'));
    expect(error.code).toBe('HERALD_REGEX_INVALID');
    expect(error.pointer).toBe(pointer);
  });

  it('accepts look-around and back-references: the engine fails only the rules using them (issue 9.17)', () => {
    const extra = { matchingRules: { body: { '$.a': { matchers: [{ match: 'regex', regex: '(?<=a)b' }] }, '$.b': { matchers: [{ match: 'regex', regex: '(a)\\1' }] } } } };
    expect(() => parseContract(v4([message(extra)]), 'f.json')).not.toThrow();
  });

  it('accepts RE2 inline flags written by Pact JVM', () => {
    const extra = { matchingRules: { body: { '$.a': { matchers: [{ match: 'regex', regex: '(?i)^new$' }] } } } };
    expect(() => parseContract(v4([message(extra)]), 'f.json')).not.toThrow();
  });
});

describe('duplicate interactions', () => {
  it('refuses the same description and provider states with different contents, naming both indexes', () => {
    const error = thrown(() => read('handwritten/invalid/duplicate-description.json'));
    expect(error.code).toBe('HERALD_DUPLICATE_INTERACTION');
    expect(error.interaction).toBe('an order created event');
    expect(error.message).toContain('duplicate-description.json');
    expect(error.message).toContain('/interactions/0 and /interactions/2 are both "an order created event"');
    expect(error.message).toContain('contents differ');
    expect(error.message).toContain('Give each interaction a unique description');
  });

  it('names metadata and rules when they differ', () => {
    const json = v4([message(), message({ metadata: { a: '1' }, matchingRules: { body: { '$.orderId': { match: 'integer' } } } })]);
    expect(thrown(() => parseContract(json, 'f.json')).message).toContain('their metadata, matchingRules differ');
  });

  it('collapses exact duplicates with a note, ignoring key order', () => {
    const twin = message({ contents: { encoded: false, contentType: 'application/json', content: { orderId: 42 } } });
    const contract = parseContract(v4([message(), twin]), 'f.json');
    expect(contract.interactions).toHaveLength(1);
    expect(contract.notes).toEqual(['collapsed duplicate interaction "an order created event" at /interactions/1 (identical to /interactions/0)']);
  });

  it('keeps the same description under different provider states', () => {
    const json = v4([message({ providerStates: [{ name: 'a' }] }), message({ providerStates: [{ name: 'b' }], contents: { content: 1 } })]);
    expect(parseContract(json, 'f.json').interactions).toHaveLength(2);
  });
});

describe('request/reply interactions (Synchronous/Messages)', () => {
  const quote: JsonObject = {
    type: 'Synchronous/Messages',
    description: 'a price quote',
    providerStates: [{ name: 'a product exists', params: { sku: 'ABC-1234' } }],
    request: {
      contents: { content: { sku: 'ABC-1234' }, contentType: 'application/json', encoded: false },
      metadata: { amqp_routing_key: 'quotes' },
      matchingRules: { body: { '$.sku': { combine: 'AND', matchers: [{ match: 'regex', regex: '^[A-Z]{3}-\\d{4}$' }] } } },
    },
    response: [{ contents: { content: { price: 9.99 } }, metadata: { contentType: 'application/json' }, matchingRules: { body: { '$.price': { matchers: [{ match: 'decimal' }] } } } }],
    herald: { reply: { transport: 'amqp' } },
  };

  it('reads request, responses, states and the herald block, and writes them back unchanged', () => {
    const contract = parseContract(v4([quote, message()]), 'quote.json');
    const [sync] = contract.synchronous ?? [];
    expect(contract.interactions.map((i) => i.description)).toEqual(['an order created event']);
    expect(sync?.providerStates).toEqual([{ name: 'a product exists', params: { sku: 'ABC-1234' } }]);
    expect(sync?.request.matchingRules.body['$.sku']?.matchers).toEqual([{ match: 'regex', regex: '^[A-Z]{3}-\\d{4}$' }]);
    expect(sync?.request.metadata).toEqual({ amqp_routing_key: 'quotes' });
    expect(sync?.response[0]?.contents).toEqual({ content: { price: 9.99 }, contentType: 'application/json', encoded: false });
    expect(sync?.response[0]?.matchingRules.body['$.price']).toEqual({ combine: 'AND', matchers: [{ match: 'decimal' }] });
    const text = serializeContract(contract);
    const again = parseContract(parseJsonText(text, 'again.json'), 'again.json');
    // The writer adds the V4 interaction key pact-js leaves out; everything else comes back as read.
    expect(again.synchronous).toEqual(contract.synchronous?.map((i) => ({ ...i, key: expect.any(String) })));
    expect(serializeContract(again)).toBe(text);
    expect(JSON.parse(text).interactions.map((i: { type: string }) => i.type)).toEqual(['Synchronous/Messages', 'Asynchronous/Messages']);
  });

  it('rejects a request/reply interaction without a request, naming it', () => {
    const { request: _dropped, ...noRequest } = quote;
    const error = thrown(() => parseContract(v4([noRequest]), 'quote.json'));
    expect(error.message).toContain('/interactions/0');
    expect(error.message).toContain('request');
    expect(error.message).toContain('"a price quote"');
  });

  it('rejects two different request/reply interactions with one description', () => {
    const other = { ...quote, request: { contents: { content: { sku: 'XYZ-0000' } } } };
    expect(thrown(() => parseContract(v4([quote, other]), 'quote.json')).code).toBe('HERALD_DUPLICATE_INTERACTION');
  });
});
