/** Kafka client failures (kafkajs here; @platformatic/kafka through `kafkaFailureError`), as Herald's coded transport errors. */
import { describeChannel, reasonOf, transportError } from 'herald/adapter-kit';
import { isHeraldError, type Channel, type HeraldError } from 'herald';

interface KafkaJsErrorShape {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly code?: unknown;
}

/** The innermost kafkajs error (KafkaJSNumberOfRetriesExceeded wraps the last attempt's). */
function root(error: unknown): KafkaJsErrorShape & { message?: unknown } {
  let e = (typeof error === 'object' && error !== null ? error : {}) as KafkaJsErrorShape;
  for (let i = 0; i < 10; i += 1) {
    const next = e.cause ?? e.originalError;
    if (typeof next !== 'object' || next === null) break;
    e = next as KafkaJsErrorShape;
  }
  return e;
}

function names(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let i = 0; i < 10 && typeof e === 'object' && e !== null; i += 1) {
    const shape = e as KafkaJsErrorShape & { message?: unknown };
    parts.push(String(shape.name ?? ''), String(shape.type ?? ''), String(shape.message ?? ''), String(shape.code ?? ''));
    e = shape.cause ?? shape.originalError;
  }
  return parts.join(' ');
}

// kafkajs' connection errors, @platformatic/kafka's (PLT_KFK_NETWORK, "Connection to host:port failed / timed out"), and Node's.
const CONNECTION =
  /KafkaJSConnectionError|KafkaJSConnectionClosedError|KafkaJSNoBrokerAvailableError|KafkaJSBrokerNotFound|PLT_KFK_NETWORK|Connection to \S+ (failed|timed out)|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|Connection (error|timeout|closed)|Closed connection|Not connected/i;

/** A client failure reduced to what the mapping needs: every name, code and message along its causes, the root's reason, and whether the client may retry it. */
export interface KafkaFailure {
  readonly all: string;
  readonly reason: string;
  readonly retriable: boolean;
}

/** A failure to reach the brokers at all. */
export function isConnectionFailure(error: unknown): boolean {
  return CONNECTION.test(names(error));
}

/** Maps a kafkajs error of `operation` to a coded error. `connected` says whether the client had reached the broker before. */
export function kafkaError(error: unknown, operation: string, brokers: readonly string[], channel?: Channel, connected = false): HeraldError {
  if (isHeraldError(error)) return error;
  const all = names(error);
  const retriable = root(error).retriable === true || /KafkaJSNumberOfRetriesExceeded/.test(all);
  return kafkaFailureError({ all, reason: reasonOf(root(error)), retriable }, error, operation, brokers, channel, connected);
}

/** Maps a Kafka client failure (either client) of `operation` to a coded error, the same codes for both. */
export function kafkaFailureError(failure: KafkaFailure, error: unknown, operation: string, brokers: readonly string[], channel?: Channel, connected = false): HeraldError {
  const { all, reason } = failure;
  const where = channel === undefined ? '' : ` on ${describeChannel(channel)}`;
  const ctx = { cause: error, ...(channel === undefined ? {} : { channel }) };
  if (/SASL|SaslAuthenticat|ILLEGAL_SASL_STATE|UNSUPPORTED_SASL_MECHANISM|PLT_KFK_AUTHENTICATION/.test(all)) {
    return transportError('HERALD_TRANSPORT_AUTH_FAILED', `Failed to ${operation}${where}: the brokers refused the credentials (${reason}). Check the SASL settings.`, ctx);
  }
  if (/UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/.test(all)) {
    return transportError(
      'HERALD_TRANSPORT_TOPIC_MISSING',
      `Failed to ${operation}${where}: the topic does not exist (${reason}). Create it first (KafkaTransport#createTopic), or enable automatic topic creation.`,
      ctx,
    );
  }
  if (/TOPIC_AUTHORIZATION_FAILED|GROUP_AUTHORIZATION_FAILED|CLUSTER_AUTHORIZATION_FAILED/.test(all)) {
    return transportError('HERALD_TRANSPORT_AUTH_FAILED', `Failed to ${operation}${where}: the user is not authorised (${reason}). Grant the ACL or use another user.`, ctx);
  }
  if (/MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|INVALID_RECORD/.test(all)) {
    return transportError('HERALD_TRANSPORT_PUBLISH_FAILED', `Failed to ${operation}${where}: the broker rejected the message (${reason}). Check message.max.bytes and the record.`, ctx);
  }
  if (CONNECTION.test(all)) {
    if (connected) {
      return transportError(
        'HERALD_TRANSPORT_DISCONNECTED',
        `Failed to ${operation}${where}: the connection to Kafka (${brokers.join(', ')}) was lost (${reason}). Retry once the broker is back.`,
        ctx,
      );
    }
    return transportError(
      'HERALD_TRANSPORT_CONNECT_FAILED',
      `Failed to ${operation}${where}: no Kafka broker answered at ${brokers.join(', ')} (${reason}). Check that the broker runs and the addresses (HERALD_KAFKA_BROKERS) are right.`,
      ctx,
    );
  }
  return transportError('HERALD_TRANSPORT_OPERATION_FAILED', `Failed to ${operation}${where}: ${reason}. Read the broker logs for details.`, { ...ctx, retriable: failure.retriable });
}

/** `isConnectionFailure` on a failure's collected names and messages. */
export function isConnectionText(all: string): boolean {
  return CONNECTION.test(all);
}
