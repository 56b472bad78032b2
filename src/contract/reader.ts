/**
 * Reads a parsed Pact V3 message pact or V4 pact into Herald's {@link Contract} model:
 * safety checks, version check, schema validation, normalisation, regex and duplicate checks.
 */
import { HeraldError, hasErrorCode, isHeraldError } from '../errors/herald-error';
import { isJavaScriptRegex } from '../matchers/bounded-regex';
import { compileRegex } from '../matchers/regex';
import { linearNativeRegex } from '../matchers/linear-regex';
import { kindFor, knownMatcherNames } from '../matchers/registry';
import { parsePath } from './path';
import { isJsonObject, type JsonObject, type JsonValue } from './json';
import type { Contract, GeneratorJson, GeneratorMap, HeraldInteractionBlock, MessageInteraction, MessagePart, ProviderState, RuleList, RuleMap, SyncMessageInteraction } from './model';
import { assertSafeJson, jsonTextIsSafe, MAX_JSON_DEPTH, pointerSegment } from './safe-json';
import { keptText, type TextFacts } from './number-literals';
import { sealRuleMap } from './sealed';
import {
  checkContractShape,
  type ContractIssue,
  type RawCategories,
  type RawCategory,
  type RawGenerator,
  type RawMatcher,
  type RawProviderState,
  type RawRule,
  type RawV3Contract,
  type RawV3Message,
  type RawV4Contract,
  type RawV4Message,
  type RawV4MessagePart,
  type RawV4SyncMessage,
} from './schema';

export type { ContractIssue } from './schema';

/** Containers around a V4 payload (file, interactions, interaction, contents): a full-depth payload still fits. */
const ENVELOPE_DEPTH = 4;

/** HERALD_CONTRACT_INVALID with every schema issue; the message describes the first. */
export class ContractInvalidError extends HeraldError {
  /** All problems found, most relevant first. */
  readonly issues: readonly ContractIssue[];

  constructor(file: string, issues: readonly ContractIssue[], json?: JsonValue) {
    const first = issues[0] ?? { pointer: '', keyword: 'unknown', message: 'is not a Pact message contract' };
    const interaction = json === undefined ? undefined : descriptionAt(json, first.pointer);
    const where = first.pointer === '' ? 'the file' : first.pointer;
    const more = issues.length > 1 ? ` ${issues.length - 1} more problem(s) are listed in error.issues.` : '';
    super(
      'HERALD_CONTRACT_INVALID',
      `Failed to read contract ${file}: ${where} ${first.message}` +
        `${interaction === undefined ? '' : ` (interaction "${interaction}")`}. ` +
        `Fix the value at ${where}, or regenerate the file from the consumer tests.${more}`,
      { contractFile: file, pointer: first.pointer, ...optionalInteraction(interaction) },
    );
    this.issues = issues;
  }
}

/** Realm-safe check for {@link ContractInvalidError}. */
export function isContractInvalidError(value: unknown): value is ContractInvalidError {
  return hasErrorCode(value, 'HERALD_CONTRACT_INVALID') && 'issues' in value && Array.isArray(value.issues);
}

/**
 * Validates and normalises one parsed contract file. `file` names the file in errors.
 * Throws HERALD_CONTRACT_INVALID, HERALD_CONTRACT_UNSUPPORTED_VERSION, HERALD_DUPLICATE_INTERACTION,
 * HERALD_REGEX_INVALID, HERALD_UNSAFE_KEY, HERALD_NOT_JSON or HERALD_PAYLOAD_TOO_DEEP.
 * The interactions' matching rule maps are frozen: interactions that spell the same map share it.
 *
 * @example parseContract(parseJsonText(text, 'pacts/billing-orders.json'), 'pacts/billing-orders.json')
 */
export function parseContract(json: JsonValue, file: string): Contract {
  return parseReadContract({ json, facts: undefined }, file);
}

/**
 * {@link parseContract} for what `readJsonText` returned: when its scan of the text shows that
 * `assertSafeJson` cannot fail on the value (depth, keys, numbers), the value is not walked again.
 */
