/**
 * Guards for untrusted JSON: contract files read from disk and payloads declared in consumer tests.
 * Nothing here recurses, so a value nested 10 000 levels deep gives a coded error, not a stack overflow.
 */
import { rejectDuplicateKeys } from './json-text';
import { HeraldError } from '../errors/herald-error';
import type { JsonValue } from './json';
import { scanContractText, type TextFacts } from './number-literals';

/** Deepest nesting Herald accepts; the root array or object is level 1. */
export const MAX_JSON_DEPTH = 256;

/** Where a value comes from, used to name it in errors. */
export interface JsonWhere {
  /** Contract file being read. */
  readonly file?: string;
  /** Interaction description the value belongs to. */
  readonly interaction?: string;
  /** JSON pointer of the value itself (e.g. `/interactions/0/contents/content`); prefixed to pointers in errors. */
  readonly pointer?: string;
}

/** Tuning for {@link assertSafeJson}. */
export interface SafeJsonOptions {
  /** Deepest nesting accepted (the root container is level 1); defaults to {@link MAX_JSON_DEPTH}. */
  readonly maxDepth?: number;
  /** Names the interaction a failing pointer belongs to, when one value holds many (a whole contract file). */
  readonly interactionAt?: (pointer: string) => string | undefined;
}

/** Escapes one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Parses the text of a contract file. A leading byte-order mark is ignored.
 * Throws HERALD_CONTRACT_JSON naming `file:line:column` of the first syntax error, and
 * HERALD_CONTRACT_DUPLICATE_KEY when an object repeats a key.
 * Does not check depth or keys: call {@link assertSafeJson} on the result.
 *
 * @example parseJsonText(await readFile(path, 'utf8'), path)
 */
export function parseJsonText(text: string, file: string): JsonValue {
  return readJsonText(text, file).json;
}

/**
 * {@link parseJsonText}, with what its pass over the text found (depth, unsafe keys, non-finite
 * numbers): {@link jsonTextIsSafe} tells from them whether `assertSafeJson` could fail on the value.
 */
export function readJsonText(text: string, file: string): { readonly json: JsonValue; readonly facts: TextFacts } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(source) as JsonValue;
  } catch (error) {
    if (error instanceof RangeError) {
      // V8's parser is iterative today; keep a coded error should an engine overflow anyway.
      throw new HeraldError(
        'HERALD_PAYLOAD_TOO_DEEP',
        `Failed to parse contract file ${file}: it is nested too deeply for the JSON parser (${error.message}). ` + `Flatten the payload; Herald accepts up to ${MAX_JSON_DEPTH} levels of nesting.`,
        { contractFile: file, cause: error },
      );
    }
    const found = locateSyntaxError(source);
    const { line, column } = lineColumn(source, found?.offset ?? 0);
    const reason = found?.reason ?? (error instanceof Error ? error.message : String(error));
    throw new HeraldError(
      'HERALD_CONTRACT_JSON',
      `Failed to parse contract file ${file}:${line}:${column}: invalid JSON, ${reason}. ` + `Fix the JSON at line ${line}, column ${column}, or regenerate the file from the consumer tests.`,
      { contractFile: file, cause: error },
    );
  }
  // Numbers as written (number-literals.ts): `9007199254740993` and `3.0` keep their text.
  const facts = scanContractText(source, parsed);
  if (facts.repeatsKey) {
    rejectDuplicateKeys(source, file); // JSON.parse keeps the last of repeated keys: refuse instead
    throw new HeraldError(
      'HERALD_CONTRACT_DUPLICATE_KEY',
      `Failed to parse contract file ${file}: an object repeats a key; JSON readers would keep only one of them. Regenerate the file from the consumer tests.`,
      {
        contractFile: file,
      },
    );
  }
  return { json: parsed, facts };
}

/**
 * Whether the value of a text whose scan found `facts` passes {@link assertSafeJson} at `maxDepth`:
 * JSON.parse builds only plain objects, arrays, strings, booleans and null, so what is left to fail
 * is depth, an unsafe key or a number it read as Infinity.
 */
export function jsonTextIsSafe(facts: TextFacts, maxDepth: number): boolean {
  return facts.depth <= maxDepth && !facts.unsafeKey && !facts.nonFinite;
}

