import { flowsOf, partWithValue, sameBoundValue, valueAt, withValueAt } from './flow';
import type { JsonObject } from './json';
import type { Contract, MessageInteraction } from './model';

const step = (description: string, flow: JsonObject | string): MessageInteraction => ({
  description,
  providerStates: [],
  contents: { content: { id: 1 }, contentType: 'application/json', encoded: false },
  metadata: {},
  matchingRules: { body: {}, metadata: {} },
  generators: { body: {}, metadata: {} },
  pending: false,
  comments: { herald: { flow } },
});
const contract = (...interactions: MessageInteraction[]): Contract => ({ consumer: 'c', provider: 'p', interactions, specVersion: '4.0', metadata: {} });
const block = (index: number, stepName: string, bind: JsonObject[] = [], steps = ['a', 'b']): JsonObject => ({ name: 'f', index, steps, step: stepName, bind });

describe('flows in a contract', () => {
  it('orders the steps by the flow block, whatever the order in the file', () => {
    const [flow] = flowsOf(contract(step('second', block(1, 'b', [{ name: 'id', to: ['payload', 'id'], from: { step: 'a', path: ['payload', 'id'] } }])), step('first', block(0, 'a'))));
    expect(flow?.problem).toBeUndefined();
    expect(flow?.steps.map((s) => [s.name, s.interaction.description])).toEqual([
      ['a', 'first'],
      ['b', 'second'],
    ]);
  });

  it.each([
    ['a missing step', [step('first', block(0, 'a'))], 'step 2 "b" is missing from the contract'],
    ['a step listed twice', [step('first', block(0, 'a')), step('second', block(1, 'b')), step('again', block(1, 'b'))], 'step "b" appears 2 times'],
    [
      'a binding from a later step',
      [step('first', block(0, 'a', [{ name: 'id', to: ['payload', 'id'], from: { step: 'b', path: ['payload', 'id'] } }])), step('second', block(1, 'b'))],
      'not an earlier step',
    ],
    ['steps that disagree on the order', [step('first', block(0, 'a')), step('second', block(1, 'b', [], ['x', 'b']))], 'lists the steps'],
    ['a malformed block', [step('first', block(0, 'a')), step('second', 'b')], 'comments.herald.flow is not an object'],
  ])('reports %s as a problem, keeping every step it found', (_name, interactions, problem) => {
    const flows = flowsOf(contract(...interactions));
    expect(flows.map((f) => f.problem).join(' ')).toContain(problem);
    expect(flows.flatMap((f) => f.steps.map((s) => s.interaction.description)).sort()).toEqual(interactions.map((i) => i.description).sort());
  });

  it('reads and writes values along a path, and writes header, key and property values into metadata', () => {
    expect(valueAt({ a: [{ b: 1 }] }, ['a', '0', 'b'])).toBe(1);
    expect(valueAt({ a: 1 }, ['constructor'])).toBeUndefined();
    expect(withValueAt({ a: { b: 1 } }, ['a', 'c'], 2)).toEqual({ a: { b: 1, c: 2 } });
    const metadata: JsonObject = { contentType: 'application/json' };
    const part = { contents: { content: { x: 1 }, contentType: 'application/json', encoded: false as const }, metadata };
    expect(partWithValue(part, ['payload', 'x'], 2).contents.content).toEqual({ x: 2 });
    expect(partWithValue(part, ['headers', 'session-id'], 's').metadata).toEqual({ contentType: 'application/json', 'session-id': 's' });
    expect(partWithValue(part, ['key'], 'k').metadata['kafka_key']).toBe('k');
    expect(partWithValue(part, ['properties', 'correlationId'], 'c').metadata).toHaveProperty(['amqp_correlation_id'], 'c');
  });

  it('compares bound values exactly, accepting the text form of a scalar (Kafka headers and keys are text)', () => {
    expect(sameBoundValue('a', 'a')).toBe(true);
    expect(sameBoundValue(3, '3')).toBe(true);
    expect(sameBoundValue('a', 'b')).toBe(false);
    expect(sameBoundValue({ a: 1 }, '{"a":1}')).toBe(false);
    expect(sameBoundValue('a', undefined)).toBe(false);
  });
});
