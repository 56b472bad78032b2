/**
 * From bytes on a broker to what the matching engine compares: a captured message decoded the
 * way its contract interaction says (content type, header types), with its channel and AMQP
 * properties as the metadata keys Herald writes (docs/contract-format.md).
 */
import { AMQP_PROPERTY_KEYS, META, channelMetadata, isAmqpChannel } from '../contract/channel';
import type { JsonObject, JsonValue } from '../contract/json';
import { parseJsonKeepingNumbers } from '../contract/number-literals';
import type { MessageInteraction } from '../contract/model';
import { matchMessage, type ActualMessage } from '../matching/engine';
import { readHeaderText } from '../matching/header-text';
import type { Mismatch } from '../matchers/mismatch';
import { isTopicPattern, topicMatches } from './routing';
import type { CapturedMessage, HeaderValue } from './types';
import { wireTraits } from './wire';

/** An actual message plus what could not be decoded (reported as `decode` mismatches). */
export interface DecodedMessage extends ActualMessage {
  readonly decodeMismatches: readonly Mismatch[];
}

const isJsonType = (t: string): boolean => /json/i.test(t);
const isTextType = (t: string): boolean => /^\s*text\//i.test(t) || /xml/i.test(t);

function contentTypeOf(interaction: MessageInteraction): string | undefined {
  const t = interaction.contents.contentType;
  if (t !== '') return t;
  const meta = interaction.metadata[META.contentType];
  return typeof meta === 'string' && meta !== '' ? meta : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function preview(body: Buffer): string {
  const text = body.subarray(0, 200).toString('utf8');
  return body.length > 200 ? `${text}…` : text;
}

function decodeBody(body: Buffer, interaction: MessageInteraction, contentType: string): { content: JsonValue | undefined; mismatch?: Mismatch } {
  if (body.length === 0) return { content: undefined };
  const encoded = interaction.contents.encoded;
  const expected = interaction.contents.content;
  const failure = (message: string, actual: JsonValue): { content: undefined; mismatch: Mismatch } => ({
    content: undefined,
    mismatch: { code: 'decode', part: 'body', path: '$', expected, actual, message },
  });
  if (typeof encoded === 'string') {
    // Binary content in the contract (Pact `encoded: "base64"`): compare the encoded bytes.
    return { content: body.toString('base64') };
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    if (!isJsonType(contentType) && !isTextType(contentType)) return { content: body.toString('base64') };
    return failure(`Expected a ${contentType} body in UTF-8 but it has invalid UTF-8 bytes (${body.length} bytes)`, body.toString('base64'));
  }
  if (isJsonType(contentType)) {
    try {
      return { content: parseJsonKeepingNumbers(text.replace(/^\uFEFF/, '')) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure(`Expected a JSON body (${contentType}) but it is not valid JSON (${reason}): ${JSON.stringify(preview(body))}`, preview(body));
    }
  }
  return { content: text };
}

/**
 * A header value for matching. Typed values (AMQP field tables) keep their type: the string "1" is
 * a string. Bytes (Kafka headers and keys) become UTF-8 text, read as a number, boolean or null
 * when the contract expects one and the text is in the canonical form matching/header-text.ts
 * defines ("3", never "0x3", " 3 " or "3.0"). A number a double cannot hold exactly stays text:
 * the engine reads it with its literal.
 */
function decodeHeader(value: HeaderValue, expected: JsonValue | undefined, typed: boolean): JsonValue {
  if (value === null) return null;
  if (typed && !Buffer.isBuffer(value)) return value;
  const v: string | number | boolean = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  if (typed || typeof v !== 'string' || expected === undefined) return v;
  const reading = readHeaderText('', expected, v);
  return reading.literal === undefined || JSON.stringify(reading.value) === reading.literal ? reading.value : v;
}

/** AMQP's `expiration` property is text on the wire that holds milliseconds (AMQP 0-9-1, basic properties). */
const NUMERIC_TEXT_PROPERTIES = new Set(['expiration']);

/**
 * Decodes a captured message for matching against `interaction`:
 *
 * - body: JSON content types are parsed (a `decode` mismatch when it is not JSON), text types
 *   become a string, binary content (`encoded: "base64"` in the contract) a base64 string;
 * - headers: Kafka's bytes become UTF-8 text, or a number / boolean when the contract expects
 *   one; AMQP's typed values keep their type (a string header never satisfies a number);
 * - key (`kafka_key`), AMQP properties (`amqp_*`), content type and the channel
 *   (`kafka_topic`, `amqp_exchange`, `amqp_routing_key`…) become metadata. A topic-exchange
 *   routing-key pattern in the contract (`orders.*`) matches a routing key it binds.
 *
 * When Kafka carries no content type (no content-type header), the contract's is assumed; on
 * AMQP, where `content_type` is a basic property consumers' converters read, a message without
 * one is a `missing` metadata mismatch (see wireTraits).
 *
 * @example
 * const actual = toActualMessage(await capture.next(), interaction);
 * const mismatches = [...actual.decodeMismatches, ...matchMessage(interaction, actual)];
 */
export function toActualMessage(captured: CapturedMessage, interaction: MessageInteraction): DecodedMessage {
  const wire = wireTraits(captured.channel);
  const expectedType = contentTypeOf(interaction);
  const carried = captured.contentType !== undefined && captured.contentType !== '' ? captured.contentType : undefined;
  const contentType = carried ?? (wire.contentTypeIsProperty ? undefined : (expectedType ?? 'application/json'));
  // The body is read the way the contract says; a content-type mismatch is the engine's to report.
  const { content, mismatch } = decodeBody(captured.body, interaction, expectedType ?? contentType ?? 'application/json');
  const mismatches: Mismatch[] = mismatch === undefined ? [] : [mismatch];
  if (contentType === undefined && expectedType !== undefined) {
    mismatches.push({
      code: 'missing',
      part: 'metadata',
      path: META.contentType,
      expected: expectedType,
      actual: undefined,
      message: `Expected the content_type property ${JSON.stringify(expectedType)} but the message has none: on ${captured.channel.transport.toUpperCase()} the content type is a property of the message that consumers' converters read, so it is not assumed from the contract. Set contentType when publishing`,
    });
  }

  const expectedMeta = interaction.metadata;
  const metadata: { [key: string]: JsonValue | undefined } = {};
  for (const [name, value] of Object.entries(captured.headers)) metadata[name] = decodeHeader(value, expectedMeta[name], wire.typedHeaders);
  if (captured.key !== undefined && captured.key !== null) metadata[META.kafkaKey] = decodeHeader(captured.key, expectedMeta[META.kafkaKey], false);
  for (const [name, key] of Object.entries(AMQP_PROPERTY_KEYS)) {
    const value = captured.properties[name];
    if (value !== undefined) metadata[key] = typeof value === 'string' ? decodeHeader(value, expectedMeta[key], !NUMERIC_TEXT_PROPERTIES.has(name)) : value;
  }
  const channel: JsonObject = channelMetadata(captured.channel);
  const expectedKey = expectedMeta[META.amqpRoutingKey];
  const actualKey = channel[META.amqpRoutingKey];
  if (
    isAmqpChannel(captured.channel) &&
    typeof expectedKey === 'string' &&
    typeof actualKey === 'string' &&
    expectedMeta[META.amqpExchangeType] !== 'direct' &&
    isTopicPattern(expectedKey) &&
    topicMatches(expectedKey, actualKey)
  ) {
    channel[META.amqpRoutingKey] = expectedKey;
  }
  Object.assign(metadata, channel);
  if (contentType !== undefined) metadata[META.contentType] = contentType;

  return {
    content,
    ...(contentType === undefined ? {} : { contentType }),
    metadata,
    typedMetadata: true,
    decodeMismatches: mismatches,
  };
}

/**
 * Decodes and matches a captured message against a contract interaction: decode mismatches
 * first, then the matching engine's (the body is not compared when it could not be decoded).
 *
 * @example
 * const mismatches = matchCaptured(interaction, await capture.next({ timeoutMs: 5000 }));
 */
export function matchCaptured(interaction: MessageInteraction, captured: CapturedMessage): Mismatch[] {
  const actual = toActualMessage(captured, interaction);
  const mismatches = matchMessage(interaction, actual);
  if (actual.decodeMismatches.length === 0) return mismatches;
  // The engine saw no body when it did not decode: drop its "missing body" report in favour of the decode mismatch;
  // a missing content type is reported once, here, not again by the engine's metadata check.
  const bodyUndecoded = actual.decodeMismatches.some((m) => m.part === 'body');
  const reported = new Set(actual.decodeMismatches.map((m) => `${m.part} ${m.path}`));
  return [
    ...actual.decodeMismatches,
    ...mismatches.filter((m) => !(bodyUndecoded && m.part === 'body' && m.path === '$' && m.code === 'missing') && !(m.part === 'metadata' && reported.has(`${m.part} ${m.path}`))),
  ];
}
