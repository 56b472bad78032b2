import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonValue } from './json';
import { decodeContractBytes, findDuplicateKey, invalidUtf8Offset } from './json-text';
import { readContractFile, readContractFileSync } from './load';
import { keptText, numberLiteral, scanContractText, scanContractTextFully } from './number-literals';
import { parseContract } from './reader';
import { readExisting } from './store';
import { parseJsonText } from './safe-json';

const valid = (interactions: string): string =>
  `{\n  "consumer": {"name": "billing"},\n  "provider": {"name": "orders"},\n${interactions},\n  "metadata": {"pactSpecification": {"version": "4.0"}}\n}\n`;
const one = '{"type": "Asynchronous/Messages", "description": "one", "contents": {"content": {"id": "é"}, "contentType": "application/json", "encoded": false}}';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'herald-json-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('repeated keys', () => {
  it('refuses two "interactions" arrays, naming line:column and the JSON pointer', async () => {
    const file = path.join(dir, 'dup.json');
    writeFileSync(file, valid(`  "interactions": [${one}],\n  "interactions": []`));
    const expected = { code: 'HERALD_CONTRACT_DUPLICATE_KEY', pointer: '/interactions', message: expect.stringContaining(`${file}:5:3`) };
    await expect(readContractFile(file)).rejects.toMatchObject(expected);
    expect(() => readContractFileSync(file)).toThrow(expect.objectContaining(expected));
    await expect(readExisting(file)).rejects.toMatchObject(expected);
  });

  it('names the pointer of a key repeated deep inside', () => {
    expect(() => parseJsonText('{"a": [{"x": 1}, {"y": {"k": 1, "k": 2}}]}', 'f.json')).toThrow(
      expect.objectContaining({ code: 'HERALD_CONTRACT_DUPLICATE_KEY', pointer: '/a/1/y/k', message: expect.stringContaining('f.json:1:33') }),
    );
  });

  it('tells keys apart by their decoded text, and keys from string values', () => {
    expect(findDuplicateKey('{"a": "a", "b": {"a": 1}, "c": ["a", "a"]}')).toBeUndefined();
    expect(findDuplicateKey('{"a\\"b": 1, "a\\u0022b": 2}')).toMatchObject({ key: 'a"b', parent: [] });
    expect(findDuplicateKey('{"x/y~": {}, "z": [{}, {"x/y~": 1, "x/y~": 1}]}')).toMatchObject({ key: 'x/y~', parent: ['z', 1] });
  });

  it('the one-pass scan finds a repeated key exactly where findDuplicateKey does, on random JSON', () => {
    // Keys that collide only once decoded ("a" and "\u0061"), escaped quotes, and shadowed containers.
    const keys = ['"a"', '"\\u0061"', '"b"', '"a\\"b"', '"a\\u0022b"', '"\\\\"', '"__proto__"'];
    let seed = 11;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) % n;
    const value = (depth: number): string => {
      const pick = next(depth > 3 ? 4 : 7);
      if (pick === 0) return String(next(100));
      if (pick === 1) return '"a\\"}{"';
      if (pick === 2) return '1.50';
      if (pick === 3) return 'null';
      if (pick === 4) return `[${Array.from({ length: next(3) }, () => value(depth + 1)).join(', ')}]`;
      return `{${Array.from({ length: next(4) }, () => `${keys[next(keys.length)] ?? '"k"'}: ${value(depth + 1)}`).join(', ')}}`;
    };
    let repeats = 0;
    for (let n = 0; n < 3000; n++) {
      const text = `{"root": ${value(0)}}`;
      const expected = findDuplicateKey(text) !== undefined;
      if (expected) repeats += 1;
      expect({ text, repeats: scanContractText(text, JSON.parse(text)).repeatsKey }).toEqual({ text, repeats: expected });
    }
    expect(repeats).toBeGreaterThan(100); // the generator does produce repeated keys
  });
});

