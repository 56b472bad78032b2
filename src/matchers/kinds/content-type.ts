/** `contentType`: Pact's magic-bytes check. Herald can check JSON only; anything else is reported, never passed. */
import { failure, stringOption, type MatcherKind } from '../kind';

export const contentTypeKind: MatcherKind = {
  names: ['contentType'],
  aliases: ['content-type'],
  onArray: 'items',
  check({ rule, actual }) {
    const wanted = stringOption(rule, 'value') ?? '';
    if (/json/i.test(wanted) && actual !== undefined) return undefined;
    return failure('unsupported', wanted, actual, `Herald cannot check the content type "${wanted}" by its bytes; verify such content with a transport adapter`);
  },
  // A check of bytes, not of a JSON value: it says nothing the comparisons or the export could use.
  accepts: () => undefined,
  describe: () => undefined,
  jsonSchema: () => ({}),
  provenBy: () => false,
  arrayBounds: () => undefined,
};
