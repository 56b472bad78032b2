/**
 * The state of Herald's embedded schema registry, with Confluent Schema Registry's semantics:
 * schema ids are global (the same schema keeps one id across subjects), versions count per subject,
 * deletes are soft first and permanent second, and registration honours the subject's
 * compatibility mode (subject level, else global). Errors are RegistryFailure values carrying
 * Confluent's HTTP status and error_code; server.ts renders them.
 */
import type avro from 'avsc';
import type { JsonValue } from '../../contract/json';
import { checkCompatibility, isCompatibilityMode, type CompatibilityMode, type CompatibilityResult } from '../compatibility';
import { parseAvroSchema, schemaIdentity } from '../schema';

/** Confluent's error codes. */
export const REGISTRY_ERRORS = {
  subjectNotFound: 40401,
  versionNotFound: 40402,
  schemaNotFound: 40403,
  subjectSoftDeleted: 40404,
  subjectNotSoftDeleted: 40405,
  versionSoftDeleted: 40406,
  versionNotSoftDeleted: 40407,
  subjectLevelCompatibilityNotConfigured: 40408,
  invalidSchema: 42201,
  invalidVersion: 42202,
  invalidCompatibilityLevel: 42203,
  incompatibleSchema: 409,
} as const;

export class RegistryFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryFailure';
  }
}

interface StoredSchema {
  readonly id: number;
  /** The schema as registered, compact JSON text. */
  readonly text: string;
  readonly type: avro.Type;
}

interface StoredVersion {
  readonly version: number;
  readonly id: number;
  deleted: boolean;
}

interface Subject {
  readonly versions: StoredVersion[];
  compatibility?: CompatibilityMode;
}

export interface RegisteredVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
}

const notFoundSubject = (subject: string): RegistryFailure => new RegistryFailure(404, REGISTRY_ERRORS.subjectNotFound, `Subject '${subject}' not found.`);

export class RegistryStore {
  private readonly schemas = new Map<number, StoredSchema>();
  private readonly idsByIdentity = new Map<string, number>();
  private readonly subjects = new Map<string, Subject>();
  private nextId = 1;
  globalCompatibility: CompatibilityMode;

  constructor(compatibility: CompatibilityMode = 'BACKWARD') {
    this.globalCompatibility = compatibility;
  }

  /** Parses schema text as Avro; 42201 when it is not a schema. */
  parse(text: unknown, schemaType: unknown, references: unknown): { text: string; json: JsonValue; type: avro.Type } {
    if (schemaType !== undefined && schemaType !== null && schemaType !== 'AVRO') {
      throw new RegistryFailure(
        422,
        REGISTRY_ERRORS.invalidSchema,
        `Invalid schema: schema type ${String(schemaType)} is not supported. Herald's embedded registry supports AVRO only; use a Confluent Schema Registry for ${String(schemaType)}.`,
      );
    }
    if (Array.isArray(references) && references.length > 0) {
      throw new RegistryFailure(422, REGISTRY_ERRORS.invalidSchema, "Invalid schema: schema references are not supported by Herald's embedded registry; inline the referenced types.");
    }
    if (typeof text !== 'string' || text.trim() === '') throw new RegistryFailure(422, REGISTRY_ERRORS.invalidSchema, 'Invalid schema: the request has no "schema" string.');
    let json: JsonValue;
    try {
      json = JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new RegistryFailure(422, REGISTRY_ERRORS.invalidSchema, `Invalid schema ${text.slice(0, 200)}: not JSON (${(error as Error).message})`);
    }
    try {
      const type = parseAvroSchema(json, 'the schema');
      return { text: JSON.stringify(json), json, type };
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw new RegistryFailure(422, REGISTRY_ERRORS.invalidSchema, `Invalid schema ${text.slice(0, 200)}: ${cause instanceof Error ? cause.message : (error as Error).message}`);
    }
  }

  private subject(name: string, includeDeleted = false): Subject {
    const subject = this.subjects.get(name);
    if (subject === undefined || (!includeDeleted && subject.versions.every((v) => v.deleted))) throw notFoundSubject(name);
    return subject;
  }

  private live(subject: Subject): StoredVersion[] {
    return subject.versions.filter((v) => !v.deleted);
  }

