/**
 * Remembers a pure verdict on a pair of strings (content types: every message of a contract usually
 * carries the same pair). Keyed by both strings as they are, so no two pairs can share an entry.
 */
export function pairCache(decide: (first: string, second: string) => boolean, limit = 1024): (first: string, second: string) => boolean {
  const verdicts = new Map<string, Map<string, boolean>>();
  let size = 0;
  return (first, second) => {
    let row = verdicts.get(first);
    const hit = row?.get(second);
    if (hit !== undefined) return hit;
    const verdict = decide(first, second);
    if (size >= limit) {
      verdicts.clear();
      size = 0;
      row = undefined;
    }
    if (row === undefined) verdicts.set(first, (row = new Map()));
    row.set(second, verdict);
    size += 1;
    return verdict;
  };
}
