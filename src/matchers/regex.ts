import type { RE2JS } from 're2js';
import { HeraldError } from '../errors/herald-error';
import { remembered } from './remembered';

/** re2js, loaded by the first regex compiled: a contract whose regex rules are all of the native subset (linear-regex.ts), or has none, never loads it. */
let engine: typeof RE2JS | undefined;
function re2(): typeof RE2JS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: most contracts have no regex
  engine ??= (require('re2js') as typeof import('re2js')).RE2JS;
  return engine;
}

/** A compiled regular expression that runs in linear time (RE2 semantics). */
export interface CompiledRegex {
  readonly source: string;
  /** True when the expression matches somewhere in `input` (Pact semantics: unanchored). */
  test(input: string): boolean;
}

const cache = new Map<string, CompiledRegex>();
const CACHE_LIMIT = 4096;

/**
 * Compiles `source` with RE2JS, so hostile patterns such as `^(a+)+$` cannot backtrack.
 * Throws HERALD_REGEX_INVALID for syntax errors and for features RE2 refuses (back-references,
 * look-around). Results are cached: contracts repeat the same expressions many times.
 */
export function compileRegex(source: string, where = 'a matcher'): CompiledRegex {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  let pattern: RE2JS;
  try {
    pattern = re2().compile(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError(
      'HERALD_REGEX_INVALID',
      `Failed to compile the regular expression /${source}/ in ${where}: ${reason}. ` + 'Herald runs regexes in linear time (RE2 syntax): remove back-references and look-around.',
      { cause: error },
    );
  }
  const compiled: CompiledRegex = { source, test: remembered((input) => pattern.matcher(input).find()) };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** Converts a JavaScript RegExp to RE2 source, carrying the `i`, `m` and `s` flags inline. */
export function regexSource(pattern: RegExp | string): string {
  if (typeof pattern === 'string') return pattern;
  const flags = [...pattern.flags].filter((f) => f === 'i' || f === 'm' || f === 's').join('');
  return flags === '' ? pattern.source : `(?${flags})${pattern.source}`;
}