export function parseReadContract(text: { readonly json: JsonValue; readonly facts: TextFacts | undefined }, file: string): Contract {
  const { json, facts } = text;
  if (facts === undefined || !jsonTextIsSafe(facts, MAX_JSON_DEPTH + ENVELOPE_DEPTH)) {
    assertSafeJson(json, { file }, { maxDepth: MAX_JSON_DEPTH + ENVELOPE_DEPTH, interactionAt: (pointer) => descriptionAt(json, pointer) });
  }
  if (!isJsonObject(json)) {
    throw new ContractInvalidError(file, [{ pointer: '', keyword: 'type', message: `must be a JSON object (found ${Array.isArray(json) ? 'array' : typeof json})` }]);
  }
  const notes: string[] = [];
  const { major, specVersion } = specificationOf(json, file, notes);
  const reader = new Reader(file, json, notes);
  let read: { readonly raw: RawV3Contract | RawV4Contract; readonly interactions: readonly Located[]; readonly synchronous?: readonly Located<SyncMessageInteraction>[] };
  if (major === 3) {
    const shape = checkContractShape(json, 3, reader.textOf);
    if (!shape.ok) throw new ContractInvalidError(file, shape.issues, json);
    read = { raw: shape.value, interactions: reader.v3(shape.value) };
  } else {
    if (Object.hasOwn(json, 'messages')) {
      reader.fail('/messages', 'is a Pact V3 field: a V4 file lists messages in "interactions" with type "Asynchronous/Messages"');
    }
    const shape = checkContractShape(json, 4, reader.textOf);
    if (!shape.ok) throw new ContractInvalidError(file, shape.issues, json);
    const synchronous: Located<SyncMessageInteraction>[] = [];
    read = { raw: shape.value, interactions: reader.v4(shape.value, synchronous), synchronous };
  }
  const synchronous = collapseDuplicates(read.synchronous ?? [], file, notes, SYNC_COMPARED);
  return {
    consumer: read.raw.consumer.name,
    provider: read.raw.provider.name,
    interactions: collapseDuplicates(read.interactions, file, notes, COMPARED),
    ...(synchronous.length === 0 ? {} : { synchronous }),
    specVersion,
    metadata: withoutVersion(read.raw.metadata ?? {}),
    ...(notes.length === 0 ? {} : { notes }),
  };
}

// --- specification version ---------------------------------------------------------------------

const VERSION_BLOCKS = ['pactSpecification', 'pact-specification'] as const;

function specificationOf(json: JsonObject, file: string, notes: string[]): { major: 3 | 4; specVersion: string } {
  const declared = declaredVersion(json);
  if (declared === undefined) {
    if (Object.hasOwn(json, 'messages')) {
      notes.push('no Pact specification version in metadata.pactSpecification.version; read as V3 because the file lists "messages"');
      return { major: 3, specVersion: '3.0.0' };
    }
    if (Object.hasOwn(json, 'interactions')) {
      notes.push('no Pact specification version in metadata.pactSpecification.version; read as V4 because the file lists "interactions"');
      return { major: 4, specVersion: '4.0' };
    }
    throw new ContractInvalidError(file, [
      { pointer: '', keyword: 'required', message: 'has neither "messages" (Pact V3) nor "interactions" (Pact V4), and declares no metadata.pactSpecification.version' },
    ]);
  }
  const found = typeof declared.value === 'string' ? declared.value : JSON.stringify(declared.value);
  const major = /^\s*v?(\d+)(?:\.\d+)*\s*$/i.exec(found)?.[1];
  if (major === '3' || major === '4') return { major: major === '3' ? 3 : 4, specVersion: found };
  const remedy =
    major === '1' || major === '2'
      ? 'Regenerate the file with a Pact library that writes V3 message pacts or V4 pacts (e.g. pact-js 10+, pact-jvm 4+)'
      : major === undefined
        ? 'Set it to "3.0.0" for a file with "messages" or "4.0" for a file with "interactions"'
        : 'Upgrade Herald if a newer release reads it, or regenerate the file as a V4 pact';
  throw new HeraldError(
    'HERALD_CONTRACT_UNSUPPORTED_VERSION',
    `Failed to read contract ${file}: it declares Pact specification version ${found} (at ${declared.pointer}), ` + `but Herald reads versions 3.x (message pacts) and 4.x. ${remedy}.`,
    { contractFile: file, pointer: declared.pointer },
  );
}

