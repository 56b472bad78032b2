/**
 * Pact's matching corpus (pact-specification `testcases/`, V3 and V4 layouts) in one shape: body,
 * content type, body rules and metadata for each side of a case. Read from Herald's data files
 * (test/conformance/data/, converted once by scripts/import-conformance.ts), or from a raw corpus.
 *
 *   V3 message:  { contents, metaData, matchingRules: { body } }
 *   V3 response: { headers: { Content-Type }, body, matchingRules: { body } }
 *   V4 message:  { contents: { content, contentType, encoded }, metadata, matchingRules: { content } }
 *   V4 response: { headers, body: { content, contentType, encoded }, matchingRules: { body } }
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/contract/json';
import type { RuleMap } from '../../src/contract/model';

export interface CaseSide {
  readonly body: JsonValue | undefined;
  readonly contentType: string | undefined;
  readonly rules: RuleMap;
  readonly metadata: JsonObject | undefined;
}

export interface CorpusCase {
  /** Path relative to the corpus directory, e.g. `pact-v3/message/body/missing key.json`. */
  readonly file: string;
  readonly match: boolean;
  readonly comment: string;
  readonly expected: CaseSide;
  readonly actual: CaseSide;
  /** XML content: Herald reports it as unsupported. */
  readonly xml: boolean;
}

/** Repository root (two levels above this file). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Herald's copy of the corpus (scripts/import-conformance.ts writes it from Pact's test cases). */
export const dataDir = path.join(repoRoot, 'test', 'conformance', 'data');

/** A raw corpus checkout to read instead of the data files (HERALD_CONFORMANCE_DIR), if set. */
export function corpusDir(): string | undefined {
  const fromEnv = process.env['HERALD_CONFORMANCE_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : undefined;
}

/** Every case in Herald's data files, in file order. */
export function loadDataCases(dir: string = dataDir): CorpusCase[] {
  return listFiles(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { cases: CorpusCase[] }).cases);
}

/** Every file below `dir`, sorted, relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function readCase(dir: string, file: string): CorpusCase {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  if (!isJsonObject(raw) || typeof raw['match'] !== 'boolean' || !isJsonObject(raw['expected']) || !isJsonObject(raw['actual'])) {
    throw new Error(`${file} is not a matching test case ({ match, comment, expected, actual })`);
  }
  const v4 = file.split('/').includes('pact-v4');
  const message = file.split('/').includes('message');
  const expected = readSide(raw['expected'], v4, message);
  const actual = readSide(raw['actual'], v4, message);
  const xml = /xml/i.test(path.basename(file)) || [expected.contentType, actual.contentType].some((ct) => ct !== undefined && /xml/i.test(ct));
  return { file, match: raw['match'], comment: typeof raw['comment'] === 'string' ? raw['comment'] : '', expected, actual, xml };
}

function readSide(side: JsonObject, v4: boolean, message: boolean): CaseSide {
  const metadata = objectOr(side['metaData']) ?? objectOr(side['metadata']);
  const rulesBlock = objectOr(side['matchingRules']) ?? {};
  const rules = (objectOr(rulesBlock['content']) ?? objectOr(rulesBlock['body']) ?? {}) as unknown as RuleMap;
  const rawBody = message ? side['contents'] : side['body'];
  let body: JsonValue | undefined = rawBody;
  let contentType: string | undefined;
  // V4 wraps bodies as { content, contentType, encoded }; a few V4 cases still give a bare body.
  if (v4 && isJsonObject(rawBody) && 'content' in rawBody) {
    body = rawBody['content'];
    contentType = stringOr(rawBody['contentType']);
  }
  contentType ??= stringOr(metadata?.['contentType']) ?? header(objectOr(side['headers']), 'content-type');
  return { body, contentType, rules, metadata };
}

function objectOr(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

function stringOr(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function header(headers: JsonObject | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return stringOr(headers[key]);
  return undefined;
}
