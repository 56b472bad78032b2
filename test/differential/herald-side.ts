/**
 * The Herald half of the differential harness: verifies every pair's pact file with Herald's
 * programmatic API (`loadContracts` + `verifyProvider`, what `herald verify --factories` runs), the
 * factory returning the very message pact-js' provider returned, metadata as raw entries.
 */
import { loadContracts, message, verifyProvider, type InteractionResult, type MessageFactory } from 'herald';
import type { ComparedPair, PactJsPair, Verdict } from './pair';
import { PROVIDER } from './pair';

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function verdictOf(r: InteractionResult): Verdict {
  if (r.status === 'passed') return { verdict: 'pass', detail: '' };
  const parts = [...r.mismatches.map((m) => `${m.path} ${m.message}`), ...(r.error === undefined ? [] : [`${r.error.code}: ${r.error.message}`])];
  return { verdict: 'fail', detail: oneLine(`[${r.status}] ${parts.join('; ')}`) };
}

/** Herald's verdict on every pair, file by file; a file Herald refuses to load fails all its pairs. */
export async function verifyWithHerald(pairs: readonly PactJsPair[]): Promise<ComparedPair[]> {
  const byFile = new Map<string, PactJsPair[]>();
  for (const p of pairs) byFile.set(p.pactFile, [...(byFile.get(p.pactFile) ?? []), p]);
  const out: ComparedPair[] = [];
  for (const [file, filePairs] of byFile) {
    let contracts;
    try {
      contracts = await loadContracts([file]);
    } catch (error) {
      const detail = oneLine(`contract refused: ${(error as Error).message}`);
      for (const p of filePairs) out.push({ ...p, herald: { verdict: 'error', detail } });
      continue;
    }
    const messages: Record<string, MessageFactory> = {};
    for (const p of filePairs) messages[p.description] = () => message(p.message.body, { metadata: p.message.metadata });
    let results: readonly InteractionResult[];
    try {
      results = (await verifyProvider(contracts, { name: PROVIDER, messages })).results;
    } catch (error) {
      const detail = oneLine(`verification threw: ${(error as Error).message}`);
      for (const p of filePairs) out.push({ ...p, herald: { verdict: 'error', detail } });
      continue;
    }
    for (const p of filePairs) {
      const r = results.find((x) => x.description === p.description);
      out.push({ ...p, herald: r === undefined ? { verdict: 'error', detail: 'not in the report' } : verdictOf(r) });
    }
  }
  return out;
}