function declaredVersion(json: JsonObject): { value: JsonValue; pointer: string } | undefined {
  const metadata = json['metadata'];
  if (!isJsonObject(metadata)) return undefined;
  for (const key of VERSION_BLOCKS) {
    const block = metadata[key];
    if (isJsonObject(block) && Object.hasOwn(block, 'version')) return { value: block['version'] ?? null, pointer: `/metadata/${key}/version` };
  }
  const flat = metadata['pactSpecificationVersion'];
  return flat === undefined ? undefined : { value: flat, pointer: '/metadata/pactSpecificationVersion' };
}

function withoutVersion(metadata: JsonObject): JsonObject {
  const rest: JsonObject = {};
  for (const key of Object.keys(metadata)) {
    if (key === 'pactSpecificationVersion' || (VERSION_BLOCKS as readonly string[]).includes(key)) continue;
    rest[key] = metadata[key] as JsonValue;
  }
  return rest;
}

// --- normalisation -----------------------------------------------------------------------------

/** A normalised interaction and where it came from in the file. */
interface Located<T extends { description: string; providerStates: readonly ProviderState[] } = MessageInteraction> {
  readonly interaction: T;
  readonly pointer: string;
}

type Folded<T> = { body: Record<string, T>; metadata: Record<string, T> };

class Reader {
  constructor(
    private readonly file: string,
    private readonly json: JsonObject,
    private readonly notes: string[],
  ) {}

  v3(raw: RawV3Contract): Located[] {
    const http = raw.interactions ?? [];
    http.forEach((item, index) => {
      if (isJsonObject(item) && typeof item['type'] === 'string') {
        this.fail(`/interactions/${index}/type`, 'belongs to a Pact V4 interaction, but the file declares a 3.x version: set metadata.pactSpecification.version to "4.0"');
      }
    });
    this.noteSkipped(
      'HTTP',
      http.map((item) => (isJsonObject(item) ? item['description'] : undefined)),
      'Herald verifies message interactions only',
    );
    return (raw.messages ?? []).map((message, index) => ({ interaction: this.v3Message(message, `/messages/${index}`), pointer: `/messages/${index}` }));
  }

  v4(raw: RawV4Contract, synchronous: Located<SyncMessageInteraction>[]): Located[] {
    const located: Located[] = [];
    const http: string[] = [];
    raw.interactions.forEach((interaction, index) => {
      const pointer = `/interactions/${index}`;
      if (interaction.type === 'Asynchronous/Messages') {
        located.push({ interaction: this.v4Message(interaction, pointer), pointer });
      } else if (interaction.type === 'Synchronous/Messages') {
        synchronous.push({ interaction: this.v4SyncMessage(interaction, pointer), pointer });
      } else {
        http.push(interaction.description);
      }
    });
    this.noteSkipped('HTTP', http, 'Herald verifies message interactions only');
    return located;
  }

  /** A request/reply interaction: the request and each response read as V4 message parts. */
  private v4SyncMessage(raw: RawV4SyncMessage, at: string): SyncMessageInteraction {
    const request = this.v4Part(raw.request ?? {}, `${at}/request`, raw.description);
    const response = (raw.response ?? []).map((part, index) => this.v4Part(part, `${at}/response/${index}`, raw.description));
    return {
      description: raw.description,
      providerStates: states(raw.providerStates),
      request,
      response,
      pending: raw.pending ?? false,
      ...(raw.key === undefined ? {} : { key: raw.key }),
      ...heraldAndComments(raw),
    };
  }

  private v4Part(raw: RawV4MessagePart, at: string, description: string): MessagePart {
    const metadata = raw.metadata ?? {};
    const contents = raw.contents ?? {};
    const encoded = contents.encoded === true ? 'base64' : typeof contents.encoded === 'string' ? contents.encoded : false;
    return {
      contents: { content: contents.content, contentType: contents.contentType ?? metadataContentType(metadata) ?? 'application/json', encoded },
      metadata,
      matchingRules: this.rules(raw.matchingRules, `${at}/matchingRules`, description),
      generators: this.generators(raw.generators, `${at}/generators`, description),
    };
  }