/**
 * Asserts that `value` is plain JSON that is safe to store in a contract and to walk:
 * - only strings, finite numbers, booleans, null, arrays and plain objects (HERALD_NOT_JSON otherwise);
 * - no own key `__proto__`, `constructor` or `prototype` (HERALD_UNSAFE_KEY);
 * - at most {@link MAX_JSON_DEPTH} levels of nesting, or `options.maxDepth` (HERALD_PAYLOAD_TOO_DEEP).
 *
 * It walks with an explicit stack and builds JSON pointers only when it fails, so it is cheap enough
 * to run on every declared message. Only own enumerable string keys are inspected (what
 * JSON.stringify writes); getters are invoked once.
 *
 * @example assertSafeJson(payload, { interaction: 'an order created event', pointer: '/contents/content' })
 */
export function assertSafeJson(value: unknown, where: JsonWhere = {}, options: SafeJsonOptions = {}): asserts value is JsonValue {
  const walk: Walk = { where, maxDepth: options.maxDepth ?? MAX_JSON_DEPTH, interactionAt: options.interactionAt };
  const stack: Frame[] = [];
  let current: unknown = value;
  for (;;) {
    if (typeof current === 'object' && current !== null) {
      const frame = openContainer(current, stack, walk);
      stack.push(frame);
    } else {
      checkScalar(current, stack, walk);
    }
    // Advance to the next unvisited child, closing finished containers.
    let next: unknown = NO_CHILD;
    while (next === NO_CHILD) {
      const top = stack[stack.length - 1];
      if (top === undefined) return;
      next = nextChild(top, stack, walk);
      if (next === NO_CHILD) stack.pop();
    }
    current = next;
  }
}

/** One open array or object on the walk; `index` is the next child to visit. */
interface Frame {
  readonly node: object;
  /** Own keys for objects; undefined for arrays. */
  readonly keys: readonly string[] | undefined;
  readonly length: number;
  index: number;
}

/** Settings of one walk. */
interface Walk {
  readonly where: JsonWhere;
  readonly maxDepth: number;
  readonly interactionAt: ((pointer: string) => string | undefined) | undefined;
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function openContainer(node: object, stack: readonly Frame[], walk: Walk): Frame {
  if (stack.length >= walk.maxDepth) throw tooDeep(node, stack, walk);
  if (Array.isArray(node)) return { node, keys: undefined, length: node.length, index: 0 };
  const proto: unknown = Object.getPrototypeOf(node);
  // A root prototype (Object.prototype of any realm) or none: a plain object.
  if (proto !== null && Object.getPrototypeOf(proto) !== null) {
    throw notJson(`${describeInstance(node)}, which JSON cannot represent`, hintForInstance(node), stack, walk);
  }
  const keys = Object.keys(node);
  return { node, keys, length: keys.length, index: 0 };
}

/** What {@link nextChild} returns for a finished container (no value a caller can pass is this symbol). */
const NO_CHILD: unique symbol = Symbol('no child');

/** The next child of the container (undefined is a child: a missing array item), or NO_CHILD when done. */
function nextChild(frame: Frame, stack: readonly Frame[], walk: Walk): unknown {
  if (frame.index >= frame.length) return NO_CHILD;
  const index = frame.index;
  frame.index += 1;
  if (frame.keys === undefined) return (frame.node as readonly unknown[])[index];
  const key = frame.keys[index] as string;
  if (UNSAFE_KEYS.has(key)) {
    const pointer = pointerOf(stack, walk.where);
    throw new HeraldError(
      'HERALD_UNSAFE_KEY',
      `Failed to accept ${subject(walk, pointer)}: key "${key}" at ${at(pointer)} is unsafe. ` +
        'Rename the key; "__proto__", "constructor" and "prototype" are rejected to prevent prototype pollution.',
      context(walk, pointer),
    );
  }
  return (frame.node as Readonly<Record<string, unknown>>)[key];
}

function checkScalar(value: unknown, stack: readonly Frame[], walk: Walk): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (Number.isFinite(value)) return;
      throw notJson(`${String(value)}, which JSON cannot represent`, 'use a finite number or null', stack, walk);
    case 'undefined':
      throw notJson('undefined, which JSON cannot represent', 'remove the property or use null', stack, walk);
    case 'bigint':
      throw notJson('a bigint, which JSON cannot represent', 'convert it to a number or a string', stack, walk);
    case 'function':
      throw notJson('a function, which JSON cannot represent', 'pass the value it returns instead', stack, walk);
    case 'symbol':
      throw notJson('a symbol, which JSON cannot represent', 'use a string', stack, walk);
    default:
      if (value === null) return;
      throw notJson('not a JSON value', 'use plain JSON', stack, walk);
  }
}

