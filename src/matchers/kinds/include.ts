/** `include`: the value's text contains a substring. */
import { failure, familyOf, show, stringOption, textOf, type MatcherKind } from '../kind';
import { matcherNode, type Matcher } from '../node';
import { escapeRegex } from './regex';

export const includeKind: MatcherKind = {
  names: ['include'],
  onArray: 'items',
  check({ rule, actual }) {
    const needle = stringOption(rule, 'value') ?? '';
    const text = textOf(actual);
    return text !== undefined && text.includes(needle) ? undefined : failure('include', needle, actual, `Expected a value containing ${JSON.stringify(needle)} but got ${show(actual)}`);
  },
  accepts: (_rule, example) => familyOf(example),
  describe: (rule) => `containing ${JSON.stringify(stringOption(rule, 'value') ?? '')}`,
  // JSON Schema patterns search, so the escaped substring is the whole constraint.
  jsonSchema: (rule) => ({ type: 'string', pattern: escapeRegex(stringOption(rule, 'value') ?? '') }),
  provenBy: () => false,
  arrayBounds: () => undefined,
};

/** A string containing `substring`; the example defaults to the substring itself. */
export function includes(substring: string, example = substring): Matcher<string> {
  return matcherNode([{ match: 'include', value: substring }], example.includes(substring) ? example : substring);
}
