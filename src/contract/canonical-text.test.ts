/**
 * The shortcut for JSON.stringify's output against the character-by-character scan it stands in for:
 * whenever it answers, its facts are the scan's and the scan records no number literal; on texts
 * that are not that output (repeated keys, other number spellings, escapes, spacing) it steps aside.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { canonicalTextFacts } from './canonical-text';
import type { JsonValue } from './json';
import { numberLiteral, scanContractText, scanContractTextFully } from './number-literals';
import { parseReadContract } from './reader';

const SEED = Number(process.env['HERALD_PROPERTY_SEED'] ?? 20261207);

/** Arrays nested `depth` levels deep around `inner`. */
const nested = (depth: number, inner: JsonValue[] = []): JsonValue => {
  let value: JsonValue = inner;
  for (let level = 1; level < depth; level++) value = [value];
  return value;
};

/** Every (holder, key) of a number in `value`, for asking the literal table what the scan recorded. */
function numberSlots(value: JsonValue): { holder: object; key: string | number }[] {
  const slots: { holder: object; key: string | number }[] = [];
  const pending: JsonValue[] = [value];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    const entries: [string | number, JsonValue][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, child] of entries) {
      if (typeof child === 'number') slots.push({ holder: node, key });
      else pending.push(child);
    }
  }
  return slots;
}

/** Compares the shortcut with the full scan on `text`; returns whether the shortcut answered. */
function expectSameFacts(text: string): boolean {
  const fast = canonicalTextFacts(text, JSON.parse(text) as JsonValue);
  const scanned = JSON.parse(text) as JsonValue;
  const full = scanContractTextFully(text, scanned);
  // What the whole function returns is the scan's, whichever way it was reached.
  expect({ text, facts: scanContractText(text, JSON.parse(text) as JsonValue) }).toEqual({ text, facts: full });
  if (fast === undefined) return false;
  expect({ text, facts: fast }).toEqual({ text, facts: full });
  const recorded = numberSlots(scanned).filter(({ holder, key }) => numberLiteral(holder, key) !== undefined);
  expect({ text, recorded }).toEqual({ text, recorded: [] });
  return true;
}