function tooDeep(node: object, stack: readonly Frame[], walk: Walk): HeraldError {
  // A cycle always ends here; report it as such, at the first container that repeats an ancestor.
  if (stack.some((frame) => frame.node === node)) {
    const seen = new Set<object>();
    const repeat = stack.findIndex((frame) => (seen.has(frame.node) ? true : (seen.add(frame.node), false)));
    const pointer = pointerOf(repeat < 0 ? stack : stack.slice(0, repeat), walk.where);
    return new HeraldError(
      'HERALD_NOT_JSON',
      `Failed to accept ${subject(walk, pointer)}: the value at ${at(pointer)} contains itself (circular reference), ` + 'which JSON cannot represent. Remove the circular reference.',
      context(walk, pointer),
    );
  }
  const pointer = pointerOf(stack, walk.where);
  return new HeraldError(
    'HERALD_PAYLOAD_TOO_DEEP',
    `Failed to accept ${subject(walk, pointer)}: the value at ${at(pointer)} is nested more than ${walk.maxDepth} levels deep. ` +
      `Flatten the payload; Herald accepts up to ${MAX_JSON_DEPTH} levels of nesting in a payload.`,
    context(walk, pointer),
  );
}

function notJson(what: string, hint: string, stack: readonly Frame[], walk: Walk): HeraldError {
  const pointer = pointerOf(stack, walk.where);
  return new HeraldError(
    'HERALD_NOT_JSON',
    `Failed to accept ${subject(walk, pointer)}: the value at ${at(pointer)} is ${what}. ` + `Use only strings, finite numbers, booleans, null, arrays and plain objects: ${hint}.`,
    context(walk, pointer),
  );
}

function describeInstance(node: object): string {
  const name = constructorName(node);
  return name === undefined ? 'an object with a custom prototype' : `an instance of ${name}`;
}

function hintForInstance(node: object): string {
  if (node instanceof Date) return 'use an ISO-8601 string (date.toISOString())';
  if (node instanceof Map || node instanceof Set) return 'convert it to a plain object or an array';
  if (ArrayBuffer.isView(node)) return 'encode the bytes as a base64 string';
  return 'convert it to a plain object';
}

function constructorName(node: object): string | undefined {
  try {
    const ctor: unknown = (Object.getPrototypeOf(node) as { constructor?: unknown }).constructor;
    return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : undefined;
  } catch {
    return undefined;
  }
}

/** Pointer of the value being visited: the key most recently taken from each open container. */
function pointerOf(stack: readonly Frame[], where: JsonWhere): string {
  let pointer = where.pointer ?? '';
  for (const frame of stack) {
    const index = frame.index - 1;
    if (index < 0) break;
    pointer += `/${pointerSegment(frame.keys === undefined ? index : (frame.keys[index] as string))}`;
  }
  return pointer;
}

function interactionOf(walk: Walk, pointer: string): string | undefined {
  return walk.where.interaction ?? walk.interactionAt?.(pointer);
}

function subject(walk: Walk, pointer: string): string {
  const interaction = interactionOf(walk, pointer);
  const parts: string[] = [];
  if (interaction !== undefined) parts.push(`interaction "${interaction}"`);
  if (walk.where.file !== undefined) parts.push(`contract file ${walk.where.file}`);
  return parts.length === 0 ? 'a JSON value' : `JSON in ${parts.join(' of ')}`;
}

function context(walk: Walk, pointer: string): { contractFile?: string; interaction?: string; pointer: string } {
  const interaction = interactionOf(walk, pointer);
  return {
    ...(walk.where.file === undefined ? {} : { contractFile: walk.where.file }),
    ...(interaction === undefined ? {} : { interaction }),
    pointer,
  };
}

