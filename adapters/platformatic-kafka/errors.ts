/** @platformatic/kafka failures, as the same coded transport errors as kafkajs' (adapters/kafka/errors.ts). */
import { isHeraldError, type Channel, type HeraldError } from 'herald';
import { reasonOf } from 'herald/adapter-kit';
import { isConnectionText, kafkaFailureError } from '../kafka/errors';

interface PltErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly apiId?: unknown;
  readonly message?: unknown;
  readonly canRetry?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
}

const shape = (e: unknown): PltErrorShape | undefined => (typeof e === 'object' && e !== null ? (e as PltErrorShape) : undefined);

/** Every name, code, protocol error id and message in the tree (MultipleErrors' `errors`, `cause`). */
function names(error: unknown, depth = 0): string {
  const e = shape(error);
  if (e === undefined || depth > 8) return '';
  const parts = [String(e.name ?? ''), String(e.code ?? ''), String(e.apiId ?? ''), String(e.message ?? '')];
  if (Array.isArray(e.errors)) for (const inner of e.errors as unknown[]) parts.push(names(inner, depth + 1));
  if (e.cause !== undefined) parts.push(names(e.cause, depth + 1));
  return parts.join(' ');
}

/** The innermost error of the last attempt ("X failed 4 times." wraps each attempt's). */
function root(error: unknown): PltErrorShape {
  let e = shape(error) ?? {};
  for (let i = 0; i < 10; i += 1) {
    const inner = Array.isArray(e.errors) && e.errors.length > 0 ? (e.errors as unknown[])[e.errors.length - 1] : e.cause;
    const next = shape(inner);
    if (next === undefined) break;
    e = next;
  }
  return e;
}

/** A failure to reach the brokers at all. */
export function isPltConnectionFailure(error: unknown): boolean {
  return isConnectionText(names(error));
}

/** The client's own request timeout (not a connection timeout). */
export function isPltRequestTimeout(error: unknown): boolean {
  return /Request timed out/.test(names(error));
}

/** Whether the failure carries the Kafka protocol error `id` (e.g. 'TOPIC_ALREADY_EXISTS'). */
export function hasPltProtocolError(error: unknown, id: string): boolean {
  return names(error).includes(id);
}

/** Maps an @platformatic/kafka error of `operation` to a coded error. `connected` says whether the client had reached the broker before. */
export function platformaticKafkaError(error: unknown, operation: string, brokers: readonly string[], channel?: Channel, connected = false): HeraldError {
  if (isHeraldError(error)) return error;
  const r = root(error);
  const reason = `${reasonOf(r)}${typeof r.apiId === 'string' && !reasonOf(r).includes(r.apiId) ? ` (${r.apiId})` : ''}`;
  return kafkaFailureError({ all: names(error), reason, retriable: r.canRetry === true }, error, operation, brokers, channel, connected);
}