describe('number literals recorded by the one-pass scan', () => {
  it('records every non-canonical literal at its holder and key, and nothing else, on random JSON', () => {
    const literals = ['1', '1.0', '3.50', '12.5', '9007199254740993', '1e3', '1E+2', '-0', '-0.0', '0.1', '-7', '123456789012345', '1234567890123456'];
    // Distinct once decoded; some spelled with escapes.
    const keys = ['"a"', '"b\\u0062"', '"matchers"', '"match"', '"k\\"q"', '"\\u00e9t\\u00e9"', '"n"'];
    let seed = 5;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) % n;
    type Expect = { holder: string[]; key: string | number; literal: string };
    const value = (depth: number, at: string[], key: string | number, out: Expect[]): string => {
      const pick = next(depth > 3 ? 2 : 5);
      if (pick <= 1) {
        const literal = literals[next(literals.length)] ?? '1';
        out.push({ holder: at, key, literal });
        return literal;
      }
      if (pick === 2) return '"1.50 \\" ]"';
      const path = [...at, String(key)];
      if (pick === 3) return `[${Array.from({ length: next(4) }, (_, i) => value(depth + 1, path, i, out)).join(', ')}]`;
      const chosen = keys.filter(() => next(2) === 0);
      return `{${chosen.map((k) => `${k}: ${value(depth + 1, path, JSON.parse(k) as string, out)}`).join(', ')}}`;
    };
    for (let n = 0; n < 500; n++) {
      const out: Expect[] = [];
      const text = `{"root": ${value(0, [], 'root', out)}}`;
      const parsed = JSON.parse(text) as JsonValue;
      scanContractText(text, parsed);
      for (const { holder, key, literal } of out) {
        let node: unknown = parsed;
        for (const segment of holder) node = (node as Record<string, unknown>)[segment];
        const canonical = JSON.stringify(Number(literal)) === literal;
        expect({ text, key, literal, recorded: numberLiteral(node, key) }).toEqual({ text, key, literal, recorded: canonical ? undefined : literal });
      }
    }
  });
});

