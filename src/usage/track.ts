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
    const headers = new Proxy(message.headers as unknown as JsonObject, new UsageTracker.#HeaderTraps(this, 'headers', declaredHeaders));
    const metadata = new Proxy(message.metadata, new UsageTracker.#HeaderTraps(this, 'metadata', declaredHeaders));
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

  /** Wraps a payload value: objects and arrays become recording proxies, primitives stay as they are. */
  #wrap<T>(value: T, node: DeclaredNode | undefined): T {
    if (typeof value !== 'object' || value === null) return value;
    const existing = this.#proxies.get(value);
    if (existing !== undefined) return existing as T;
    const path = node?.path ?? '$';
    const proxy = new Proxy(value as object, new UsageTracker.#Traps(this, path, node));
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

  /** The traps of the headers or the metadata: flat objects of single values, reads reported by name. */
  static readonly #HeaderTraps = class HeaderTraps implements ProxyHandler<JsonObject> {
    /** Keys an `ownKeys` trap announced: the descriptor lookups that follow are enumeration. */
    readonly enumerating = new Set<PropertyKey>();

    constructor(
      readonly tracker: UsageTracker,
      /** The metadata holds the key and channel details besides the headers. */
      readonly part: 'headers' | 'metadata',
      readonly declared: ReadonlySet<string>,
    ) {}

    read(name: string): void {
      const self = this.tracker;
      if (this.part === 'headers') self.#readHeader(name, this.declared);
      else if (name === META.kafkaKey) self.#readKey();
      else if (!isReservedMetadataKey(name)) self.#readHeader(name, this.declared);
    }

    get(t: JsonObject, prop: string | symbol, receiver: unknown): unknown {
      if (this.tracker.#active && typeof prop === 'string' && (Object.hasOwn(t, prop) || !OBJECT_PROTO_KEYS.has(prop)) && prop !== 'toJSON') this.read(prop);
      return Reflect.get(t, prop, receiver);
    }

    has(t: JsonObject, prop: string | symbol): boolean {
      if (this.tracker.#active && typeof prop === 'string') this.read(prop);
      return Reflect.has(t, prop);
    }

    ownKeys(t: JsonObject): ArrayLike<string | symbol> {
      const keys = Reflect.ownKeys(t);
      for (const k of keys) this.enumerating.add(k);
      return keys;
    }

    getOwnPropertyDescriptor(t: JsonObject, prop: string | symbol): PropertyDescriptor | undefined {
      if (!this.enumerating.delete(prop) && this.tracker.#active && typeof prop === 'string') this.read(prop);
      return Reflect.getOwnPropertyDescriptor(t, prop);
    }
  };

  /**
   * The traps of one payload proxy. One object per proxy with its traps on a shared prototype:
   * creating it allocates no closures (handlers are made for every object a handler reads into).
   * Declared in the class body so that the traps can reach the tracker's private state.
   */
  static readonly #Traps = class PayloadTraps implements ProxyHandler<object> {
    constructor(
      readonly tracker: UsageTracker,
      readonly path: string,
      readonly node: DeclaredNode | undefined,
    ) {}

    /** Keys the handler wrote into `t`. */
    written(t: object): Set<PropertyKey> {
      const byTarget = (this.tracker.#written ??= new WeakMap());
      let set = byTarget.get(t);
      if (set === undefined) byTarget.set(t, (set = new Set()));
      return set;
    }

    /** Records a read of `key` in `t`; returns the child's declared node. */
    read(t: object, key: string): DeclaredNode | undefined {
      const self = this.tracker;
      self.#inspected.add(this.path);
      const child = self.#childNode(this.node, key, Array.isArray(t));
      if (self.#written?.get(t)?.has(key) === true) return child.node;
      if (child.declared) self.#reads.add(child.path);
      else self.#undeclared.add(child.path);
      return child.node;
    }

    get(t: object, prop: string | symbol, receiver: unknown): unknown {
      const self = this.tracker;
      const value: unknown = Reflect.get(t, prop, receiver);
      if (!self.#active || typeof prop === 'symbol') return value;
      if (Array.isArray(t) && prop === 'length') {
        self.#inspected.add(this.path);
        return value;
      }
      if (prop === 'toJSON' || inherited(t, prop)) return value;
      if (Array.isArray(t) && !isIndex(prop) && !Object.hasOwn(t, prop)) return value;
      const childNode = this.read(t, prop);
      if (typeof value !== 'object' || value === null) return value;
      const descriptor = Reflect.getOwnPropertyDescriptor(t, prop);
      const childPath = self.#childNode(this.node, prop, Array.isArray(t)).path;
      // A frozen property must be returned as is (Proxy invariant): count it as read whole.
      if (descriptor !== undefined && descriptor.configurable === false && descriptor.writable === false) {
        self.#whole.add(childPath);
        return value;
      }
      if (childNode !== undefined) self.#referenced.set(childNode.path, childNode);
      return self.#wrap(value, childNode);
    }

    has(t: object, prop: string | symbol): boolean {
      if (this.tracker.#active && typeof prop === 'string' && !inherited(t, prop)) this.read(t, prop);
      return Reflect.has(t, prop);
    }

    ownKeys(t: object): ArrayLike<string | symbol> {
      const self = this.tracker;
      const keys = Reflect.ownKeys(t);
      if (self.#active) self.#inspected.add(this.path);
      const byTarget = (self.#enumerating ??= new WeakMap());
      let pending = byTarget.get(t);
      if (pending === undefined) byTarget.set(t, (pending = new Set()));
      for (const k of keys) pending.add(k);
      return keys;
    }

    getOwnPropertyDescriptor(t: object, prop: string | symbol): PropertyDescriptor | undefined {
      const self = this.tracker;
      const enumeration = self.#enumerating?.get(t)?.delete(prop) === true;
      if (!enumeration && self.#active && typeof prop === 'string' && !(Array.isArray(t) && prop === 'length')) this.read(t, prop);
      return Reflect.getOwnPropertyDescriptor(t, prop);
    }

    set(t: object, prop: string | symbol, value: unknown): boolean {
      this.written(t).add(prop);
      return Reflect.set(t, prop, value);
    }

    defineProperty(t: object, prop: string | symbol, descriptor: PropertyDescriptor): boolean {
      this.written(t).add(prop);
      return Reflect.defineProperty(t, prop, descriptor);
    }

    deleteProperty(t: object, prop: string | symbol): boolean {
      this.written(t).add(prop);
      return Reflect.deleteProperty(t, prop);
    }
  };
}

/** A name the target inherits from Object.prototype or Array.prototype rather than holds. */
function inherited(t: object, prop: string): boolean {
  return (Array.isArray(t) ? ARRAY_PROTO_KEYS : OBJECT_PROTO_KEYS).has(prop) && !Object.hasOwn(t, prop);
}

/** The tracked proxy's details, when `value` is one. */
export function trackedOf(value: unknown): Tracked | undefined {
  return typeof value === 'object' && value !== null ? registry.get(value) : undefined;
}