  private v3Message(raw: RawV3Message, at: string): MessageInteraction {
    if (raw.providerState !== undefined && raw.providerStates !== undefined) {
      this.fail(`${at}/providerState`, 'must not be given together with "providerStates": keep "providerStates"');
    }
    if (raw.metaData !== undefined && raw.metadata !== undefined && !deepEqual(raw.metaData, raw.metadata)) {
      this.fail(`${at}/metaData`, 'conflicts with "metadata": keep one of "metaData" (older V3 writers) or "metadata"');
    }
    const metadata = raw.metadata ?? raw.metaData ?? {};
    const content = raw.contents;
    const contentType = metadataContentType(metadata) ?? 'application/json';
    // V3 stores binary contents as a base64 string; the content type is the only hint.
    const encoded = typeof content === 'string' && isBinary(contentType) && isBase64(content) ? 'base64' : false;
    const providerStates = raw.providerState !== undefined ? [{ name: raw.providerState }] : states(raw.providerStates);
    return {
      description: raw.description,
      providerStates,
      contents: { content, contentType, encoded },
      metadata,
      matchingRules: this.rules(raw.matchingRules, `${at}/matchingRules`, raw.description),
      generators: this.generators(raw.generators, `${at}/generators`, raw.description),
      pending: false,
    };
  }

  private v4Message(raw: RawV4Message, at: string): MessageInteraction {
    const metadata = raw.metadata ?? {};
    const contents = raw.contents ?? {};
    const encoded = contents.encoded === true ? 'base64' : typeof contents.encoded === 'string' ? contents.encoded : false;
    return {
      description: raw.description,
      providerStates: states(raw.providerStates),
      contents: {
        content: contents.content,
        contentType: contents.contentType ?? metadataContentType(metadata) ?? 'application/json',
        encoded,
      },
      metadata,
      matchingRules: this.rules(raw.matchingRules, `${at}/matchingRules`, raw.description),
      generators: this.generators(raw.generators, `${at}/generators`, raw.description),
      pending: raw.pending ?? false,
      ...(raw.key === undefined ? {} : { key: raw.key }),
      ...heraldAndComments(raw),
    };
  }

  /**
   * Rule and generator maps by their JSON text: the interactions of a file usually repeat the same
   * maps, so they are read and checked once and shared (less memory; the engine compiles each once).
   */
  private readonly interned = new Map<string, Map<string, { body: RuleMap; metadata: RuleMap } | { body: GeneratorMap; metadata: GeneratorMap }>>();

  private intern<T extends { body: RuleMap; metadata: RuleMap } | { body: GeneratorMap; metadata: GeneratorMap }>(kind: string, raw: unknown, read: () => T): T {
    const key = raw === undefined ? '' : typeof raw === 'object' && raw !== null ? this.textOf(raw) : JSON.stringify(raw);
    // Consecutive interactions often spell the same map: compared with the last one first, which
    // spares hashing a long text (the comparison stops at the first differing character).
    const last = this.lastInterned.get(kind);
    if (last !== undefined && last.key === key) return last.value as T;
    let ofKind = this.interned.get(kind);
    if (ofKind === undefined) this.interned.set(kind, (ofKind = new Map()));
    let value = ofKind.get(key) as T | undefined;
    if (value === undefined) {
      value = read();
      ofKind.set(key, value);
    }
    this.lastInterned.set(kind, { key, value });
    return value;
  }

  /**
   * The text naming a rule or generator map for interning: the text the file spelled it with, when
   * the scan kept it (equal texts are equal maps), else its JSON.stringify, written once per map
   * since the shape check (schema.ts) asks first for the same maps.
   */
  readonly textOf = (map: object): string => {
    const kept = keptText(map);
    if (kept !== undefined) return kept;
    let text = this.written.get(map);
    if (text === undefined) this.written.set(map, (text = JSON.stringify(map)));
    return text;
  };

