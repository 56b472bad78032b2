/** matchMessage: a received message (content type, body, metadata) against a contract interaction. */
import type { JsonValue } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { parseMediaType } from '../matchers/kinds/content-type';
import type { Mismatch } from '../matchers/mismatch';
import { pairCache } from '../matchers/pair-cache';
import { isEmptyBody, matchBody } from './body';
import { matchMetadata } from './metadata';

export interface ActualMessage {
  /** Decoded message body; undefined when the message had none. */
  readonly content: JsonValue | undefined;
  readonly contentType?: string;
  readonly metadata: { readonly [key: string]: JsonValue | undefined };
  /**
   * The metadata values carry their types (AMQP field tables, a factory's JSON, or a transport's
   * decoding that already read untyped bytes): text is not read again as a number or boolean, so
   * a header sent as the string "1" does not pass for 1. Unset: values are text from an untyped
   * wire (Kafka's bytes), read as header-text.ts says.
   */
  readonly typedMetadata?: boolean;
}

/** Content types a body can be compared across: the same base type, or both JSON. */
// Every interaction of a contract usually has the same pair: parsed once.
const compatibleContentTypes = pairCache((expected: string, actual: string): boolean => {
  const e = parseMediaType(expected).base;
  const a = parseMediaType(actual).base;
  return e === a || (/json/.test(e) && /json/.test(a));
});

/**
 * Compares a received message with a contract interaction: content type, body and metadata.
 *
 * @example
 * const mismatches = matchMessage(interaction, { content: JSON.parse(value), contentType: 'application/json', metadata: headers });
 */
export function matchMessage(interaction: MessageInteraction, actual: ActualMessage): Mismatch[] {
  const expectedType = interaction.contents.contentType === '' ? undefined : interaction.contents.contentType;
  const actualType = actual.contentType === undefined || actual.contentType === '' ? undefined : actual.contentType;
  const out: Mismatch[] = [];
  // The same text is always compatible (the usual case: the factory's message takes the contract's type), so it is not looked up.
  if (expectedType !== undefined && actualType !== undefined && expectedType !== actualType && !compatibleContentTypes(expectedType, actualType)) {
    if (!isEmptyBody(interaction.contents.content)) {
      out.push({
        code: 'content-type',
        part: 'body',
        path: '$',
        expected: expectedType,
        actual: actualType,
        message: `Expected a body of type ${expectedType} but the message has the content type ${actualType}`,
      });
    }
  } else {
    const contentType = expectedType ?? actualType;
    out.push(...matchBody(interaction.contents.content, actual.content, interaction.matchingRules.body, contentType === undefined ? {} : { contentType }));
  }
  let metadata = actual.metadata;
  if (actualType !== undefined && metadata['contentType'] === undefined && interaction.metadata['contentType'] !== undefined) {
    metadata = { ...metadata, contentType: actualType };
  }
  out.push(...matchMetadata(interaction.metadata, metadata, interaction.matchingRules.metadata, { typed: actual.typedMetadata === true }));
  return out;
}
