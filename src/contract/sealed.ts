/**
 * Rule maps Herald owns and has deep-frozen: a contract reader's maps, shared by every interaction
 * that spells them. The matching engine knows a sealed map by its object; any other map by its
 * JSON text, since its owner may change it between two comparisons (matching/rules.ts readByText).
 */
const sealed = new WeakSet<object>();

/** Deep-freezes a rule map and records it as sealed. Changing it afterwards throws in strict mode instead of going unseen. */
export function sealRuleMap<T extends object>(ruleMap: T): T {
  deepFreeze(ruleMap);
  sealed.add(ruleMap);
  return ruleMap;
}

export const isSealedRuleMap = (ruleMap: object): boolean => sealed.has(ruleMap);

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