describe('rule maps the scan has seen', () => {
  /** Every recorded literal of `value`, by path: what numberLiteral answers at each container and key. */
  const recordedLiterals = (value: unknown, at = '$', out: Record<string, string> = {}): Record<string, string> => {
    if (typeof value !== 'object' || value === null) return out;
    for (const [key, child] of Object.entries(value)) {
      const literal = numberLiteral(value, key);
      if (literal !== undefined) out[`${at}.${key}`] = literal;
      recordedLiterals(child, `${at}.${key}`, out);
    }
    return out;
  };

  it('finds in a repeated rule map what it finds under a key that is not kept, at any depth, on random files', () => {
    const pieces = [
      '{"body": {"$.n": {"matchers": [{"match": "type"}]}}}',
      '{"min": 1.50}',
      '{"a": [1, 2.0]}',
      '{"x": {"y": {"z": {}}}}',
      '{"\\u005f_proto__": 1}',
      '{"big": 1e400}',
      '{"k": 1, "k": 2}',
      '{}',
    ];
    let seed = 11;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) % n;
    const value = (depth: number): string => {
      const pick = next(depth > 4 ? 2 : 4);
      if (pick === 0) return `{"matchingRules": ${pieces[next(pieces.length)] ?? '{}'}}`;
      if (pick === 1) return String(next(3) === 0 ? '2.50' : next(100));
      if (pick === 2) return `[${Array.from({ length: next(3) + 1 }, () => value(depth + 1)).join(', ')}]`;
      return `{"o${depth}": ${value(depth + 1)}, "generators": ${value(depth + 1)}}`;
    };
    let skipped = 0;
    for (let n = 0; n < 400; n++) {
      const text = `{"all": [${Array.from({ length: 6 }, () => value(0)).join(', ')}]}`;
      // Same length, same structure; "matchingRulez" is not a kept key, so every map is scanned in full.
      const plain = text.replace(/"matchingRules"/g, '"matchingRulez"');
      const parsed = JSON.parse(text) as JsonValue;
      const plainParsed = JSON.parse(plain) as JsonValue;
      const facts = scanContractTextFully(text, parsed);
      const plainFacts = scanContractTextFully(plain, plainParsed);
      expect({ text, facts }).toEqual({ text, facts: plainFacts });
      if (!facts.repeatsKey)
        expect({ text, literals: recordedLiterals(parsed) }).toEqual({
          text,
          literals: JSON.parse(JSON.stringify(recordedLiterals(plainParsed)).replace(/matchingRulez/g, 'matchingRules')) as unknown,
        });
      if (/("matchingRules": \{"(?:body|x)".*){2}/.test(text)) skipped += 1;
    }
    expect(skipped).toBeGreaterThan(50); // the generator does repeat clean maps
  });

  it('records the literals of every copy of a map that has some, and names copies by one text', () => {
    const text = '{"a": {"matchingRules": {"min": 1.50}}, "b": {"c": {"matchingRules": {"min": 1.50}}}, "d": {"matchingRules": {"m": 1}}, "e": {"matchingRules": {"m": 1}}}';
    const parsed = JSON.parse(text) as { a: { matchingRules: object }; b: { c: { matchingRules: object } }; d: { matchingRules: object }; e: { matchingRules: object } };
    expect(scanContractTextFully(text, parsed as unknown as JsonValue)).toEqual({ repeatsKey: false, depth: 4, unsafeKey: false, nonFinite: false });
    expect([numberLiteral(parsed.a.matchingRules, 'min'), numberLiteral(parsed.b.c.matchingRules, 'min')]).toEqual(['1.50', '1.50']);
    expect(keptText(parsed.e.matchingRules)).toBe('{"m": 1}');
    expect(keptText(parsed.d.matchingRules)).toBe(keptText(parsed.e.matchingRules));
  });

  it('does not take a map shadowed by a repeated key as clean: what it did not record is recorded in the copy that counts', () => {
    // The first "x" is shadowed by the second (JSON.parse keeps 1): its map is scanned into a throw-away container.
    const text = '{"a": {"x": {"matchingRules": {"min": 1.50}}, "x": 1, "b": {"matchingRules": {"min": 1.50}}}}';
    const parsed = JSON.parse(text) as { a: { b: { matchingRules: object } } };
    expect(scanContractTextFully(text, parsed as unknown as JsonValue).repeatsKey).toBe(true);
    expect(numberLiteral(parsed.a.b.matchingRules, 'min')).toBe('1.50');
  });
});

describe('checks a contract file in one pass over its text', () => {
  const contract = (content: string): string =>
    valid(`  "interactions": [{"type": "Asynchronous/Messages", "description": "one", "contents": {"content": ${content}, "contentType": "application/json", "encoded": false}}]`);

  it.each([
    ['an escaped "__proto__" key', '{"\\u005f_proto__": {}}'],
    ['a "constructor" key', '{"a": [{"constructor": 1}]}'],
    ['a "prototype" key', '{"prototype": 1}'],
    ['a number JSON.parse reads as Infinity', '{"big": 1e400}'],
    ['nesting deeper than Herald accepts', `${'['.repeat(300)}${']'.repeat(300)}`],
  ])('refuses %s with the error the full walk gives', async (_name, content) => {
    const file = path.join(dir, 'unsafe.json');
    const text = contract(content);
    writeFileSync(file, text);
    let walked: unknown;
    try {
      parseContract(JSON.parse(text), file); // parseContract always walks the value
    } catch (error) {
      walked = error;
    }
    expect(walked).toMatchObject({ code: expect.stringMatching(/^HERALD_(UNSAFE_KEY|NOT_JSON|PAYLOAD_TOO_DEEP)$/) });
    const { code, message, pointer } = walked as { code: string; message: string; pointer: string };
    await expect(readContractFile(file)).rejects.toMatchObject({ code, message, pointer });
    expect(() => readContractFileSync(file)).toThrow(expect.objectContaining({ code, message, pointer }));
  });

  it('shares the rules of interactions that spell them alike, and only those', () => {
    const file = path.join(dir, 'rules.json');
    const item = (description: string, rules: string): string =>
      `{"type": "Asynchronous/Messages", "description": "${description}", "contents": {"content": {"n": 1.5}, "contentType": "application/json", "encoded": false}, "matchingRules": ${rules}}`;
    const rules = '{"body": {"$.n": {"matchers": [{"match": "number", "min": 1.50}]}}}';
    const other = '{"body": {"$.n": {"matchers": [{"match": "number", "min": 1.5}]}}}'; // equal as numbers, not as written
    writeFileSync(file, valid(`  "interactions": [${item('a', rules)}, ${item('b', rules)}, ${item('c', other)}]`));
    const [a, b, c] = readContractFileSync(file).interactions;
    expect(a?.matchingRules).toBe(b?.matchingRules);
    expect(c?.matchingRules).not.toBe(a?.matchingRules);
    expect(c?.matchingRules).toEqual(a?.matchingRules);
  });

  it('reads the same contract as parseContract over JSON.parse when nothing is unsafe', () => {
    const file = path.join(dir, 'ok.json');
    const text = contract('{"price": 3.0, "id": 9007199254740993, "nested": [[{"k": "v"}]], "constructors": 1}');
    writeFileSync(file, text);
    expect(readContractFileSync(file)).toEqual({ ...parseContract(JSON.parse(text), file), source: file });
  });
});

