/**
 * Pact's own matching corpus, run against Herald's engine: every JSON case must agree with its
 * `match` flag; every XML case must be reported as unsupported (never passed). The cases are
 * Herald's data files in test/conformance/data/ (each names its Pact source file);
 * HERALD_CONFORMANCE_DIR runs a raw corpus checkout instead.
 */
import * as fs from 'node:fs';
import { matchBody, matchMetadata, type Mismatch } from '../../src/matching';
import { corpusDir, dataDir, listFiles, loadDataCases, readCase, type CorpusCase } from './corpus';

const raw = corpusDir();
const dir = raw ?? dataDir;
const present = fs.existsSync(dir) && fs.statSync(dir).isDirectory();
const files = present ? listFiles(dir) : [];
const caseFiles = files.filter((f) => f.endsWith('.json'));
const cases: CorpusCase[] = !present ? [] : raw === undefined ? loadDataCases(dir) : caseFiles.map((f) => readCase(dir, f));
const jsonCases = cases.filter((c) => !c.xml);
const xmlCases = cases.filter((c) => c.xml);

const tally = { jsonAgree: 0, xmlUnsupported: 0 };

/** Herald's verdict on a JSON case: body (and V3 message metadata) mismatches. */
function verify(c: CorpusCase): Mismatch[] {
  const contentType = c.expected.contentType ?? c.actual.contentType;
  const mismatches = matchBody(c.expected.body, c.actual.body, c.expected.rules, contentType === undefined ? {} : { contentType });
  if (c.expected.metadata !== undefined) mismatches.push(...matchMetadata(c.expected.metadata, c.actual.metadata ?? {}, {}));
  return mismatches;
}

const title = (c: CorpusCase): string => `${c.file} (${c.comment}) → ${c.match ? 'match' : 'mismatch'}`;

describe('Pact matching corpus', () => {
  test(`the corpus is present at ${dir}`, () => {
    if (!present) throw new Error(`Failed to find the conformance cases at ${dir}: regenerate them with scripts/import-conformance.ts, or fix HERALD_CONFORMANCE_DIR.`);
    expect(cases.length).toBeGreaterThan(200);
  });

  test('every file is a case, and every case is run as JSON or XML', () => {
    const others = files.filter((f) => !f.endsWith('.json') && f !== 'README.md');
    expect(others).toEqual([]);
    expect(jsonCases.length + xmlCases.length).toBe(cases.length);
  });

  describe('JSON cases agree with Pact', () => {
    if (jsonCases.length === 0) return;
    test.each(jsonCases.map((c) => [title(c), c] as const))('%s', (_name, c) => {
      const mismatches = verify(c);
      if (c.match) expect(mismatches).toEqual([]);
      else expect(mismatches.length).toBeGreaterThan(0);
      expect(mismatches.every((m) => m.code !== 'unsupported')).toBe(true);
      tally.jsonAgree += 1;
    });
  });

  describe('XML cases are reported as unsupported', () => {
    if (xmlCases.length === 0) return;
    test.each(xmlCases.map((c) => [title(c), c] as const))('%s', (_name, c) => {
      const contentType = [c.expected.contentType, c.actual.contentType].find((ct) => ct !== undefined && /xml/i.test(ct)) ?? 'application/xml';
      const mismatches = matchBody(c.expected.body, c.actual.body, c.expected.rules, { contentType });
      expect(mismatches.some((m) => m.code === 'unsupported')).toBe(true);
      tally.xmlUnsupported += 1;
    });
  });

  afterAll(() => {
    console.log(`conformance: ${tally.jsonAgree}/${jsonCases.length} JSON cases agree, ${tally.xmlUnsupported}/${xmlCases.length} XML cases reported unsupported`);
  });
});
