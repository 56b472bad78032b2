/**
 * Loading @platformatic/kafka and reading its records: kept apart from the transport so the
 * transport's declarations (which herald/kafka's client choice refers to) name none of the peer's
 * types: a user without @platformatic/kafka, or type-checking with skipLibCheck: false, is unaffected.
 */
import type * as Plt from '@platformatic/kafka';
import { kafkaContentType, loadPeer, reasonOf, transportError, type CapturedMessage, type HeaderValue } from 'herald/adapter-kit';

export type PltLib = typeof import('@platformatic/kafka');
type Message = Plt.Message<Buffer, Buffer, string, Buffer>;

export const PLATFORMATIC_KAFKA_PEER = '@platformatic/kafka';

/**
 * Requires @platformatic/kafka with Node's own `require` (ES modules only: Node ≥ 20.19 loads it
 * natively), not a test runner's module registry, which cannot load ES modules with require.
 */
function nativeRequire(): unknown {
  const nodeModule = process.getBuiltinModule?.('node:module');
  const load = nodeModule === undefined ? require : nodeModule.createRequire(__filename);
  return load(PLATFORMATIC_KAFKA_PEER);
}

/** Loads @platformatic/kafka (an optional peer dependency). */
export function loadPlatformaticKafka(load?: () => unknown): PltLib {
  try {
    return loadPeer<PltLib>(PLATFORMATIC_KAFKA_PEER, 'the @platformatic/kafka adapter (herald/platformatic-kafka)', load ?? nativeRequire);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw error;
    throw transportError(
      'HERALD_TRANSPORT_CONNECT_FAILED',
      `Failed to load @platformatic/kafka: this Node.js (${process.version}) cannot require ES modules (${reasonOf(error)}). Use Node ≥ 20.19, or the kafkajs client (--kafka-client kafkajs).`,
      { cause: error, retriable: false },
    );
  }
}

/** An @platformatic/kafka record as a captured message. */
export function capturedFromPlatformatic(message: Pick<Message, 'topic' | 'partition' | 'key' | 'value' | 'headers' | 'offset' | 'timestamp'>): CapturedMessage {
  const headers: Record<string, HeaderValue> = {};
  // A repeated header keeps its last value, like Kafka's Headers#lastHeader (the Map keeps the last).
  for (const [name, value] of message.headers) headers[name] = value === undefined || value === null ? null : value;
  const contentType = kafkaContentType(headers);
  const timestamp = Number(message.timestamp);
  return {
    channel: { transport: 'kafka', topic: message.topic, partition: message.partition },
    key: message.key ?? null,
    headers,
    properties: {},
    ...(contentType === undefined ? {} : { contentType }),
    body: message.value ?? Buffer.alloc(0),
    partition: message.partition,
    offset: String(message.offset),
    ...(Number.isFinite(timestamp) ? { timestamp } : {}),
  };
}
