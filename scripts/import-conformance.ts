/**
 * Converts Pact's matching corpus (pact-foundation/pact-specification, branches `version-3` and
 * `version-4`, folder `testcases/`) into Herald's own data files, test/conformance/data/*.json, so
 * the conformance suite needs nothing beside the repository. Run once when the corpus changes:
 *
 *   npx tsx scripts/import-conformance.ts /path/to/conformance   # holds pact-v3/ and pact-v4/
 *
 * Each data file is one corpus folder; each case keeps its facts (both sides' body, content type,
 * body rules and metadata, the expected verdict, Pact's comment) and names its source file.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles, readCase } from '../test/conformance/corpus';

const from = process.argv[2];
if (from === undefined) {
  console.error('Usage: npx tsx scripts/import-conformance.ts <corpus dir with pact-v3/ and pact-v4/>');
  process.exit(2);
}
const corpus = path.resolve(from);
const out = path.resolve(__dirname, '../test/conformance/data');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const groups = new Map<string, unknown[]>();
for (const file of listFiles(corpus).filter((f) => f.endsWith('.json'))) {
  const c = readCase(corpus, file);
  const [layout, ...rest] = file.split('/');
  const branch = layout === 'pact-v4' ? 'version-4' : 'version-3';
  const group = path.posix.dirname(file).replace(/\//g, '-');
  const source = `pact-foundation/pact-specification@${branch}: testcases/${rest.join('/')}`;
  const entry = { source, file, comment: c.comment, match: c.match, xml: c.xml, expected: c.expected, actual: c.actual };
  groups.set(group, [...(groups.get(group) ?? []), entry]);
}
let total = 0;
for (const [group, cases] of groups) {
  total += cases.length;
  writeFileSync(
    path.join(out, `${group}.json`),
    `${JSON.stringify({ source: 'https://github.com/pact-foundation/pact-specification (testcases/), converted by scripts/import-conformance.ts', cases }, null, 1)}\n`,
  );
}
console.log(`herald: ${total} cases in ${groups.size} files in ${path.relative(process.cwd(), out)}`);