  private readonly written = new Map<object, string>();

  /** The map {@link intern} returned last, by kind, with its text. */
  private readonly lastInterned = new Map<string, { readonly key: string; readonly value: { body: RuleMap; metadata: RuleMap } | { body: GeneratorMap; metadata: GeneratorMap } }>();

  private rules(raw: RawCategories<RawRule> | undefined, at: string, interaction: string): { body: RuleMap; metadata: RuleMap } {
    return this.intern('rules', raw, () => {
      // Shared by every interaction that spells it: frozen, and so known to the engine by its object.
      const { body, metadata } = this.readRules(raw, at, interaction);
      return { body: sealRuleMap(body), metadata: sealRuleMap(metadata) };
    });
  }

  private readRules(raw: RawCategories<RawRule> | undefined, at: string, interaction: string): { body: RuleMap; metadata: RuleMap } {
    return this.fold(raw, at, (rule, pointer): RuleList => {
      if (!isRuleList(rule)) {
        this.checkRegexes(rule, pointer, interaction); // V2 flat form: the rule is one matcher
        return { combine: 'AND', matchers: [rule] };
      }
      rule.matchers.forEach((matcher, index) => this.checkRegexes(matcher, `${pointer}/matchers/${index}`, interaction));
      return { combine: rule.combine ?? 'AND', matchers: rule.matchers };
    });
  }

  private generators(raw: RawCategories<RawGenerator> | undefined, at: string, interaction: string): { body: GeneratorMap; metadata: GeneratorMap } {
    return this.intern('generators', raw, () => this.readGenerators(raw, at, interaction));
  }

  private readGenerators(raw: RawCategories<RawGenerator> | undefined, at: string, interaction: string): { body: GeneratorMap; metadata: GeneratorMap } {
    return this.fold(raw, at, (generator, pointer): GeneratorJson => {
      if (generator.type === 'Regex' && typeof generator['regex'] === 'string') this.compile(generator['regex'], `${pointer}/regex`, interaction);
      return generator;
    });
  }

  /** Folds `content` into `body` and `metaData` into `metadata`; metadata paths become plain key names. */
  private fold<T, U>(raw: RawCategories<T> | undefined, at: string, convert: (item: T, pointer: string) => U): Folded<U> {
    const folded: Folded<U> = { body: {}, metadata: {} };
    const origin = new Map<string, string>();
    for (const category of ['body', 'content', 'metadata', 'metaData'] as const satisfies readonly RawCategory[]) {
      const entries = raw?.[category];
      if (entries === undefined) continue;
      const target = category === 'body' || category === 'content' ? 'body' : 'metadata';
      for (const path of Object.keys(entries)) {
        const pointer = `${at}/${category}/${pointerSegment(path)}`;
        const key = target === 'body' ? path : metadataKey(path);
        if (key === undefined) this.fail(pointer, 'is not a metadata key: use the key name ("contentType") or "$.contentType"');
        if (UNSAFE_KEYS.has(key)) this.unsafe(pointer, key);
        const previous = origin.get(`${target}\u0000${key}`);
        if (previous !== undefined) this.fail(pointer, `repeats ${previous} (categories "${category}" and its alias are merged): keep one`);
        origin.set(`${target}\u0000${key}`, pointer);
        folded[target][key] = convert(entries[path] as T, pointer);
      }
    }
    return folded;
  }

