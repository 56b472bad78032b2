/**
 * The shape check validates each distinct rule or generator map of a file once (schema.ts): these
 * tests hold it to the whole schema's verdict and issues wherever an invalid map stands, and in
 * whichever interaction it first appears.
 */
import type { JsonObject, JsonValue } from './json';
import { validateV3, validateV4 } from './pact-message-full-validators.generated';
import { scanContractTextFully } from './number-literals';
import { isContractInvalidError, parseContract, parseReadContract } from './reader';
import { checkContractShape } from './schema';

const RULES: JsonObject = {
  body: { '$.id': { matchers: [{ match: 'regex', regex: '^\\d+$' }] }, '$.name': { matchers: [{ match: 'type' }] } },
  metadata: { key: { matchers: [{ match: 'type' }] } },
};
const GENERATORS: JsonObject = { body: { '$.id': { type: 'RandomInt', min: 1, max: 9 } } };
/** A rule list whose matcher names no kind: "match" is required. */
const MISSING_MATCH: JsonObject = { body: { '$.id': { matchers: [{ format: 'x' }] } } };
/** A body rule path that is not a JSON path. */
const BAD_PATH: JsonObject = { body: { id: { matchers: [{ match: 'type' }] } } };
/** A generator without its type. */
const UNTYPED_GENERATOR: JsonObject = { body: { '$.id': { min: 1 } } };

function v3Message(index: number, matchingRules: JsonValue = RULES, generators: JsonValue = GENERATORS): JsonObject {
  return { description: `order event ${index}`, contents: { id: index }, matchingRules, generators };
}

function v3(messages: JsonValue[]): JsonObject {
  return { consumer: { name: 'billing' }, provider: { name: 'orders' }, messages, metadata: { pactSpecification: { version: '3.0.0' } } };
}

function v4Message(index: number, matchingRules: JsonValue = RULES, generators: JsonValue = GENERATORS): JsonObject {
  return { type: 'Asynchronous/Messages', description: `order event ${index}`, contents: { content: { id: index }, contentType: 'application/json' }, matchingRules, generators };
}

function v4(interactions: JsonValue[]): JsonObject {
  return { consumer: { name: 'billing' }, provider: { name: 'orders' }, interactions, metadata: { pactSpecification: { version: '4.0' } } };
}

/** Ten V3 messages that share their maps, but for the given overrides by index. */
function v3With(overrides: Readonly<Record<number, { rules?: JsonValue; generators?: JsonValue }>>): JsonObject {
  return v3(Array.from({ length: 10 }, (_, i) => v3Message(i, overrides[i]?.rules ?? RULES, overrides[i]?.generators ?? GENERATORS)));
}

const wholeSchema = { 3: validateV3 as (data: unknown) => boolean, 4: validateV4 as (data: unknown) => boolean };

function issuesOf(json: JsonObject, major: 3 | 4): readonly { pointer: string; keyword: string; message: string }[] {
  const shape = major === 3 ? checkContractShape(json, 3) : checkContractShape(json, 4);
  return shape.ok ? [] : shape.issues;
}

const MISSING_MATCH_MESSAGE =
  'is required (each matcher names its kind, e.g. {"match": "type"}, or is a V2 matcher with "regex", "min", "max", "timestamp", "time" or "date"; a rule list is {"matchers": [...]})';

