/** `date`, `time`, `datetime` (alias `timestamp`): text in a Java-style date/time pattern. */
import { HeraldError } from '../../errors/herald-error';
import { ISO_DATE, ISO_DATETIME, ISO_TIME, dateFormat, type DateFormat } from '../date-format';
import { failure, familyOf, show, stringOption, type MatcherKind } from '../kind';
import type { RuleJson } from '../../contract/model';
import { matcherNode, type Matcher } from '../node';
import { remembered } from '../remembered';

type Flavour = 'date' | 'time' | 'datetime';
const DEFAULTS: Record<Flavour, string> = { date: ISO_DATE, time: ISO_TIME, datetime: ISO_DATETIME };
const GENERATORS: Record<Flavour, string> = { date: 'Date', time: 'Time', datetime: 'DateTime' };
/** JSON Schema `format` for each flavour's ISO pattern; none for `time`: JSON Schema's requires an offset, HH:mm:ss has none. */
const SCHEMA_FORMATS: Record<Flavour, { readonly iso: string; readonly format: string } | undefined> = {
  date: { iso: ISO_DATE, format: 'date' },
  time: undefined,
  datetime: { iso: ISO_DATETIME, format: 'date-time' },
};
/** The schema `format` that proves a rule of each flavour. */
const PROVING_FORMATS: Record<Flavour, string> = { date: 'date', time: 'time', datetime: 'date-time' };
const SCHEMA_WORDS: Record<Flavour, string> = { date: 'a date', time: 'a time', datetime: 'a date-time' };

function kindFor(flavour: Flavour, names: string[]): MatcherKind {
  return {
    names,
    onArray: 'items',
    check({ rule, actual }) {
      const pattern = patternOf(rule, flavour);
      let format: DateFormat;
      try {
        format = dateFormat(pattern);
      } catch (error) {
        // A pattern Herald cannot check fails this rule only, saying why; it never passes.
        const why = error instanceof Error ? error.message : String(error);
        return failure('unsupported', pattern, actual, `Cannot check the ${flavour} rule: ${why}`);
      }
      const problem = typeof actual === 'string' ? format.explain(actual) : 'not a string';
      if (problem !== undefined) {
        return failure('format', pattern, actual, `Expected a ${flavour} in the format "${pattern}" but got ${show(actual)}: ${problem}`);
      }
      return undefined;
    },
    accepts: (_rule, example) => familyOf(example),
    describe: (rule) => `${flavour} ${stringOption(rule, 'format', rule.match) ?? 'ISO 8601'}`,
    jsonSchema(rule) {
      const pattern = stringOption(rule, 'format', rule.match) ?? DEFAULTS[flavour];
      const iso = SCHEMA_FORMATS[flavour];
      return iso !== undefined && pattern === iso.iso ? { type: 'string', format: iso.format } : { type: 'string', description: `${SCHEMA_WORDS[flavour]} in the format ${pattern}` };
    },
    // The spec's format is trusted to mean the consumer's pattern, whatever its letters.
    provenBy: (_rule, { formats }) => formats.includes(PROVING_FORMATS[flavour]),
    arrayBounds: () => undefined,
  };
}

/** Pact writes the pattern as `format` (V4) or under the matcher's own name (V3). */
function patternOf(rule: RuleJson, flavour: Flavour): string {
  return stringOption(rule, 'format', rule.match, flavour) ?? DEFAULTS[flavour];
}

export const dateKind = kindFor('date', ['date']);
export const timeKind = kindFor('time', ['time']);
export const datetimeKind = kindFor('datetime', ['datetime', 'timestamp']);

/** The fixed example instant in each pattern, formatted once per pattern. */
const defaultExample = remembered((pattern: string) => dateFormat(pattern).format(new Date(Date.UTC(2024, 0, 15, 9, 30, 0, 0))));

function build(flavour: Flavour, format: string | undefined, example: string | undefined): Matcher<string> {
  const pattern = format ?? DEFAULTS[flavour];
  const parsed = dateFormat(pattern);
  const value = example ?? defaultExample(pattern);
  const problem = parsed.explain(value);
  if (problem !== undefined) {
    throw new HeraldError('HERALD_MATCHER_INVALID', `Failed to build m.${flavour}(): the example ${JSON.stringify(value)} is not in the format "${pattern}": ${problem}.`);
  }
  return matcherNode([{ match: flavour, format: pattern }], value, example === undefined ? { generator: { type: GENERATORS[flavour], format: pattern } } : {});
}

/** A date, ISO yyyy-MM-dd unless `format` says otherwise. */
export const date = (format?: string, example?: string): Matcher<string> => build('date', format, example);
/** A time of day, HH:mm:ss unless `format` says otherwise. */
export const time = (format?: string, example?: string): Matcher<string> => build('time', format, example);
/** A date and time, ISO 8601 with milliseconds and offset unless `format` says otherwise. */
export const datetime = (format?: string, example?: string): Matcher<string> => build('datetime', format, example);
