import { headersMatch, isTopicPattern, murmur2, partitionForKey, topicMatches } from 'herald/adapter-kit';

describe('topicMatches (AMQP topic exchanges)', () => {
  it.each([
    ['order.created', 'order.created', true],
    ['order.*', 'order.created', true],
    ['order.*', 'order.eu.created', false],
    ['order.*', 'order', false],
    ['order.#', 'order', true],
    ['order.#', 'order.eu.created', true],
    ['#.created', 'order.eu.created', true],
    ['#', '', true],
    ['*', '', true],
    ['*.*', 'a', false],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['#.#', 'x.y', true],
  ])('%s binds %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });

  it('answers a pattern of many # words against a long key (no backtracking blow-up: `npm run bench:hot-paths`)', () => {
    expect(topicMatches('#.#.#.#.#.#.#.#.#.#.#.#.#.#.x', Array.from({ length: 60 }, () => 'a').join('.'))).toBe(false);
    expect(topicMatches('#.#.#.#.#.#.#.#.#.#.#.#.#.#.x', [...Array.from({ length: 60 }, () => 'a'), 'x'].join('.'))).toBe(true);
  });

  it('tells patterns from plain keys', () => {
    expect(isTopicPattern('order.*')).toBe(true);
    expect(isTopicPattern('order.#')).toBe(true);
    expect(isTopicPattern('order.created')).toBe(false);
    expect(isTopicPattern('order.a*')).toBe(false);
  });
});

describe('headersMatch (AMQP headers exchanges)', () => {
  const headers = { region: 'eu', kind: 'order', 'x-trace': 't', bytes: Buffer.from('ab') };
  it('x-match all needs every argument, ignoring x- arguments', () => {
    expect(headersMatch({ 'x-match': 'all', region: 'eu', kind: 'order', 'x-other': 1 }, headers)).toBe(true);
    expect(headersMatch({ region: 'eu', kind: 'invoice' }, headers)).toBe(false);
    expect(headersMatch({}, headers)).toBe(true);
  });
  it('x-match any needs one argument', () => {
    expect(headersMatch({ 'x-match': 'any', region: 'us', kind: 'order' }, headers)).toBe(true);
    expect(headersMatch({ 'x-match': 'any', region: 'us' }, headers)).toBe(false);
    expect(headersMatch({ 'x-match': 'any' }, headers)).toBe(false);
  });
  it('all-with-x compares x- arguments too; null only requires presence; bytes compare as bytes', () => {
    expect(headersMatch({ 'x-match': 'all-with-x', 'x-trace': 't' }, headers)).toBe(true);
    expect(headersMatch({ 'x-match': 'all-with-x', 'x-trace': 'u' }, headers)).toBe(false);
    expect(headersMatch({ region: null }, headers)).toBe(true);
    expect(headersMatch({ bytes: 'ab' }, headers)).toBe(true);
  });
});

describe("murmur2 (Kafka's default partitioner)", () => {
  // Vectors from Kafka's UtilsTest and kafkajs's partitioner.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
    ['', 275646681],
  ])('hashes %j to %i', (key, hash) => {
    expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('picks a partition in range', () => {
    for (const key of ['a', 'b', 'order-1', '']) {
      const p = partitionForKey(Buffer.from(key), 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
    }
  });
});
