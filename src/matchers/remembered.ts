const VERDICT_LIMIT = 256;
const VERDICT_MAX_TEXT = 256;

/**
 * Remembers the last verdicts of a pure test on short texts: declarations and contracts repeat the
 * same examples (a uuid, a SKU) thousands of times, and RE2JS matching in JavaScript is the slow part.
 */
export function remembered<T>(test: (input: string) => T): (input: string) => T {
  const verdicts = new Map<string, T>();
  return (input) => {
    if (input.length > VERDICT_MAX_TEXT) return test(input);
    if (verdicts.has(input)) return verdicts.get(input) as T;
    const verdict = test(input);
    if (verdicts.size >= VERDICT_LIMIT) verdicts.clear();
    verdicts.set(input, verdict);
    return verdict;
  };
}
