/** Herald's interaction block read from `comments.herald`, where it survives a Pact CLI publish. */
import { hasErrorCode } from '../errors/herald-error';
import { parseContract } from './reader';
import { serializeContract } from './serialize';

const pact = (interaction: Record<string, unknown>): Parameters<typeof parseContract>[0] => ({
  consumer: { name: 'shipping' },
  provider: { name: 'orders' },
  interactions: [{ type: 'Asynchronous/Messages', description: 'an OrderPlaced event', contents: { content: { id: 1 }, contentType: 'application/json' }, ...interaction }],
  metadata: { pactSpecification: { version: '4.0' } },
});

describe('the herald block in comments', () => {
  it('is read when the interaction has no herald block of its own', () => {
    const contract = parseContract(pact({ comments: { text: ['x'], herald: { channel: { transport: 'kafka', topic: 'orders.v1' }, usage: { payload: ['$.id'] } } } }), 'p.json');
    expect(contract.interactions[0]?.herald).toEqual({ channel: { transport: 'kafka', topic: 'orders.v1' }, usage: { payload: ['$.id'] } });
  });

  it('gives way to the interaction herald block', () => {
    const contract = parseContract(pact({ herald: { owner: 'a.test.ts' }, comments: { herald: { owner: 'b.test.ts' } } }), 'p.json');
    expect(contract.interactions[0]?.herald).toEqual({ owner: 'a.test.ts' });
  });

  it('is validated like the interaction block', () => {
    let error: unknown;
    try {
      parseContract(pact({ comments: { herald: { channel: { transport: 'kafka' } } } }), 'p.json');
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_CONTRACT_INVALID')).toBe(true);
    expect((error as Error).message).toContain('/interactions/0/comments/herald/channel');
  });
});

describe('the writer', () => {
  it("puts Herald's block under comments.herald, next to the other comments, and reads it back unchanged", () => {
    const herald = { channel: { transport: 'kafka', topic: 'orders.v1' }, owner: 'a.test.ts', usage: { payload: ['$.id'] } };
    const contract = parseContract(pact({ comments: { text: ['x'] }, herald }), 'p.json');
    const written = JSON.parse(serializeContract(contract)) as { interactions: Record<string, unknown>[] };
    expect(written.interactions[0]?.['herald']).toBeUndefined();
    expect(written.interactions[0]?.['comments']).toEqual({ herald, text: ['x'] });
    const again = parseContract(written as Parameters<typeof parseContract>[0], 'p.json');
    expect(again.interactions[0]?.herald).toEqual(herald);
    expect(again.interactions[0]?.comments).toEqual({ text: ['x'] });
    expect(serializeContract(again)).toBe(serializeContract(contract));
  });

  it('writes no comments for an interaction with neither comments nor a herald block', () => {
    const written = JSON.parse(serializeContract(parseContract(pact({}), 'p.json'))) as { interactions: Record<string, unknown>[] };
    expect(written.interactions[0]).not.toHaveProperty('comments');
  });
});
