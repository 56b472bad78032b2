/**
 * Mismatches are data: the matching engine returns them, reporters serialise them as-is and
 * `formatMismatch` renders them for people. Paths use Pact's notation: `$.items[0].qty` for the
 * payload, the metadata key (`kafka_key`, `trace-id`) for metadata.
 */
import type { JsonValue } from '../contract/json';
import type { RuleJson } from '../contract/model';

export type MismatchCode =
  | 'type' // wrong JSON type
  | 'value' // equality failed
  | 'regex'
  | 'format' // date/time/semver/uuid format
  | 'include'
  | 'null'
  | 'missing' // expected key, index or metadata absent
  | 'unexpected' // extra array element / value where none allowed
  | 'length' // array size outside min/max, or empty where notEmpty
  | 'contains' // arrayContains variant not found
  | 'key' // eachKey rule failed
  | 'content-type'
  | 'decode' // body could not be decoded (not JSON, bad Avro framing…)
  | 'unsupported'; // a rule or content Herald cannot check: never a pass

export type MismatchPart = 'body' | 'metadata';

export interface Mismatch {
  readonly code: MismatchCode;
  readonly part: MismatchPart;
  readonly path: string;
  readonly expected: JsonValue | undefined;
  readonly actual: JsonValue | undefined;
  readonly rule?: RuleJson;
  readonly message: string;
}

/** What a matcher kind's `check` reports; the engine adds part and path. */
export interface CheckFailure {
  readonly code: MismatchCode;
  readonly expected: JsonValue | undefined;
  readonly actual: JsonValue | undefined;
  readonly message: string;
}
