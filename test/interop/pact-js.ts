/**
 * Glue between the hand-written producers and pact-js' message provider verifier
 * (`MessageProviderPact`, @pact-foundation/pact v16), and a typed view of the verifier's JSON report.
 *
 * Metadata goes under the keys Herald documents for channels (kafka_topic, kafka_key, amqp_*),
 * taken from Herald's public `META` / `AMQP_PROPERTY_KEYS`; every other key is a message header.
 */
import type { MessageProvider, MessageProviders, MessageStateHandlers } from '@pact-foundation/pact';
// The module itself, not the package root: the root also loads pact-js' HTTP verifier proxy, which
// requires the ESM-only https-proxy-agent 9, and jest's CommonJS loader cannot require ESM on
// Node 20 ("Must use import to load ES Module"). Plain Node 20.19+ can; jest only from Node 24.9.
import { MessageProviderPact, providerWithMetadata } from '@pact-foundation/pact/src/messageProviderPact';
import { AMQP_PROPERTY_KEYS, META } from 'herald/adapter-kit';
import type { AmqpPublish, KafkaRecord } from './producers';

/** The metadata pact-js sends alongside a Kafka record's value. */
export function kafkaMetadata(record: KafkaRecord<unknown>): Record<string, string> {
  return { [META.contentType]: 'application/json', [META.kafkaTopic]: record.topic, [META.kafkaKey]: record.key, ...record.headers };
}

/** The metadata pact-js sends alongside an AMQP publish's body. */
export function amqpMetadata(publish: AmqpPublish<unknown>): Record<string, string> {
  const p = publish.properties;
  return {
    [META.contentType]: 'application/json',
    [META.amqpExchange]: publish.exchange,
    [META.amqpExchangeType]: publish.exchangeType,
    [META.amqpRoutingKey]: publish.routingKey,
    [META.amqpQueue]: publish.queue,
    [AMQP_PROPERTY_KEYS.correlationId]: p.correlationId,
    [AMQP_PROPERTY_KEYS.messageId]: p.messageId,
    [AMQP_PROPERTY_KEYS.type]: p.type,
    [AMQP_PROPERTY_KEYS.contentEncoding]: p.contentEncoding,
    ...publish.headers,
  };
}

/**
 * A pact-js message provider for a Kafka record built at verification time (after the state
 * handlers ran). pact-js' `providerWithMetadata` takes fixed metadata, so it is applied per call.
 */
export function kafkaMessage(produce: () => KafkaRecord<unknown>): MessageProvider {
  return (descriptor) => {
    const record = produce();
    return providerWithMetadata(() => record.value, kafkaMetadata(record))(descriptor);
  };
}

/** Same for an AMQP publish. */
export function amqpMessage(produce: () => AmqpPublish<unknown>): MessageProvider {
  return (descriptor) => {
    const publish = produce();
    return providerWithMetadata(() => publish.body, amqpMetadata(publish))(descriptor);
  };
}

export interface PactJsVerification {
  readonly provider: string;
  readonly pactFile: string;
  /** By interaction description, as pact-js requires. */
  readonly messageProviders: MessageProviders;
  readonly stateHandlers?: MessageStateHandlers;
}

/**
 * Runs pact-js' verifier on one contract file. Resolves with the verifier's JSON report when every
 * interaction passes, rejects with an Error whose message is that report otherwise.
 */
export function verifyWithPactJs(v: PactJsVerification): Promise<unknown> {
  return new MessageProviderPact({
    provider: v.provider,
    pactUrls: [v.pactFile],
    messageProviders: v.messageProviders,
    stateHandlers: v.stateHandlers ?? {},
    logLevel: 'error',
  }).verify();
}

// ---- the verifier's report (pact_ffi `pactffi_verifier_json`) ----

export interface ReportMismatch {
  /** BodyMismatch, MetadataMismatch… */
  readonly type: string;
  /** JSON path, for body mismatches. */
  readonly path?: string;
  /** Metadata key, for metadata mismatches. */
  readonly key?: string;
  readonly mismatch: string;
}

export interface InteractionResult {
  readonly description: string;
  readonly interactionKey?: string;
  readonly result: string;
}

export interface VerificationReport {
  readonly result: boolean;
  readonly interactionResults: readonly InteractionResult[];
  readonly mismatches: readonly ReportMismatch[];
  /** The raw errors, for messages when an expectation fails. */
  readonly errors: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Parses a verifier report: the resolved value of `verifyWithPactJs`, or the message of its
 * rejection. Throws when it is not a report (e.g. "Pact core crashed"), so a crash never passes for
 * a rejected contract.
 */
export function parseReport(raw: unknown): VerificationReport {
  // Duck-typed, not instanceof: the Error may come from another realm (jest sandbox vs native addon).
  const text = isRecord(raw) && typeof raw['message'] === 'string' ? raw['message'] : raw;
  let json: unknown;
  try {
    json = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!isRecord(json) || typeof json['result'] !== 'boolean') {
    throw new Error(`Failed to read the pact-js verification report: got ${String(text)}. The verifier did not run to completion.`, { cause: raw });
  }
  const interactionResults: InteractionResult[] = (Array.isArray(json['interactionResults']) ? json['interactionResults'] : []).filter(isRecord).map((r) => {
    const key = optionalString(r['interactionKey']);
    return { description: String(r['description']), result: String(r['result']), ...(key === undefined ? {} : { interactionKey: key }) };
  });
  const mismatches: ReportMismatch[] = [];
  for (const error of Array.isArray(json['errors']) ? json['errors'] : []) {
    const detail = isRecord(error) && isRecord(error['mismatch']) ? error['mismatch']['mismatches'] : undefined;
    for (const m of Array.isArray(detail) ? detail.filter(isRecord) : []) {
      const path = optionalString(m['path']);
      const key = optionalString(m['key']);
      mismatches.push({ type: String(m['type']), mismatch: String(m['mismatch']), ...(path === undefined ? {} : { path }), ...(key === undefined ? {} : { key }) });
    }
  }
  return { result: json['result'], interactionResults, mismatches, errors: json['errors'] };
}
