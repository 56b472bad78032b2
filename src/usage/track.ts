/**
 * Records which payload paths, headers and key a consumer's handler reads, by handing it a
 * message whose payload and headers are Proxies over the example. Reads become Pact paths
 * (`$.items[*].qty`, array indexes as `[*]`, map entries as `*`). The handler sees ordinary
 * values: `Array.isArray`, `instanceof`, equality, `JSON.stringify`, spread and `structuredClone`
 * behave as on plain JSON. What counts as a read (docs/bidirectional.md, "Field usage"):
 *
 * - a property read (`p.a`, destructuring, iteration, map/forEach/reduce, spread, Object.entries,
 *   JSON.stringify) reads that field; `'a' in p` and `Object.hasOwn(p, 'a')` read it too;
 * - `Object.keys(p)` and `for…in` read key names only: the fields are not counted;
 * - `p.items.length` reads the array, not its items;
 * - an object or array taken but never looked into (`save(p.address)`, `if (p.meta)`), the raw
 *   `message.body`, and `structuredClone(p)` count as reading everything below;
 * - a field the handler wrote before reading is not counted;
 * - reads after the handler has settled are not recorded.
 */
import type { JsonObject } from '../contract/json';
import { META, isReservedMetadataKey } from '../contract/channel';
import type { ReceivedMessage } from '../contract/received';
import { pathOf, type Segment } from '../matchers/compile';
import { declaredPaths, type DeclaredNode } from './declared';

/** What one handler run read. Paths are sorted; `undeclared` lists reads the declaration lacks. */
export interface RecordedUsage {
  readonly payload: readonly string[];
  readonly headers: readonly string[];
  readonly key: boolean;
  readonly undeclaredPayload: readonly string[];
  readonly undeclaredHeaders: readonly string[];
}

/** A tracked proxy's details. */
export interface Tracked {
  readonly tracker: UsageTracker;
  readonly target: object;
  readonly path: string;
}

/** proxy → what it wraps; used to unwrap proxies for structuredClone. */
const registry = new WeakMap<object, Tracked>();