  /** Compiles every regex matcher (`{ "match": "regex" }` or V2 `{ "regex": … }`) in a matcher, including ones nested in eachKey/eachValue rules. */
  private checkRegexes(matcher: RawMatcher, pointer: string, interaction: string): void {
    // `isMatcher`: the object stands where a matcher does (the rule itself, or an item of a nested
    // `rules` / `matchers` list), so its "match" must name a kind Herald knows; elsewhere (examples
    // inside a matcher) a "match" key is data.
    const stack: { value: JsonValue; pointer: string; isMatcher: boolean }[] = [{ value: matcher, pointer, isMatcher: true }];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const { value } = next;
      if (Array.isArray(value)) {
        const matchers = /\/(rules|matchers)$/.test(next.pointer);
        value.forEach((item, index) => stack.push({ value: item, pointer: `${next.pointer}/${index}`, isMatcher: matchers }));
      } else if (isJsonObject(value)) {
        const kind = value['match'] ?? value['pact:matcher:type'];
        if (next.isMatcher && typeof kind === 'string' && kindFor(kind) === undefined) {
          this.fail(
            next.pointer,
            `names the matcher ${JSON.stringify(kind)}, which is not a Pact matcher Herald knows (${knownMatcherNames().join(', ')}): fix the rule, or regenerate the contract from the consumer tests`,
          );
        }
        // A V2 matcher without a kind but with "regex" is a regex matcher (as the engine infers).
        if ((kind === 'regex' || kind === undefined) && typeof value['regex'] === 'string') this.compile(value['regex'], `${next.pointer}/regex`, interaction);
        for (const key of Object.keys(value)) stack.push({ value: value[key] as JsonValue, pointer: `${next.pointer}/${pointerSegment(key)}`, isMatcher: false });
      }
    }
  }

  private compile(source: string, pointer: string, interaction: string): void {
    if (linearNativeRegex(source) !== undefined) return; // RE2 accepts every expression of the native subset
    try {
      compileRegex(source, `contract ${this.file} at ${pointer} (interaction "${interaction}")`);
    } catch (error) {
      if (!isHeraldError(error)) throw error;
      // A valid expression RE2 cannot run (look-around, back-references) is no file error: the
      // engine fails the rules that use it, in their interaction only, and verifies the rest.
      if (isJavaScriptRegex(source)) return;
      throw new HeraldError(error.code, error.message, { contractFile: this.file, interaction, pointer, cause: error });
    }
  }

  private noteSkipped(kind: string, descriptions: readonly unknown[], why: string): void {
    if (descriptions.length === 0) return;
    const names = descriptions.map((d) => (typeof d === 'string' ? `"${d}"` : '(no description)')).join(', ');
    this.notes.push(`skipped ${descriptions.length} ${kind} interaction${descriptions.length === 1 ? '' : 's'}: ${names} (${why})`);
  }

  private unsafe(pointer: string, key: string): never {
    throw new HeraldError(
      'HERALD_UNSAFE_KEY',
      `Failed to read contract ${this.file}: the rule path at ${pointer} names the metadata key "${key}", which is unsafe. ` +
        'Rename the key; "__proto__", "constructor" and "prototype" are rejected to prevent prototype pollution.',
      { contractFile: this.file, pointer, ...optionalInteraction(descriptionAt(this.json, pointer)) },
    );
  }

  /** Throws HERALD_CONTRACT_INVALID for a problem the schema cannot express. */
  fail(pointer: string, message: string): never {
    throw new ContractInvalidError(this.file, [{ pointer, keyword: 'herald', message }], this.json);
  }
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function optionalInteraction(interaction: string | undefined): { interaction?: string } {
  return interaction === undefined ? {} : { interaction };
}

function isRuleList(rule: RawRule): rule is Extract<RawRule, { matchers: unknown }> {
  return Object.hasOwn(rule, 'matchers');
}

/**
 * Herald's interaction block and the other comments. The writer puts the block under
 * `comments.herald` (the Pact model keeps it through a Pact CLI publish); an interaction-level
 * `herald` (files from before) wins when both are there.
 */
function heraldAndComments(raw: { readonly herald?: HeraldInteractionBlock; readonly comments?: JsonObject }): { herald?: HeraldInteractionBlock; comments?: JsonObject } {
  const { herald: inComments, ...comments } = raw.comments ?? {};
  const herald = raw.herald ?? (isJsonObject(inComments) ? (inComments as unknown as HeraldInteractionBlock) : undefined);
  return {
    ...(raw.comments === undefined || Object.keys(comments).length === 0 ? {} : { comments }),
    ...(herald === undefined ? {} : { herald }),
  };
}

function states(raw: readonly RawProviderState[] | undefined): ProviderState[] {
  return (raw ?? []).map((state) => (isJsonObject(state.params) ? { name: state.name, params: state.params } : { name: state.name }));
}