/** Names a pointer in a message; very deep pointers are shortened (the full one stays on `error.pointer`). */
function at(pointer: string): string {
  if (pointer === '') return 'the root';
  return pointer.length <= 120 ? pointer : `${pointer.slice(0, 60)}…${pointer.slice(-50)}`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// --- locating syntax errors --------------------------------------------------------------------
// JSON.parse messages differ between Node versions and do not always carry a position, so a failed
// parse is re-scanned by this small iterative recogniser of RFC 8259 to find the first bad offset.

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Offset and reason of the first JSON syntax error in `text`, or undefined if it is valid. */
export function locateSyntaxError(text: string): { offset: number; reason: string } | undefined {
  const containers: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const fail = (offset: number, reason: string): { offset: number; reason: string } => ({ offset, reason });
  const afterValue = (): Expect => (containers.length === 0 ? 'end' : 'commaOrClose');
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    const top = containers[containers.length - 1];
    switch (expect) {
      case 'end':
        return fail(i, `unexpected ${show(c)} after the end of the JSON value`);
      case 'colon':
        if (c !== ':') return fail(i, `expected ':' after a property name, found ${show(c)}`);
        i += 1;
        expect = 'value';
        continue;
      case 'commaOrClose': {
        const close = top === '[' ? ']' : '}';
        if (c === ',') {
          i += 1;
          expect = top === '[' ? 'value' : 'key';
        } else if (c === close) {
          i += 1;
          containers.pop();
          expect = afterValue();
        } else {
          return fail(i, `expected ',' or '${close}' after a ${top === '[' ? 'array element' : 'property value'}, found ${show(c)}`);
        }
        continue;
      }
      case 'key':
      case 'keyOrClose':
        if (c === '}' && expect === 'keyOrClose') {
          i += 1;
          containers.pop();
          expect = afterValue();
          continue;
        }
        if (c !== '"') {
          const trailing = c === '}' ? ' (trailing comma?)' : '';
          return fail(i, `expected a property name in double quotes, found ${show(c)}${trailing}`);
        }
        {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
        }
        expect = 'colon';
        continue;
      case 'value':
      case 'valueOrClose': {
        if (c === ']' && expect === 'valueOrClose') {
          i += 1;
          containers.pop();
          expect = afterValue();
          continue;
        }
        if (c === '{' || c === '[') {
          containers.push(c);
          i += 1;
          expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
          continue;
        }
        let end: number | { offset: number; reason: string };
        if (c === '"') end = scanString(text, i);
        else if (c === '-' || (c >= '0' && c <= '9')) end = scanNumber(text, i);
        else end = scanLiteral(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        expect = afterValue();
        continue;
      }
    }
  }
  if (expect === 'end') return undefined;
  return fail(text.length, containers.length > 0 ? `unexpected end of input inside ${containers.length === 1 ? 'a container' : `${containers.length} nested containers`}` : 'unexpected end of input');
}

function scanString(text: string, start: number): number | { offset: number; reason: string } {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { offset: i, reason: 'unescaped control character (e.g. a line break) in a string' };
    if (code === 0x5c) {
      const escape = text[i + 1];
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, reason: 'invalid \\u escape in a string' };
        i += 6;
        continue;
      }
      if (escape === undefined || !'"\\/bfnrt'.includes(escape)) return { offset: i, reason: `invalid escape ${show(`\\${escape ?? ''}`)} in a string` };
      i += 2;
      continue;
    }
    i += 1;
  }
  return { offset: start, reason: 'unterminated string' };
}

function scanNumber(text: string, start: number): number | { offset: number; reason: string } {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (match === null) return { offset: start, reason: 'invalid number' };
  const end = start + match[0].length;
  const next = text[end];
  if (next === '.' || next === 'e' || next === 'E') return { offset: end, reason: 'invalid number' };
  return end;
}

function scanLiteral(text: string, start: number): number | { offset: number; reason: string } {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  const c = text[start] as string;
  const hint = c === "'" ? ' (strings need double quotes)' : '';
  return { offset: start, reason: `expected a value, found ${show(c)}${hint}` };
}

function show(c: string): string {
  return JSON.stringify(c);
}
