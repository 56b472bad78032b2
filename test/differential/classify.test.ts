/** The list logic of the differential harness, on made-up verdicts (no verifier runs). */
import { classify, formatTable } from './harness';
import type { KnownDifference } from './known-differences';
import type { ComparedPair } from './pair';

const pair = (description: string, pactjs: 'pass' | 'fail', herald: 'pass' | 'fail'): ComparedPair => ({
  version: 'v4',
  caseId: 'case',
  mutation: description,
  description,
  pactFile: '/tmp/case-v4-p.json',
  message: { body: { v: '\ud800' }, metadata: {} },
  pactjs: { verdict: pactjs, detail: pactjs === 'fail' ? 'rejected by pact-js' : '' },
  herald: { verdict: herald, detail: herald === 'fail' ? 'rejected by Herald' : '' },
});

const known: KnownDifference[] = [
  { pairs: ['listed', 'fixed since'], herald: 'pass', why: 'a Herald false pass' },
  { pairs: [/^random /], herald: 'fail', why: 'a Pact bug' },
  { pairs: ['not yet'], herald: 'pass', why: 'appears after a fix', mayAgree: true },
];

test('explains a listed disagreement and flags an unlisted one', () => {
  const c = classify([pair('listed', 'fail', 'pass'), pair('unknown', 'fail', 'pass')], known);
  expect(c.explained.map((e) => e.pair.description)).toEqual(['listed']);
  expect(c.unlisted.map((p) => p.description)).toEqual(['unknown']);
});

test('a listed pair that disagrees the other way round is unlisted', () => {
  expect(classify([pair('listed', 'pass', 'fail')], known).unlisted).toHaveLength(1);
});

test('patterns explain random pairs in their direction only', () => {
  const c = classify([pair('random 1', 'pass', 'fail'), pair('random 2', 'fail', 'pass')], known);
  expect(c.explained.map((e) => e.pair.description)).toEqual(['random 1']);
  expect(c.unlisted.map((p) => p.description)).toEqual(['random 2']);
});

test('a listed pair that now agrees is stale, unless it may agree', () => {
  const c = classify([pair('fixed since', 'fail', 'fail'), pair('not yet', 'fail', 'fail')], known);
  expect(c.stale.map((s) => s.id)).toEqual(['fixed since']);
});

test('the table names the interaction, both verdicts, and escapes lone surrogates', () => {
  const table = formatTable([pair('unknown', 'fail', 'pass')]);
  expect(table).toContain('• unknown');
  expect(table).toContain('pact-js   FAIL  rejected by pact-js');
  expect(table).toContain('herald    PASS');
  expect(table).toContain('{"v":"\\ud800"}');
});
