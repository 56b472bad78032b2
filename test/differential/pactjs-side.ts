/**
 * The pact-js half of the differential harness, run in its own process (`tsx`): pact-js' native
 * verifier prints its report on stdout and its package root cannot load under jest's CommonJS loader.
 *
 * 1. Writes one message pact per (case, spec version) with pact-js 16's consumer DSL
 *    (`MessageConsumerPact` for V3, `PactV4` async messages for V4), one interaction per mutation.
 * 2. Verifies each file with `MessageProviderPact`, the message providers returning the mutated
 *    body with its metadata through `providerWithMetadata`.
 * 3. Writes `pairs.json` to --out: every pair with its message and pact-js' verdict.
 *
 * Usage: tsx test/differential/pactjs-side.ts --out DIR [--count N] [--seed S]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MessageProviders } from '@pact-foundation/pact';
import { MessageConsumerPact } from '@pact-foundation/pact/src/messageConsumerPact';
import { MessageProviderPact, providerWithMetadata } from '@pact-foundation/pact/src/messageProviderPact';
import { PactV4 } from '@pact-foundation/pact/src/v4';
import { parseReport } from '../interop/pact-js';
import { CASES, mutationsOf, type Case, type SpecVersion } from './corpus';
import { randomMutation, rng, type Json, type Mutation, type ProviderMessage } from './message';
import { PROVIDER, type PactJsPair, type Verdict } from './pair';

const { values: args } = parseArgs({ options: { out: { type: 'string' }, count: { type: 'string', default: '0' }, seed: { type: 'string', default: '1' } } });
if (args.out === undefined) throw new Error('Failed to start: --out DIR is required.');
const out = args.out;
const count = Number(args.count);
const seed = Number(args.seed);
const pactDir = path.join(out, 'pacts');
mkdirSync(pactDir, { recursive: true });

const describe = (version: SpecVersion, c: Case, mutation: string): string => `${version} ${c.id} :: ${mutation}`;

interface Planned {
  readonly version: SpecVersion;
  readonly c: Case;
  readonly mutations: Mutation[];
}

/** The reified example of a template, as pact-js hands it to the consumer's handler. */
type Reified = { body: Json; metadata: Record<string, Json> };

/** Writes one pact file with pact-js' DSL; returns the reified example. */
async function writePact(p: Planned): Promise<Reified> {
  const consumer = `${p.c.id}-${p.version}`;
  const metadata = { contentType: 'application/json', ...(p.c.metadata ?? {}) };
  let example: Reified | undefined;
  for (const mutation of p.mutations) {
    const description = describe(p.version, p.c, mutation.name);
    if (p.version === 'v3') {
      const pact = new MessageConsumerPact({ consumer, provider: PROVIDER, dir: pactDir, logLevel: 'error' });
      await pact
        .expectsToReceive(description)
        .withContent(p.c.body as never)
        .withMetadata(metadata as never)
        .verify(async (m) => {
          example ??= { body: m.contents as Json, metadata: (m.metadata ?? {}) as Record<string, Json> };
        });
    } else {
      await new PactV4({ consumer, provider: PROVIDER, dir: pactDir, logLevel: 'error' })
        .addAsynchronousInteraction()
        .expectsToReceive(description, (b) => {
          b.withJSONContent(p.c.body).withMetadata(metadata as never);
        })
        .executeTest(async (m) => {
          example ??= { body: m.contents.content as Json, metadata: (m.metadata ?? {}) as Record<string, Json> };
        });
    }
  }
  if (example === undefined) throw new Error(`Failed to reify the example of ${consumer}: pact-js never called the handler.`);
  return example;
}

function verdictsFrom(raw: unknown, descriptions: readonly string[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  let report;
  try {
    report = parseReport(raw);
  } catch (error) {
    for (const d of descriptions) verdicts.set(d, { verdict: 'error', detail: (error as Error).message.slice(0, 300) });
    return verdicts;
  }
  const errors = Array.isArray(report.errors) ? (report.errors as { interaction?: string; mismatch?: { mismatches?: { mismatch?: string; path?: string; key?: string }[]; message?: string } }[]) : [];
  for (const d of descriptions) {
    const result = report.interactionResults.find((r) => r.description === d);
    const mine = errors.filter((e) => typeof e.interaction === 'string' && e.interaction.endsWith(` - ${d}`));
    const detail = mine.flatMap((e) => e.mismatch?.mismatches?.map((m) => `${m.path ?? m.key ?? ''} ${m.mismatch ?? ''}`.trim()) ?? [JSON.stringify(e.mismatch ?? e).slice(0, 200)]).join('; ');
    if (result === undefined) verdicts.set(d, { verdict: 'error', detail: `not in the report${detail ? `: ${detail}` : ''}` });
    else verdicts.set(d, result.result === 'OK' ? { verdict: 'pass', detail: '' } : { verdict: 'fail', detail: detail || result.result });
  }
  return verdicts;
}

async function main(): Promise<void> {
  const plans: Planned[] = CASES.flatMap((c) => c.versions.map((version) => ({ version, c, mutations: [...mutationsOf(c)] })));
  // Random mutations need the reified example: write the curated pact first, then add them.
  const examples = new Map<Planned, Reified>();
  for (const p of plans) examples.set(p, await writePact(p));
  const random = rng(seed);
  const extra = new Map<Planned, Mutation[]>();
  for (let i = 0; i < count; i++) {
    const p = plans[i % plans.length] as Planned;
    const example = examples.get(p) as Reified;
    const m = randomMutation({ body: example.body, metadata: { contentType: 'application/json', ...example.metadata } }, random);
    const named = { ...m, name: `random#${seed}.${i} ${m.name}` };
    extra.set(p, [...(extra.get(p) ?? []), named]);
  }
  for (const [p, mutations] of extra) await writePact({ ...p, mutations });

  const pairs: PactJsPair[] = [];
  for (const p of plans) {
    const example = examples.get(p) as Reified;
    const exampleMessage: ProviderMessage = { body: example.body, metadata: { contentType: 'application/json', ...example.metadata } };
    const pactFile = path.join(pactDir, `${p.c.id}-${p.version}-${PROVIDER}.json`);
    const all = [...p.mutations, ...(extra.get(p) ?? [])];
    const messages = new Map<string, { mutation: string; message: ProviderMessage }>();
    for (const m of all) messages.set(describe(p.version, p.c, m.name), { mutation: m.name, message: m.apply(exampleMessage) });
    const messageProviders: MessageProviders = {};
    // pact-js types metadata values as strings; the verifier carries any JSON (numbers, booleans), which is the point here.
    for (const [d, { message }] of messages) messageProviders[d] = providerWithMetadata(() => message.body, message.metadata as Record<string, never>);
    const raw = await new MessageProviderPact({ provider: PROVIDER, pactUrls: [pactFile], messageProviders, logLevel: 'error' }).verify().then(
      (r) => r,
      (e: unknown) => e,
    );
    const verdicts = verdictsFrom(raw, [...messages.keys()]);
    for (const [d, { mutation, message }] of messages) {
      pairs.push({ version: p.version, caseId: p.c.id, mutation, description: d, pactFile, message, pactjs: verdicts.get(d) as Verdict });
    }
  }
  writeFileSync(path.join(out, 'pairs.json'), JSON.stringify(pairs));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