/** The ways a file may spell a value: JSON.stringify's (compact, indented) and others. */
const SPELLINGS: readonly ((value: JsonValue) => string)[] = [
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => `${JSON.stringify(v, null, 2)}\n`,
  (v) => JSON.stringify(v, null, 4),
  (v) => `${JSON.stringify(v, null, '\t')}\r\n`,
  (v) => JSON.stringify(v, null, '\t'),
  (v) => JSON.stringify(v, null, 2).replace(/\n/g, '\r\n'),
  (v) => ` ${JSON.stringify(v)}`,
  (v) => JSON.stringify(v).replace(/":/g, '": '),
  (v) => JSON.stringify(v).replace(/\//g, '\\/'),
  // Letters that occur only inside strings, spelled as escapes.
  (v) => JSON.stringify(v).replace(/b/g, '\\u0062').replace(/_/g, '\\u005f'),
];

/** Strings that look like structure, numbers or unsafe keys, and escapes. */
const trickyString = fc.constantFrom('[', ']}', '{"a":1}', '"', '\\', '\\"', 'a\\', '1.0', '-0', '1e400', '__proto__', 'constructor', '\n', '\u2028', '\ud800', 'é', '😀', '[]', '{}', ':', ',');
const key = fc.oneof(fc.string({ maxLength: 4 }), trickyString, fc.constantFrom('a', 'b', '0', '10', 'matchers', 'prototype'));
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.1, 12.5, 1e21, -1e-7, 2 ** 53 + 2, 5e-324, Number.MAX_VALUE));
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(number, fc.string({ maxLength: 6 }), trickyString, fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const container = json.filter((v) => typeof v === 'object' && v !== null);

describe('canonicalTextFacts', () => {
  it('answers as the full scan does, or not at all, on random values in many spellings', () => {
    let answered = 0;
    let total = 0;
    fc.assert(
      fc.property(container, (value) => {
        for (const spell of SPELLINGS) {
          total += 1;
          if (expectSameFacts(spell(value))) answered += 1;
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(answered).toBeGreaterThan(total / 10); // the shortcut is exercised, not only the fallback
  });

  it.each([
    ['a repeated key', '{"a":1,"a":2}'],
    ['a repeated key in a nested object', '{\n  "x": [\n    {\n      "k": 1,\n      "k": 1\n    }\n  ]\n}'],
    ['a repeated key spelled with an escape', '{"a":1,"\\u0061":1}'],
    ['a repeated key whose values are equal objects', '{"a":{},"a":{}}'],
    ['a decimal written with a trailing zero', '{"a":1.0}'],
    ['an exponent', '{"a":1e3}'],
    ['a negative zero', '{"a":-0}'],
    ['an integer beyond 2^53', '{"a":9007199254740993}'],
    ['a number read as Infinity', '{"a":1e400}'],
    ['an unsafe key', '{"__proto__":{}}'],
    ['an unsafe key spelled with an escape', '{"\\u005f_proto__":1}'],
    ['a "constructor" key', '{"a":[{"constructor":1}]}'],
    ['a "prototype" value', '{"a":"prototype"}'],
    ['integer-like keys out of order', '{"b":1,"1":2}'],
    ['nesting deeper than the shortcut counts', `${'['.repeat(65)}${']'.repeat(65)}`],
    ['indented nesting deeper than the shortcut counts', JSON.stringify(nested(65), null, 2)],
    ['indented nesting one deeper than the shortcut counts, at an empty array', JSON.stringify(nested(64, [[]]), null, 2)],
    ['nesting deeper than Herald accepts', `{"a":${'['.repeat(300)}${']'.repeat(300)}}`],
  ])('leaves %s to the full scan', (_name, text) => {
    expect(canonicalTextFacts(text, JSON.parse(text) as JsonValue)).toBeUndefined();
    expectSameFacts(text);
  });

  it.each([
    ['keys and strings with escaped quotes and backslashes', '{"a\\"b":"\\\\","c":["\\"]}[{"]}'],
    ['numbers inside strings', '{"a":"1.0","b":"1e400","c":"-0"}'],
    ['canonical decimals and exponents', '{"a":12.5,"b":1e+21,"c":5e-324,"d":-1.5e-7}'],
    ['empty containers at the deepest level', '{"a":[[{}]],"b":{"c":[]}}'],
    ['an indented file with a trailing newline', `${JSON.stringify({ a: [1, { b: [] }], c: 'x' }, null, 2)}\n`],
    ['nesting as deep as the shortcut counts', `${'['.repeat(64)}${']'.repeat(64)}`],
    ['indented nesting as deep as the shortcut counts', JSON.stringify(nested(64), null, 2)],
    ['an indented file whose deepest lines hold empty containers', '{\n  "a": [\n    [],\n    {}\n  ]\n}'],
    ['an indented file whose deepest lines hold brackets in strings', '{\n  "a": [\n    "[]",\n    "{}"\n  ],\n  "[]": 1\n}'],
    ['a lone surrogate', '{"a":"\\ud800"}'],
  ])('answers for %s, as the full scan does', (_name, text) => {
    expect(expectSameFacts(text)).toBe(true);
  });
});

describe('contract files read with the shortcut', () => {
  const ROOT = path.resolve(__dirname, '../..');
  /** Every JSON file under `dir` (relative to the repository), recursively. */
  const jsonFiles = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? jsonFiles(path.join(dir, entry.name)) : entry.name.endsWith('.json') ? [path.join(dir, entry.name)] : [],
    );
  const files = [...jsonFiles('contracts'), ...jsonFiles('test/fixtures/contracts')];

  /** The contract read from `text` with the given facts, or the error it throws (code and message). */
  const read = (text: string, scan: (text: string, json: JsonValue) => ReturnType<typeof scanContractTextFully> | undefined): unknown => {
    const json = JSON.parse(text) as JsonValue;
    try {
      return parseReadContract({ json, facts: scan(text, json) }, 'contract.json');
    } catch (error) {
      return { thrown: (error as { code?: string }).code, message: (error as Error).message };
    }
  };

  it('gives the contract, or the error, that the full scan gives, for every contract file in the repository in three spellings', () => {
    expect(files.length).toBeGreaterThan(5);
    let answered = 0;
    for (const file of files) {
      const original = readFileSync(path.join(ROOT, file), 'utf8');
      let json: JsonValue;
      try {
        json = JSON.parse(original) as JsonValue;
      } catch {
        continue; // malformed on purpose: JSON.parse refuses it before any scan
      }
      for (const text of [original, JSON.stringify(json), JSON.stringify(json, null, 2)]) {
        if (canonicalTextFacts(text, JSON.parse(text) as JsonValue) !== undefined) answered += 1;
        expect({ file, contract: read(text, canonicalTextFacts) }).toEqual({ file, contract: read(text, scanContractTextFully) });
      }
    }
    expect(answered).toBeGreaterThan(files.length);
  });
});
