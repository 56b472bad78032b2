/**
 * Property tests of the engine against the DSL: for random matcher trees built with `m.*`, the
 * reified example passes, and every single mutation its rules forbid (a type change, integer →
 * decimal, a string that breaks the regex, an array below its minimum, a changed literal) fails.
 * Bounded and deterministic: 200 runs from a fixed seed (override with HERALD_PROPERTY_SEED).
 */
import fc from 'fast-check';
import type { JsonValue } from '../contract/json';
import { compileTemplate } from '../matchers/compile';
import { m, type Template } from '../matchers';
import { matchBody } from './engine';

/** A template and the mutations its rules forbid, each applied to the template's own example. */
interface Gen {
  readonly template: Template;
  readonly mutations: readonly Mutation[];
}

interface Mutation {
  readonly what: string;
  readonly apply: (example: JsonValue) => JsonValue;
}

const SEED = Number(process.env['HERALD_PROPERTY_SEED'] ?? 20261206);
const RUNS = 200;

const to = (what: string, value: JsonValue): Mutation => ({ what, apply: () => value });

/** Leaves. `typed`: under a `like`, where plain values are matched by type, not equality. */
function leaf(typed: boolean): fc.Arbitrary<Gen> {
  const literal = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean()).map((v): Gen => {
    const typeChange = typeof v === 'string' ? 1 : typeof v === 'number' ? 'n' : 'b';
    const valueChange = typeof v === 'string' ? `${v}x` : typeof v === 'number' ? v + 1 : !v;
    return { template: v, mutations: typed ? [to('type change', typeChange)] : [to('type change', typeChange), to('other value', valueChange)] };
  });
  return fc.oneof(
    literal,
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n): Gen => ({
      template: m.integer(n),
      mutations: [to('integer → decimal', n + 0.5), to('integer → string', String(n)), to('integer → 1e21 (an exponent on the wire)', 1e21), to('integer → 2^64', 2 ** 64)],
    })),
    fc.integer({ min: -1000, max: 1000 }).map((n): Gen => ({ template: m.decimal(n + 0.25), mutations: [to('decimal → integer', n), to('decimal → string', `${n}.25`)] })),
    fc.string({ maxLength: 8 }).map((s): Gen => ({ template: m.string(s), mutations: [to('string → number', 42), to('string → null', null)] })),
    fc.boolean().map((b): Gen => ({ template: m.boolean(b), mutations: [to('boolean → number', 1), to('boolean → other text', 'yes')] })),
    fc.stringMatching(/^[a-z]{1,5}$/).map((s): Gen => ({ template: m.regex(/^[a-z]{1,5}$/, s), mutations: [to('breaks the regex', `${s}A1`), to('regex → number', 7)] })),
    fc.constant<Gen>({ template: m.uuid(), mutations: [to('not a uuid', 'e2490de5-5bd3-43d5-b7c4-526e33f7130')] }),
  );
}

function node(depth: number, typed: boolean): fc.Arbitrary<Gen> {
  if (depth <= 0) return leaf(typed);
  const child = (t: boolean): fc.Arbitrary<Gen> => node(depth - 1, t);
  const object = (t: boolean): fc.Arbitrary<Gen> =>
    fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', 'id', 'x_y', 'k 1'), child(t)), { minLength: 1, maxLength: 3, selector: ([k]) => k }).map((entries): Gen => {
      const template: Record<string, Template> = {};
      const mutations: Mutation[] = [];
      for (const [key, gen] of entries) {
        template[key] = gen.template;
        for (const mu of gen.mutations)
          mutations.push({ what: `${key}: ${mu.what}`, apply: (ex) => ({ ...(ex as Record<string, JsonValue>), [key]: mu.apply((ex as Record<string, JsonValue>)[key] as JsonValue) }) });
        mutations.push({ what: `${key} removed`, apply: (ex) => Object.fromEntries(Object.entries(ex as Record<string, JsonValue>).filter(([k]) => k !== key)) });
      }
      return { template, mutations };
    });
  return fc.oneof(
    { weight: 3, arbitrary: leaf(typed) },
    { weight: 2, arbitrary: object(typed) },
    {
      weight: 1,
      arbitrary: object(true).map((inner): Gen => ({ template: m.like(inner.template as Record<string, Template>), mutations: [...inner.mutations, to('object → array', [])] })),
    },
    {
      weight: 2,
      // eachLike cascades its type rule to the items: their plain values match by type.
      arbitrary: fc.tuple(child(true), fc.integer({ min: 1, max: 3 })).map(([item, min]): Gen => ({
        template: m.eachLike(item.template, { min }),
        mutations: [
          ...item.mutations.map((mu) => ({ what: `[0]: ${mu.what}`, apply: (ex: JsonValue) => [mu.apply((ex as JsonValue[])[0] as JsonValue), ...(ex as JsonValue[]).slice(1)] })),
          { what: `below min ${min}`, apply: (ex: JsonValue) => (ex as JsonValue[]).slice(0, min - 1) },
          to('array → object', {}),
        ],
      })),
    },
  );
}

const trees = fc.record({ body: node(3, false) }).map(({ body }) => body);

describe('engine properties over m.* matcher trees', () => {
  it('passes the reified example of any matcher tree', () => {
    fc.assert(
      fc.property(trees, (gen) => {
        const { content, rules } = compileTemplate({ root: gen.template }, 'property');
        expect(matchBody(content, content, rules)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('fails every single mutation the rules forbid', () => {
    fc.assert(
      fc.property(
        trees.chain((gen) => fc.record({ gen: fc.constant(gen), pick: fc.nat({ max: Math.max(0, gen.mutations.length - 1) }) })),
        ({ gen, pick }) => {
          const mutation = gen.mutations[pick];
          if (mutation === undefined) return;
          const { content, rules } = compileTemplate({ root: gen.template }, 'property');
          const root = (content as Record<string, JsonValue>)['root'] as JsonValue;
          const mutated = { root: mutation.apply(root) };
          const mismatches = matchBody(content, mutated, rules);
          if (mismatches.length === 0) throw new Error(`mutation "${mutation.what}" passed: ${JSON.stringify(mutated)} against ${JSON.stringify(content)} with ${JSON.stringify(rules)}`);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
