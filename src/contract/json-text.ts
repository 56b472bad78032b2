/**
 * Checks on the raw text of a contract file that JSON.parse does not make: the bytes are UTF-8
 * (a replacement character would later read as a mismatch), and no object repeats a key (JSON.parse
 * keeps the last one, silently dropping e.g. a first "interactions" array).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { HeraldError } from '../errors/herald-error';

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte: length and the allowed range of the first continuation byte (RFC 3629 table).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k += 1) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Decodes a contract file's bytes; invalid UTF-8 is an input error naming the byte offset. */
export function decodeContractBytes(bytes: Uint8Array, file: string): string {
  // Most contract files are ASCII: its bytes are their characters, copied without UTF-8 decoding (about 30× faster).
  if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  // Node's native check first; the scan above only names the offset of a file that fails it.
  const bad = isUtf8(bytes) ? -1 : Math.max(0, invalidUtf8Offset(bytes));
  if (bad >= 0) {
    const around = Array.from(bytes.subarray(bad, Math.min(bad + 4, bytes.length)), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new HeraldError(
      'HERALD_CONTRACT_ENCODING',
      `Failed to read contract file ${file}: it is not UTF-8, byte offset ${bad} (bytes ${around}) starts no valid character. ` + 'Save the file as UTF-8, or regenerate it from the consumer tests.',
      { contractFile: file },
    );
  }
  return new TextDecoder('utf-8').decode(bytes);
}

export interface DuplicateKey {
  readonly key: string;
  /** Offset of the repeated key's opening quote in the text. */
  readonly offset: number;
  /** Offset of the first occurrence's opening quote. */
  readonly firstOffset: number;
  /** JSON pointer segments of the object holding both keys. */
  readonly parent: readonly (string | number)[];
}

type Frame = { readonly kind: 'object'; readonly keys: Map<string, number>; key: string | undefined } | { readonly kind: 'array'; index: number };

/** End (exclusive) of the JSON string whose opening quote is at `start`. */
/** The text of the JSON string `text.slice(start, end)` (quotes included): JSON.parse only when it has escapes. */
export function stringAt(text: string, start: number, end: number): string {
  for (let k = start + 1; k < end - 1; k++) if (text.charCodeAt(k) === 0x5c) return JSON.parse(text.slice(start, end)) as string;
  return text.slice(start + 1, end - 1);
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return text.length;
}

/**
 * Finds the first object key repeated in the same object. Expects text JSON.parse accepted; one
 * linear pass, no recursion.
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === 'object') {
        const key = stringAt(text, i, end);
        const first = top.keys.get(key);
        if (first !== undefined) {
          return { key, offset: i, firstOffset: first, parent: stack.slice(0, -1).map((f) => (f.kind === 'object' ? (f.key as string) : f.index)) };
        }
        top.keys.set(key, i);
        top.key = key;
        expectKey = false;
      }
      i = end;
      continue;
    }
    if (c === 0x7b) {
      stack.push({ kind: 'object', keys: new Map(), key: undefined });
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push({ kind: 'array', index: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index += 1;
      else expectKey = true;
    }
    i += 1;
  }
  return undefined;
}

function lineColumnOf(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

const pointerOf = (segments: readonly (string | number)[]): string => segments.map((s) => `/${typeof s === 'number' ? s : s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Throws HERALD_CONTRACT_DUPLICATE_KEY, naming line:column and JSON pointer, if an object repeats a key. */
export function rejectDuplicateKeys(text: string, file: string): void {
  const duplicate = findDuplicateKey(text);
  if (duplicate === undefined) return;
  const at = lineColumnOf(text, duplicate.offset);
  const pointer = pointerOf([...duplicate.parent, duplicate.key]);
  throw new HeraldError(
    'HERALD_CONTRACT_DUPLICATE_KEY',
    `Failed to parse contract file ${file}:${at}: the key ${JSON.stringify(duplicate.key)} appears twice in the same object (at ${pointer}, first at ${lineColumnOf(text, duplicate.firstOffset)}); ` +
      'JSON readers would keep only one of them. Merge the two into one key, or regenerate the file from the consumer tests.',
    { contractFile: file, pointer },
  );
}