const OBJECT_PROTO_KEYS: ReadonlySet<PropertyKey> = new Set(Reflect.ownKeys(Object.prototype));
const ARRAY_PROTO_KEYS: ReadonlySet<PropertyKey> = new Set(Reflect.ownKeys(Array.prototype));
const isIndex = (key: string): boolean => /^(?:0|[1-9]\d*)$/.test(key) && key.length < 16;
const sorted = (set: ReadonlySet<string>): string[] => [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export class UsageTracker {
  #active = true;
  readonly #root: DeclaredNode;
  readonly #proxies = new WeakMap<object, object>();
  readonly #reads = new Set<string>();
  readonly #undeclared = new Set<string>();
  /** Containers handed out by a read, and those looked into (a trap fired on them). */
  readonly #referenced = new Map<string, DeclaredNode>();
  readonly #inspected = new Set<string>();
  readonly #whole = new Set<string>();
  /** Created on the first write or enumeration: most handlers only read. */
  #written: WeakMap<object, Set<PropertyKey>> | undefined;
  /** Keys an `ownKeys` trap announced: the descriptor lookups that follow are enumeration. */
  #enumerating: WeakMap<object, Set<PropertyKey>> | undefined;
  readonly #headers = new Set<string>();
  readonly #undeclaredHeaders = new Set<string>();
  #key = false;

  constructor(root: DeclaredNode) {
    this.#root = root;
  }

  /** The message the handler receives: same values, payload/headers/metadata instrumented. */
  instrument<P, H, K, Props>(message: ReceivedMessage<P, H, K, Props>): ReceivedMessage<P, H, K, Props> {
    const payload = this.#wrap(message.payload, this.#root);
    const declaredHeaders = new Set(Object.keys(message.headers as object));
    const headers = this.#wrapHeaders(message.headers as unknown as JsonObject, (name) => this.#readHeader(name, declaredHeaders));
    const metadata = this.#wrapHeaders(message.metadata, (name) => {
      if (name === META.kafkaKey) this.#readKey();
      else if (!isReservedMetadataKey(name)) this.#readHeader(name, declaredHeaders);
    });
    const self = this;
    const instrumented = { ...message } as Record<string, unknown>;
    const getter = (name: string, get: () => unknown): void => {
      Object.defineProperty(instrumented, name, { enumerable: true, configurable: true, get });
    };
    getter('payload', () => {
      if (self.#active && payload !== message.payload) self.#referenced.set('$', self.#root);
      return payload;
    });
    getter('headers', () => headers);
    getter('metadata', () => metadata);
    getter('key', () => {
      self.#readKey();
      return message.key;
    });
    // The raw bytes hold the whole payload: reading them reads every field.
    getter('body', () => {
      if (self.#active) self.#whole.add('$');
      return message.body;
    });
    return instrumented as unknown as ReceivedMessage<P, H, K, Props>;
  }

  /** Stops recording and returns what was read. */
  finish(): RecordedUsage {
    this.#active = false;
    for (const path of this.#referenced.keys()) if (!this.#inspected.has(path)) this.#whole.add(path);
    for (const path of this.#whole) {
      const node = path === '$' ? this.#root : this.#nodeAt(path);
      if (node === undefined) continue;
      if (path !== '$') this.#reads.add(path);
      for (const below of declaredPaths(node)) this.#reads.add(below);
    }
    return {
      payload: sorted(this.#reads),
      headers: sorted(this.#headers),
      key: this.#key,
      undeclaredPayload: sorted(this.#undeclared),
      undeclaredHeaders: sorted(this.#undeclaredHeaders),
    };
  }

  /** Marks the tracked value at `path` as read whole (structuredClone). */
  markWhole(path: string): void {
    if (this.#active) this.#whole.add(path);
  }

  #nodeAt(path: string): DeclaredNode | undefined {
    const found = this.#referenced.get(path);
    if (found !== undefined) return found;
    const search = (node: DeclaredNode): DeclaredNode | undefined => {
      for (const child of node.children.values()) {
        if (child.path === path) return child;
        const deeper = path.startsWith(child.path) ? search(child) : undefined;
        if (deeper !== undefined) return deeper;
      }
      return undefined;
    };
    return search(this.#root);
  }

  #readKey(): void {
    if (this.#active) this.#key = true;
  }

  #readHeader(name: string, declared: ReadonlySet<string>): void {
    if (!this.#active) return;
    if (declared.has(name)) this.#headers.add(name);
    else this.#undeclaredHeaders.add(name);
  }

  /** Headers and metadata: flat objects of single values, reads reported by name. */
  #wrapHeaders(target: JsonObject, read: (name: string) => void): JsonObject {
    const active = (): boolean => this.#active;
    const enumerating = new Set<PropertyKey>();
    return new Proxy(target, {
      get(t, prop, receiver) {
        if (active() && typeof prop === 'string' && (Object.hasOwn(t, prop) || !OBJECT_PROTO_KEYS.has(prop)) && prop !== 'toJSON') read(prop);
        return Reflect.get(t, prop, receiver);
      },
      has(t, prop) {
        if (active() && typeof prop === 'string') read(prop);
        return Reflect.has(t, prop);
      },
      ownKeys(t) {
        const keys = Reflect.ownKeys(t);
        for (const k of keys) enumerating.add(k);
        return keys;
      },
      getOwnPropertyDescriptor(t, prop) {
        if (!enumerating.delete(prop) && active() && typeof prop === 'string') read(prop);
        return Reflect.getOwnPropertyDescriptor(t, prop);
      },
    });
  }

  /** Wraps a payload value: objects and arrays become recording proxies, primitives stay as they are. */
  #wrap<T>(value: T, node: DeclaredNode | undefined): T {
    if (typeof value !== 'object' || value === null) return value;
    const existing = this.#proxies.get(value);
    if (existing !== undefined) return existing as T;
    const path = node?.path ?? '$';
    const proxy = new Proxy(value as object, this.#handler(path, node));
    this.#proxies.set(value, proxy);
    registry.set(proxy, { tracker: this, target: value, path });
    return proxy as T;
  }

  #childNode(node: DeclaredNode | undefined, key: string, isArray: boolean): { path: string; node: DeclaredNode | undefined; declared: boolean } {
    const viaStar = isArray || node?.kind === 'map';
    const child = node?.children.get(viaStar ? '*' : key);
    if (child !== undefined) return { path: child.path, node: child, declared: true };
    const segments: Segment[] = [...(node?.segments ?? []), isArray ? { anyIndex: true } : viaStar ? { anyKey: true } : { key }];
    return { path: pathOf(segments), node: undefined, declared: false };
  }

  #handler(path: string, node: DeclaredNode | undefined): ProxyHandler<object> {
    const self = this;
    const written = (t: object): Set<PropertyKey> => {
      const byTarget = (self.#written ??= new WeakMap());
      let set = byTarget.get(t);
      if (set === undefined) byTarget.set(t, (set = new Set()));
      return set;
    };
    /** Records a read of `key` in `t`; returns the child's declared node. */
    const read = (t: object, key: string): DeclaredNode | undefined => {
      self.#inspected.add(path);
      const child = self.#childNode(node, key, Array.isArray(t));
      if (self.#written?.get(t)?.has(key) === true) return child.node;
      if (child.declared) self.#reads.add(child.path);
      else self.#undeclared.add(child.path);
      return child.node;
    };
    const inherited = (t: object, prop: string): boolean => (Array.isArray(t) ? ARRAY_PROTO_KEYS : OBJECT_PROTO_KEYS).has(prop) && !Object.hasOwn(t, prop);
    return {
      get(t, prop, receiver) {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (!self.#active || typeof prop === 'symbol') return value;
        if (Array.isArray(t) && prop === 'length') {
          self.#inspected.add(path);
          return value;
        }
        if (prop === 'toJSON' || inherited(t, prop)) return value;
        if (Array.isArray(t) && !isIndex(prop) && !Object.hasOwn(t, prop)) return value;
        const childNode = read(t, prop);
        if (typeof value !== 'object' || value === null) return value;
        const descriptor = Reflect.getOwnPropertyDescriptor(t, prop);
        const childPath = self.#childNode(node, prop, Array.isArray(t)).path;
        // A frozen property must be returned as is (Proxy invariant): count it as read whole.
        if (descriptor !== undefined && descriptor.configurable === false && descriptor.writable === false) {
          self.#whole.add(childPath);
          return value;
        }
        if (childNode !== undefined) self.#referenced.set(childNode.path, childNode);
        return self.#wrap(value, childNode);
      },
      has(t, prop) {
        if (self.#active && typeof prop === 'string' && !inherited(t, prop)) read(t, prop);
        return Reflect.has(t, prop);
      },
      ownKeys(t) {
        const keys = Reflect.ownKeys(t);
        if (self.#active) self.#inspected.add(path);
        const byTarget = (self.#enumerating ??= new WeakMap());
        let pending = byTarget.get(t);
        if (pending === undefined) byTarget.set(t, (pending = new Set()));
        for (const k of keys) pending.add(k);
        return keys;
      },
      getOwnPropertyDescriptor(t, prop) {
        const enumeration = self.#enumerating?.get(t)?.delete(prop) === true;
        if (!enumeration && self.#active && typeof prop === 'string' && !(Array.isArray(t) && prop === 'length')) read(t, prop);
        return Reflect.getOwnPropertyDescriptor(t, prop);
      },
      set(t, prop, value) {
        written(t).add(prop);
        return Reflect.set(t, prop, value);
      },
      defineProperty(t, prop, descriptor) {
        written(t).add(prop);
        return Reflect.defineProperty(t, prop, descriptor);
      },
      deleteProperty(t, prop) {
        written(t).add(prop);
        return Reflect.deleteProperty(t, prop);
      },
    };
  }
}

/** The tracked proxy's details, when `value` is one. */
export function trackedOf(value: unknown): Tracked | undefined {
  return typeof value === 'object' && value !== null ? registry.get(value) : undefined;
}