describe('invalid UTF-8', () => {
  it('is an input error naming the byte offset, never a replacement character', async () => {
    const file = path.join(dir, 'latin1.json');
    const text = Buffer.from(valid(`  "interactions": [${one}]`), 'utf8');
    const at = text.indexOf(Buffer.from('é', 'utf8'));
    text[at] = 0xe9; // Latin-1 é: a lead byte followed by a quote
    text[at + 1] = 0x22;
    writeFileSync(file, text);
    const expected = { code: 'HERALD_CONTRACT_ENCODING', message: expect.stringContaining(`byte offset ${at}`) };
    await expect(readContractFile(file)).rejects.toMatchObject(expected);
    expect(() => readContractFileSync(file)).toThrow(expect.objectContaining(expected));
    await expect(readExisting(file)).rejects.toMatchObject(expected);
  });

  it.each([
    [[0x61, 0x80], 1],
    [[0xc0, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0], // a surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0xe2, 0x82], 0], // truncated
    [[0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], -1],
  ])('finds the first bad byte in %j at %d', (bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('reads ASCII bytes as their characters, a view into a larger buffer too, and anything else through the UTF-8 decoder', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const ascii = Buffer.from('{"a":"\\u00e9\\n","b":[1,2.50]}\n');
    expect(decodeContractBytes(ascii, 'f.json')).toBe(fatal.decode(ascii));
    const inside = Buffer.concat([Buffer.from([0xc3, 0xa9]), ascii, Buffer.from([0xe2, 0x82, 0xac])]).subarray(2, 2 + ascii.length);
    expect(decodeContractBytes(new Uint8Array(inside.buffer, inside.byteOffset, inside.byteLength), 'f.json')).toBe(fatal.decode(ascii));
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"é":"€"}')]);
    expect(decodeContractBytes(bytes, 'f.json')).toBe(fatal.decode(bytes));
    expect(decodeContractBytes(Uint8Array.from([0x7b, 0x7d, 0x7f]), 'f.json')).toBe('{}\u007f');
  });

  it('agrees with a strict decoder on random bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: 1 + (n % 9) }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) & 0xff);
      let ok = true;
      try {
        fatal.decode(bytes);
      } catch {
        ok = false;
      }
      expect(invalidUtf8Offset(bytes) === -1).toBe(ok);
      if (ok) expect(decodeContractBytes(bytes, 'f.json')).toBe(fatal.decode(bytes));
      else expect(() => decodeContractBytes(bytes, 'f.json')).toThrow(expect.objectContaining({ code: 'HERALD_CONTRACT_ENCODING' }));
    }
  });
});
