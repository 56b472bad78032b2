import type { ErrorCode } from './codes';

/**
 * One error base class for all of Herald. Every error has a stable `code` listed in
 * docs/errors.md (a test keeps both in sync) and optional context fields naming what failed.
 */
export interface HeraldErrorContext {
  /** Contract file the error is about. */
  readonly contractFile?: string;
  /** Interaction description. */
  readonly interaction?: string;
  /** JSON pointer inside the contract file. */
  readonly pointer?: string;
  /** Kafka topic or AMQP exchange/queue involved. */
  readonly topic?: string;
  readonly exchange?: string;
  readonly queue?: string;
  /** True when retrying the same operation may succeed (transport errors). */
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

const HERALD_ERROR = Symbol.for('herald.error');

export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly contractFile: string | undefined;
  readonly interaction: string | undefined;
  readonly pointer: string | undefined;
  readonly topic: string | undefined;
  readonly exchange: string | undefined;
  readonly queue: string | undefined;
  readonly retriable: boolean;
  readonly [HERALD_ERROR] = true;

  constructor(code: ErrorCode, message: string, context: HeraldErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'HeraldError';
    this.code = code;
    this.contractFile = context.contractFile;
    this.interaction = context.interaction;
    this.pointer = context.pointer;
    this.topic = context.topic;
    this.exchange = context.exchange;
    this.queue = context.queue;
    this.retriable = context.retriable ?? false;
  }
}

/** Realm-safe check (jest module registries and dual builds break `instanceof`). */
export function isHeraldError(value: unknown): value is HeraldError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HERALD_ERROR] === true;
}

/** Realm-safe check for a specific error code. */
export function hasErrorCode(value: unknown, code: ErrorCode): value is HeraldError {
  return isHeraldError(value) && value.code === code;
}