  compatibilityOf(subject: string): CompatibilityMode {
    return this.subjects.get(subject)?.compatibility ?? this.globalCompatibility;
  }

  subjectCompatibility(subject: string): CompatibilityMode | undefined {
    return this.subjects.get(subject)?.compatibility;
  }

  setCompatibility(subject: string | undefined, level: unknown): CompatibilityMode {
    const mode = typeof level === 'string' ? level.toUpperCase() : level;
    if (!isCompatibilityMode(mode)) {
      throw new RegistryFailure(
        422,
        REGISTRY_ERRORS.invalidCompatibilityLevel,
        `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive (got ${JSON.stringify(level)})`,
      );
    }
    if (subject === undefined) this.globalCompatibility = mode;
    else {
      let s = this.subjects.get(subject);
      if (s === undefined) this.subjects.set(subject, (s = { versions: [] }));
      s.compatibility = mode;
    }
    return mode;
  }

  deleteCompatibility(subject: string): CompatibilityMode {
    const s = this.subjects.get(subject);
    if (s === undefined) throw notFoundSubject(subject);
    const previous = s.compatibility ?? this.globalCompatibility;
    delete s.compatibility;
    return previous;
  }

  subjectNames(includeDeleted: boolean): string[] {
    return [...this.subjects.entries()]
      .filter(([, s]) => s.versions.length > 0 && (includeDeleted || s.versions.some((v) => !v.deleted)))
      .map(([n]) => n)
      .sort();
  }

  versions(subject: string, includeDeleted = false): number[] {
    const s = this.subject(subject, includeDeleted);
    return (includeDeleted ? s.versions : this.live(s)).map((v) => v.version);
  }

