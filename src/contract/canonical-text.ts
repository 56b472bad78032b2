/**
 * A shortcut for the scan of a contract file's text (number-literals.ts), made of native string
 * operations: most files are exactly what `JSON.stringify(value, null, indent)` writes for their
 * parsed value (pact-js, Herald's writer), and for such a text the facts the scan looks for are
 * known without walking it character by character in JavaScript, which a cold CLI runs un-optimised.
 *
 * When the text is that output (plus trailing whitespace):
 * - no object repeats a key: JSON.stringify writes each own key of the value once, and equal texts
 *   have equal tokens;
 * - every number literal is what JSON.stringify writes for its double, so there is no literal to
 *   record and none that JSON.parse read as ±Infinity (JSON.stringify writes those as `null`);
 * - a key that reads `__proto__`, `constructor` or `prototype` is written as that quoted word, which
 *   a substring search finds (any hit, a string value too, leaves the file to the scan).
 * The depth is read from the indentation of an indented text, else counted on the brackets left once
 * strings are taken out. Anything else, or any doubt, returns undefined and the exact scan runs.
 */
import type { JsonValue } from './json';
import type { TextFacts } from './number-literals';

/** Above this depth the shortcut gives up (each level costs one pass): the exact scan counts it. */
const MAX_COUNTED_DEPTH = 64;

/** A JSON string token, or a run of characters that are neither brackets nor a quote. */
const NOT_BRACKETS = /"[^"\\]*(?:\\.[^"\\]*)*"|[^[\]{}"]+/g;
/** An innermost (empty) container, once everything but brackets is gone. */
const EMPTY_CONTAINER = /\{\}|\[\]/g;
const TRAILING_WHITESPACE = /^[ \t\n\r]*$/;
/** The indentation of a pretty-printed container's first line (JSON.stringify takes up to 10 characters). */
const INDENT = /^[[{]\n([ \t]{1,10})["[{\-0-9tfn]/;

/**
 * What `scanContractText(text, root)` returns, when `text` is the output of JSON.stringify for
 * `root` (compact or indented) and carries no number literal to record; else undefined.
 * `root` must be what JSON.parse returned for `text`.
 */
export function canonicalTextFacts(text: string, root: JsonValue): TextFacts | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const indent = INDENT.exec(text)?.[1];
  if (!isStringifyOutput(text, root, indent)) return undefined;
  if (text.includes('"__proto__"') || text.includes('"constructor"') || text.includes('"prototype"')) return undefined;
  const depth = indent === undefined ? bracketDepth(text) : indentedDepth(text, indent);
  if (depth === undefined || depth > MAX_COUNTED_DEPTH) return undefined;
  return { repeatsKey: false, depth, unsafeKey: false, nonFinite: false };
}

/** Whether `text` is `JSON.stringify(root, null, indent)` followed by whitespace only. */
function isStringifyOutput(text: string, root: object, indent: string | undefined): boolean {
  let written: string;
  try {
    written = JSON.stringify(root, null, indent);
  } catch {
    return false; // JSON.stringify recurses: a value nested deeply enough overflows the stack
  }
  return text.startsWith(written) && TRAILING_WHITESPACE.test(text.slice(written.length));
}

/**
 * The nesting depth of JSON.stringify's output indented by `indent` (the root container is level 1):
 * the items of a container at level L are written on lines L indents in, and an empty container on
 * its parent's line. So with the deepest lines L indents in, the depth is L, or L + 1 when one of them
 * ends with `[]` or `{}` (a string value would end with a quote). Strings hold no raw line break.
 */
function indentedDepth(text: string, indent: string): number | undefined {
  let lineStart = `\n${indent}`; // INDENT matched: the root's first item is one indent in
  let level = 1;
  while (text.includes(lineStart + indent)) {
    if (level === MAX_COUNTED_DEPTH) return undefined;
    lineStart += indent;
    level += 1;
  }
  // `indent` is spaces and tabs only: nothing to escape.
  return new RegExp(`${lineStart}[^\\n]*(?:\\[\\]|\\{\\}),?\\n`).test(text) ? level + 1 : level;
}

/**
 * The nesting depth of a JSON text (the root container is level 1): the brackets outside strings,
 * then one pass per level, each removing every container left empty. Undefined above
 * {@link MAX_COUNTED_DEPTH} or should the regex engine give up.
 */
export function bracketDepth(text: string): number | undefined {
  try {
    let brackets = text.replace(NOT_BRACKETS, '');
    let depth = 0;
    while (brackets.length > 0) {
      if (depth === MAX_COUNTED_DEPTH) return undefined;
      const before = brackets.length;
      brackets = brackets.replace(EMPTY_CONTAINER, '');
      if (brackets.length === before) return undefined;
      depth += 1;
    }
    return depth;
  } catch {
    return undefined;
  }
}
