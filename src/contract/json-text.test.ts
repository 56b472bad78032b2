import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDuplicateKey, invalidUtf8Offset } from './json-text';
import { readContractFile, readContractFileSync } from './load';
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
    }
  });
});