describe('checking the rule and generator maps of a file once per distinct map', () => {
  it.each([
    ['first', 0],
    ['middle', 5],
    ['last', 9],
  ])('rejects an invalid rule map in the %s interaction only, naming that interaction', (_where, index) => {
    const json = v3With({ [index]: { rules: MISSING_MATCH } });
    expect(issuesOf(json, 3)).toEqual([{ pointer: `/messages/${index}/matchingRules/body/$.id/matchers/0/match`, keyword: 'required', message: MISSING_MATCH_MESSAGE }]);
    expect(() => parseContract(json, 'pacts/orders.json')).toThrow(
      `Failed to read contract pacts/orders.json: /messages/${index}/matchingRules/body/$.id/matchers/0/match ${MISSING_MATCH_MESSAGE} (interaction "order event ${index}").`,
    );
  });

  it.each([
    ['first', 0],
    ['middle', 5],
    ['last', 9],
  ])('rejects an invalid generator map in the %s interaction only', (_where, index) => {
    const json = v3With({ [index]: { generators: UNTYPED_GENERATOR } });
    expect(issuesOf(json, 3)).toEqual([{ pointer: `/messages/${index}/generators/body/$.id/type`, keyword: 'required', message: 'is required' }]);
  });

  it('reports two different invalid maps in file order, each where it first appears, and each repetition', () => {
    const json = v3With({ 2: { rules: BAD_PATH }, 4: { rules: MISSING_MATCH }, 7: { rules: BAD_PATH } });
    expect(issuesOf(json, 3)).toEqual([
      { pointer: '/messages/2/matchingRules/body/id', keyword: 'pattern', message: 'is not a JSON path: body paths start with "$" (e.g. "$.items[*].id")' },
      { pointer: '/messages/4/matchingRules/body/$.id/matchers/0/match', keyword: 'required', message: MISSING_MATCH_MESSAGE },
      { pointer: '/messages/7/matchingRules/body/id', keyword: 'pattern', message: 'is not a JSON path: body paths start with "$" (e.g. "$.items[*].id")' },
    ]);
    const error = (() => {
      try {
        parseContract(json, 'pacts/orders.json');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isContractInvalidError(error) && error.issues.length).toBe(3);
    expect(isContractInvalidError(error) && error.message).toContain('(interaction "order event 2")');
  });

  it('keeps the order of map issues and other issues of the file', () => {
    const json = v3With({ 3: { rules: MISSING_MATCH } });
    (json['messages'] as JsonObject[])[1] = { ...v3Message(1), description: '' };
    expect(issuesOf(json, 3).map((issue) => issue.pointer)).toEqual(['/messages/1/description', '/messages/3/matchingRules/body/$.id/matchers/0/match']);
  });

  it('rejects a map that is not an object, and a map after a different valid one', () => {
    expect(issuesOf(v3With({ 6: { rules: [] } }), 3)).toEqual([{ pointer: '/messages/6/matchingRules', keyword: 'type', message: 'must be object (found array)' }]);
    const other: JsonObject = { body: { '$.other': { matchers: [{ match: 'type' }] } } };
    expect(issuesOf(v3With({ 1: { rules: other }, 2: { rules: MISSING_MATCH } }), 3).map((issue) => issue.pointer)).toEqual(['/messages/2/matchingRules/body/$.id/matchers/0/match']);
  });

  it('rejects an invalid map that repeats a valid map but for one value', () => {
    const json = v3With({ 8: { rules: { ...RULES, metadata: { key: { matchers: [{ match: 'regex', regex: 5 }] } } } } });
    expect(issuesOf(json, 3).map((issue) => [issue.pointer, issue.keyword])).toEqual([['/messages/8/matchingRules/metadata/key/matchers/0/regex', 'type']]);
  });

  it('rejects an invalid map right after a valid one whose text differs in one character', () => {
    const typo: JsonObject = { ...RULES, metadata: { key: { matchers: [{ mxtch: 'type' }] } } };
    expect(JSON.stringify(typo)).toHaveLength(JSON.stringify(RULES).length);
    expect(issuesOf(v3With({ 5: { rules: typo } }), 3).map((issue) => [issue.pointer, issue.keyword])).toEqual([['/messages/5/matchingRules/metadata/key/matchers/0/match', 'required']]);
  });

  it('checks the maps of V4 asynchronous messages and of each part of a synchronous one', () => {
    const sync = (response: JsonValue[]): JsonObject => ({ type: 'Synchronous/Messages', description: 'a quote', request: { matchingRules: RULES }, response });
    expect(issuesOf(v4([v4Message(0), v4Message(1, RULES, UNTYPED_GENERATOR)]), 4).map((issue) => issue.pointer)).toEqual(['/interactions/1/generators/body/$.id/type']);
    expect(issuesOf(v4([v4Message(0), sync([{ matchingRules: RULES }, { matchingRules: BAD_PATH }])]), 4).map((issue) => issue.pointer)).toEqual(['/interactions/1/response/1/matchingRules/body/id']);
    expect(issuesOf(v4([sync([]), { type: 'Synchronous/Messages', description: 'b', request: { generators: UNTYPED_GENERATOR } }]), 4).map((issue) => issue.pointer)).toEqual([
      '/interactions/1/request/generators/body/$.id/type',
    ]);
  });

  it('leaves the maps of an HTTP interaction unchecked, as the schema does', () => {
    const http: JsonObject = { type: 'Synchronous/HTTP', description: 'a request', matchingRules: { header: {} }, generators: 3 };
    expect(checkContractShape(v4([v4Message(0), http]), 4).ok).toBe(true);
  });

  it('checks the maps a scan of the text kept, each distinct text once', () => {
    const json = v3With({ 9: { rules: MISSING_MATCH } });
    const text = JSON.stringify(json);
    const parsed = JSON.parse(text) as JsonValue;
    const facts = scanContractTextFully(text, parsed);
    expect(() => parseReadContract({ json: parsed, facts }, 'pacts/orders.json')).toThrow('/messages/9/matchingRules/body/$.id/matchers/0/match is required');
    const valid = JSON.parse(JSON.stringify(v3With({}))) as JsonValue;
    const contract = parseReadContract({ json: valid, facts: scanContractTextFully(JSON.stringify(valid), valid) }, 'pacts/orders.json');
    expect(contract.interactions).toHaveLength(10);
  });

  it('gives the verdict of the whole schema for every single-map variant of a file', () => {
    const maps: JsonValue[] = [RULES, GENERATORS, MISSING_MATCH, BAD_PATH, UNTYPED_GENERATOR, {}, [], null, 'rules', { body: {} }, { header: {} }];
    for (const rules of maps) {
      for (const generators of maps) {
        for (const index of [0, 4, 9]) {
          const three = v3With({ [index]: { rules, generators } });
          expect(checkContractShape(three, 3).ok).toBe(wholeSchema[3](three));
          const four = v4(Array.from({ length: 10 }, (_, i) => (i === index ? v4Message(i, rules, generators) : v4Message(i))));
          expect(checkContractShape(four, 4).ok).toBe(wholeSchema[4](four));
        }
      }
    }
  });
});
