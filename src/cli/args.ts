/**
 * Command-line parsing on node's `util.parseArgs`, with Herald's own messages: unknown options get
 * a "did you mean", a missing value says which option, and every problem is HERALD_USAGE (exit 2).
 * Each command declares its options as a table; adding an option (e.g. --transport) is one entry.
 */
import { parseArgs } from 'node:util';
import { HeraldError } from '../errors/herald-error';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Repeatable (`--consumer a --consumer b`). */
  readonly multiple?: boolean;
  /** Also takes the bare arguments that follow it (`--contracts a.json b.json`, e.g. a shell glob). */
  readonly greedy?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** What was given for each option of a table: strings (all values, in order) or true. */
export interface ParsedOptions {
  readonly strings: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
}

/** HERALD_USAGE with the command's help pointer. */
export function usageError(command: string, message: string): HeraldError {
  return new HeraldError('HERALD_USAGE', `${message} Run "${command} --help" for the usage.`);
}

/** Parses `argv` (the arguments after the command name) against `table`. */
export function parseOptions(command: string, argv: readonly string[], table: OptionTable): ParsedOptions {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple: true }> = {};
  for (const [name, spec] of Object.entries(table)) {
    options[name] = { type: spec.type, multiple: true, ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  // strict: false so that Herald, not parseArgs, words the errors; every token is checked below.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const strings = new Map<string, string[]>();
  const flags = new Set<string>();
  let greedyFor: string | undefined;
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      terminated = true;
      greedyFor = undefined;
      continue;
    }
    if (token.kind === 'positional') {
      if (greedyFor !== undefined && !terminated) {
        strings.get(greedyFor)?.push(token.value);
        continue;
      }
      throw usageError(command, `Unexpected argument ${JSON.stringify(token.value)} for "${command}".`);
    }
    greedyFor = undefined;
    const spec = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
    if (spec === undefined) {
      const guess = closestOption(token.name, Object.keys(table));
      throw usageError(command, `Unknown option ${token.rawName} for "${command}".${guess === undefined ? '' : ` Did you mean --${guess}?`}`);
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw usageError(command, `Option ${token.rawName} takes no value (got ${JSON.stringify(token.value)}).`);
      flags.add(token.name);
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-')) {
      throw usageError(
        command,
        `Option ${token.rawName} needs a value${token.value === undefined ? '' : ` (got the option ${token.value}; write ${token.rawName}=${token.value} if that is the value)`}.`,
      );
    }
    const values = strings.get(token.name) ?? [];
    if (values.length > 0 && spec.multiple !== true && spec.greedy !== true) {
      throw usageError(command, `Option ${token.rawName} was given more than once.`);
    }
    values.push(token.value);
    strings.set(token.name, values);
    if (spec.greedy === true) greedyFor = token.name;
  }
  return { strings, flags };
}

/** The single value of an option, if given. */
export function stringOption(parsed: ParsedOptions, name: string): string | undefined {
  return parsed.strings.get(name)?.[0];
}

/** Every value of a repeatable option. */
export function stringOptions(parsed: ParsedOptions, name: string): readonly string[] {
  return parsed.strings.get(name) ?? [];
}

/** The one of `known` closest to `name` (a shared prefix or a small edit distance), if it is a likely typo. */
export function closestOption(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed = known.filter((k) => k.startsWith(lower) || lower.startsWith(k));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const d = editDistance(lower, k);
    if (d < bestScore) [best, bestScore] = [k, d];
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