/** `$.key`, `$['key']` and `key` all name the metadata key `key`. */
function metadataKey(path: string): string | undefined {
  if (!path.startsWith('$')) return path;
  const dotted = /^\$\.(.+)$/s.exec(path)?.[1];
  if (dotted !== undefined) return dotted;
  const quoted = /^\$\["(.+)"\]$/s.exec(path)?.[1];
  if (quoted !== undefined) return quoted;
  // `$['key']`, with the escapes Herald writes (path.ts).
  const parsed = parsePath(path);
  const [root, field, ...rest] = parsed.ok ? parsed.tokens : [];
  return root?.kind === 'root' && field?.kind === 'field' && rest.length === 0 ? field.name : undefined;
}

/** The content type named in metadata; an empty one names none (the default applies). */
function metadataContentType(metadata: JsonObject): string | undefined {
  const direct = metadata['contentType'];
  if (typeof direct === 'string' && direct.trim() !== '') return direct;
  const key = Object.keys(metadata).find((k) => k.toLowerCase() === 'content-type');
  const value = key === undefined ? undefined : metadata[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isBinary(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.startsWith('text/') || type.endsWith('+json') || type.endsWith('+xml')) return false;
  return !/^application\/(json|xml|javascript|x-www-form-urlencoded|yaml|x-yaml)$/.test(type);
}

function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

function descriptionAt(json: JsonValue, pointer: string): string | undefined {
  const match = /^\/(messages|interactions)\/(\d+)(?:\/|$)/.exec(pointer);
  if (match === null || !isJsonObject(json)) return undefined;
  const list = json[match[1] as string];
  const item = Array.isArray(list) ? list[Number(match[2])] : undefined;
  const description = isJsonObject(item) ? item['description'] : undefined;
  return typeof description === 'string' ? description : undefined;
}

// --- duplicates --------------------------------------------------------------------------------

const COMPARED = ['contents', 'metadata', 'matchingRules', 'generators'] as const;
const SYNC_COMPARED = ['request', 'response'] as const;

/**
 * Same description and provider states: identical declarations collapse to the first (with a
 * note); different contents, metadata, rules or generators are HERALD_DUPLICATE_INTERACTION.
 */
function collapseDuplicates<T extends { description: string; providerStates: readonly ProviderState[] }>(
  located: readonly Located<T>[],
  file: string,
  notes: string[],
  compared: readonly (keyof T & string)[],
): T[] {
  const kept: Located<T>[] = [];
  const byDescription = new Map<string, Located<T>[]>();
  for (const candidate of located) {
    const { interaction } = candidate;
    const namesakes = byDescription.get(interaction.description) ?? [];
    const twin = namesakes.find((k) => deepEqual(k.interaction.providerStates, interaction.providerStates));
    if (twin === undefined) {
      kept.push(candidate);
      byDescription.set(interaction.description, [...namesakes, candidate]);
      continue;
    }
    const differing = compared.filter((field) => !deepEqual(twin.interaction[field], interaction[field]));
    if (differing.length > 0) {
      throw new HeraldError(
        'HERALD_DUPLICATE_INTERACTION',
        `Failed to read contract ${file}: interactions ${twin.pointer} and ${candidate.pointer} are both "${interaction.description}" ` +
          `with the same provider states, but their ${differing.join(', ')} differ. ` +
          'Give each interaction a unique description, or make both declarations identical.',
        { contractFile: file, interaction: interaction.description, pointer: candidate.pointer },
      );
    }
    notes.push(`collapsed duplicate interaction "${interaction.description}" at ${candidate.pointer} (identical to ${twin.pointer})`);
  }
  return kept.map((k) => k.interaction);
}

/** Structural equality of JSON-like values, ignoring key order; iterative. */
function deepEqual(left: unknown, right: unknown): boolean {
  const pending: [unknown, unknown][] = [[left, right]];
  for (let pair = pending.pop(); pair !== undefined; pair = pending.pop()) {
    const [a, b] = pair;
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    for (const key of keysA) {
      if (!Object.hasOwn(b, key)) return false;
      pending.push([(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]]);
    }
  }
  return true;
}