  private parseVersion(version: string): number | 'latest' {
    if (version === 'latest' || version === '-1') return 'latest';
    if (!/^\d+$/.test(version) || Number(version) < 1 || Number(version) > 0x7fffffff) {
      throw new RegistryFailure(422, REGISTRY_ERRORS.invalidVersion, `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
    }
    return Number(version);
  }

  private findVersion(subject: string, version: string, includeDeleted = false): StoredVersion {
    const s = this.subject(subject, includeDeleted);
    const v = this.parseVersion(version);
    const candidates = includeDeleted ? s.versions : this.live(s);
    const found = v === 'latest' ? candidates[candidates.length - 1] : candidates.find((c) => c.version === v);
    if (found === undefined) throw new RegistryFailure(404, REGISTRY_ERRORS.versionNotFound, `Version ${version} not found.`);
    return found;
  }

  version(subject: string, version: string, includeDeleted = false): RegisteredVersion {
    const found = this.findVersion(subject, version, includeDeleted);
    return { subject, version: found.version, id: found.id, schema: (this.schemas.get(found.id) as StoredSchema).text };
  }

  schemaById(id: number): StoredSchema {
    const found = this.schemas.get(id);
    if (found === undefined) throw new RegistryFailure(404, REGISTRY_ERRORS.schemaNotFound, `Schema ${id} not found`);
    return found;
  }

  subjectVersionsOf(id: number): { subject: string; version: number }[] {
    this.schemaById(id);
    const out: { subject: string; version: number }[] = [];
    for (const [name, s] of this.subjects) for (const v of s.versions) if (v.id === id && !v.deleted) out.push({ subject: name, version: v.version });
    return out;
  }

  /** Checks `text` against the subject's history per its mode (or only `version`, without transitivity). */
  check(subject: string, text: unknown, schemaType: unknown, version?: string): CompatibilityResult {
    const parsed = this.parse(text, schemaType, undefined);
    const s = this.subjects.get(subject);
    if (s === undefined || this.live(s).length === 0) {
      if (version !== undefined && version !== 'latest' && version !== '-1') {
        this.parseVersion(version);
        throw notFoundSubject(subject);
      }
      return checkCompatibility(parsed.type, [], this.compatibilityOf(subject));
    }
    const mode = this.compatibilityOf(subject);
    let history = this.live(s);
    let effective: CompatibilityMode = mode;
    if (version !== undefined && this.parseVersion(version) !== 'latest') {
      history = [this.findVersion(subject, version)];
      effective = mode.replace('_TRANSITIVE', '') as CompatibilityMode;
    }
    return checkCompatibility(
      parsed.type,
      history.map((v) => ({ version: v.version, schema: (this.schemas.get(v.id) as StoredSchema).type })),
      effective,
    );
  }

  /** The registered version of `text` under `subject`, if any (40401 / 40403 otherwise). */
  lookup(subject: string, text: unknown, schemaType: unknown, includeDeleted = false): RegisteredVersion {
    const parsed = this.parse(text, schemaType, undefined);
    const s = this.subject(subject, includeDeleted);
    const id = this.idsByIdentity.get(schemaIdentity(parsed.json));
    const found = id === undefined ? undefined : s.versions.find((v) => v.id === id && (includeDeleted || !v.deleted));
    if (found === undefined) throw new RegistryFailure(404, REGISTRY_ERRORS.schemaNotFound, 'Schema not found');
    return { subject, version: found.version, id: found.id, schema: (this.schemas.get(found.id) as StoredSchema).text };
  }

  /** Registers a schema under a subject: an existing identical version keeps its id; otherwise compatibility decides. */
  register(subject: string, text: unknown, schemaType: unknown, references: unknown): { id: number; result?: CompatibilityResult } {
    const parsed = this.parse(text, schemaType, references);
    const identity = schemaIdentity(parsed.json);
    let s = this.subjects.get(subject);
    const existingId = this.idsByIdentity.get(identity);
    if (s !== undefined && existingId !== undefined && this.live(s).some((v) => v.id === existingId)) return { id: existingId };
    const live = s === undefined ? [] : this.live(s);
    const result = checkCompatibility(
      parsed.type,
      live.map((v) => ({ version: v.version, schema: (this.schemas.get(v.id) as StoredSchema).type })),
      this.compatibilityOf(subject),
    );
    if (!result.compatible) return { id: -1, result };
    let id = existingId;
    if (id === undefined) {
      id = this.nextId++;
      this.schemas.set(id, { id, text: parsed.text, type: parsed.type });
      this.idsByIdentity.set(identity, id);
    }
    if (s === undefined) this.subjects.set(subject, (s = { versions: [] }));
    const version = s.versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
    s.versions.push({ version, id, deleted: false });
    return { id };
  }

  deleteSubject(subject: string, permanent: boolean): number[] {
    const s = this.subjects.get(subject);
    if (s === undefined || s.versions.length === 0) throw notFoundSubject(subject);
    if (permanent) {
      if (s.versions.some((v) => !v.deleted)) throw new RegistryFailure(404, REGISTRY_ERRORS.subjectNotSoftDeleted, `Subject '${subject}' was not deleted first before being permanently deleted`);
      const versions = s.versions.map((v) => v.version);
      this.subjects.delete(subject);
      return versions;
    }
    const live = this.live(s);
    if (live.length === 0) throw new RegistryFailure(404, REGISTRY_ERRORS.subjectSoftDeleted, `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`);
    for (const v of live) v.deleted = true;
    return live.map((v) => v.version);
  }

  deleteVersion(subject: string, version: string, permanent: boolean): number {
    const s = this.subject(subject, true);
    const v = this.parseVersion(version);
    if (permanent) {
      const found = v === 'latest' ? s.versions[s.versions.length - 1] : s.versions.find((c) => c.version === v);
      if (found === undefined) throw new RegistryFailure(404, REGISTRY_ERRORS.versionNotFound, `Version ${version} not found.`);
      if (!found.deleted) throw new RegistryFailure(404, REGISTRY_ERRORS.versionNotSoftDeleted, `Subject '${subject}' Version ${found.version} was not deleted first before being permanently deleted`);
      s.versions.splice(s.versions.indexOf(found), 1);
      if (s.versions.length === 0 && s.compatibility === undefined) this.subjects.delete(subject);
      return found.version;
    }
    const all = this.live(s);
    const found = v === 'latest' ? all[all.length - 1] : s.versions.find((c) => c.version === v);
    if (found === undefined) throw new RegistryFailure(404, REGISTRY_ERRORS.versionNotFound, `Version ${version} not found.`);
    if (found.deleted) throw new RegistryFailure(404, REGISTRY_ERRORS.versionSoftDeleted, `Subject '${subject}' Version ${found.version} was soft deleted. Set permanent=true to delete permanently`);
    found.deleted = true;
    return found.version;
  }
}
