/**
 * The provider side of a differential pair, as plain data: the body and metadata one provider
 * message carries, and pure helpers that bend a contract's example into a mutated message.
 * Shared by the pact-js child process and the Herald side, so both verify the very same message.
 */

/** JSON as JSON.parse returns it (lone surrogates and 1e21 survive a JSON round trip). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One provider message: `body` undefined never happens (a "" body is the string ""). */
export interface ProviderMessage {
  readonly body: Json;
  readonly metadata: Record<string, Json>;
}

/** A named change to a contract's example message. */
export interface Mutation {
  readonly name: string;
  readonly apply: (example: ProviderMessage) => ProviderMessage;
}

const clone = <T extends Json>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

type Segment = string | number;

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']; keys are identifiers only (the corpus controls them). */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

function container(root: Json, segments: readonly Segment[]): Json {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') throw new Error(`Failed to follow the path: ${segments.join('.')} is not in the example.`);
    node = (node as Record<string, Json>)[s as string] as Json;
  }
  return node;
}

/** The body with the value at `path` replaced (`$` replaces the body). */
export function setAt(body: Json, path: string, value: Json): Json {
  const segments = parsePath(path);
  if (segments.length === 0) return value;
  const copy = clone(body);
  const parent = container(copy, segments.slice(0, -1)) as Record<string, Json>;
  parent[segments[segments.length - 1] as string] = value;
  return copy;
}

/** The body with the key at `path` removed (array elements are spliced out). */
export function removeAt(body: Json, path: string): Json {
  const segments = parsePath(path);
  const copy = clone(body);
  const parent = container(copy, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else delete (parent as Record<string, Json>)[last as string];
  return copy;
}

export function getAt(body: Json, path: string): Json {
  return container(body, parsePath(path));
}

// ---- mutation builders, named by what they do ----

export const identity: Mutation = { name: 'example', apply: (e) => e };

/** Replace the body value at `path`. */
export const put = (name: string, path: string, value: Json): Mutation => ({ name, apply: (e) => ({ ...e, body: setAt(e.body, path, value) }) });
/** Replace the body value at `path` with a function of the example value there. */
export const edit = (name: string, path: string, f: (v: Json) => Json): Mutation => ({ name, apply: (e) => ({ ...e, body: setAt(e.body, path, f(getAt(e.body, path))) }) });
/** Remove the key at `path`. */
export const drop = (name: string, path: string): Mutation => ({ name, apply: (e) => ({ ...e, body: removeAt(e.body, path) }) });
/** Replace the whole body. */
export const body = (name: string, value: Json): Mutation => ({ name, apply: (e) => ({ ...e, body: value }) });
/** Set a metadata entry. */
export const meta = (name: string, key: string, value: Json): Mutation => ({ name, apply: (e) => ({ ...e, metadata: { ...e.metadata, [key]: value } }) });
/** Remove a metadata entry. */
export const dropMeta = (name: string, key: string): Mutation => ({
  name,
  apply: (e) => {
    const metadata = { ...e.metadata };
    delete metadata[key];
    return { ...e, metadata };
  },
});

// ---- seeded randomness, for the generic mutations of exploratory runs ----

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Every path to a value in the body, containers included (`$` excluded). */
export function pathsOf(value: Json, prefix = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [`${prefix}[${i}]`, ...pathsOf(v, `${prefix}[${i}]`)]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...pathsOf(v, `${prefix}.${k}`)]);
  return [];
}

/** What a generic mutation may put in place of a value: a different JSON type, or an edge of the same. */
function replacementsFor(v: Json): { name: string; value: Json }[] {
  const common = [
    { name: 'null', value: null },
    { name: 'empty-object', value: {} },
    { name: 'empty-array', value: [] },
  ];
  if (typeof v === 'number')
    return [...common, { name: 'as-string', value: String(v) }, { name: 'plus-half', value: v + 0.5 }, { name: '1e21', value: 1e21 }, { name: 'negated', value: -v }, { name: 'true', value: true }];
  if (typeof v === 'string')
    return [
      ...common,
      { name: 'empty-string', value: '' },
      { name: 'upper', value: v.toUpperCase() },
      { name: 'appended-x', value: `${v}x` },
      { name: 'lone-surrogate', value: `${v}\ud800` },
      { name: 'nfd', value: v.normalize('NFD') === v ? `${v}e\u0301` : v.normalize('NFD') },
      { name: 'number', value: 7 },
    ];
  if (typeof v === 'boolean') return [...common, { name: 'negated', value: !v }, { name: 'as-string', value: String(v) }, { name: 'as-number', value: v ? 1 : 0 }];
  if (Array.isArray(v))
    return [
      { name: 'null', value: null },
      { name: 'empty-array', value: [] },
      { name: 'doubled', value: [...v, ...v] },
      { name: 'first-dropped', value: v.slice(1) },
      { name: 'object', value: {} },
    ];
  if (v === null)
    return [
      { name: 'zero', value: 0 },
      { name: 'empty-string', value: '' },
      { name: 'false', value: false },
    ];
  return [
    { name: 'null', value: null },
    { name: 'array', value: [v] },
    { name: 'extra-key', value: { ...v, zzExtra: 1 } },
    { name: 'emptied', value: {} },
  ];
}

/** A random single change to the example's body or metadata, named so it can be replayed. */
export function randomMutation(example: ProviderMessage, random: () => number): Mutation {
  const paths = pathsOf(example.body);
  const metaKeys = Object.keys(example.metadata).filter((k) => k !== 'contentType');
  if (metaKeys.length > 0 && random() < 0.25) {
    const key = pick(random, metaKeys);
    const value = example.metadata[key] as Json;
    if (random() < 0.2) return dropMeta(`meta ${key} removed`, key);
    const r = pick(random, [...replacementsFor(value), { name: 'as-string', value: JSON.stringify(value) }]);
    return meta(`meta ${key} ${r.name}`, key, r.value);
  }
  if (paths.length === 0 || random() < 0.05) return body('body ""', '');
  const path = pick(random, paths);
  if (random() < 0.15) return drop(`${path} removed`, path);
  const r = pick(random, replacementsFor(getAt(example.body, path)));
  return put(`${path} ${r.name}`, path, r.value);
}
