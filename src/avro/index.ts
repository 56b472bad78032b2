/**
 * herald/avro (docs/avro.md): Avro payloads in contracts (schemas, Herald's JSON form, Confluent
 * framing, decoding, schema evolution) and schema registries (Herald's embedded registry, the client).
 */
export { loadAvroSchema, parseAvroSchema, avscOptions } from './schema';
export type { AvroSchema, AvroSchemaObject, AvroSchemaJson, AvroSchemaSource, LoadedSchema } from './schema';
export { toAvroValue, toContractJson, describeType, formatValueIssues } from './json';
export type { AvroValueIssue } from './json';
export { frameConfluent, parseConfluentFrame, looksConfluentFramed, CONFLUENT_MAGIC_BYTE, CONFLUENT_HEADER_LENGTH } from './framing';
export type { ConfluentFrame } from './framing';
export { AVRO_CONTENT_TYPE, AVRO_JSON_FORM, avroBlockOf, isAvroInteraction, isAvroContentType, avroMatchView, matchAvroMessage, readerTypeOf } from './contract';
export type { AvroContractBlock, AvroFraming } from './contract';
export { decodeAvroMessage, encodeAvro } from './codec';
export type { DecodeAvroOptions, DecodedAvroMessage } from './codec';
export { matchCapturedAvro } from './captured';
export type { CapturedAvroResult } from './captured';
export { decodeProducedAvro } from './produced';
export type { ProducedAvro } from './produced';
export { checkReaderWriter, checkCompatibility, formatCompatibility, formatSchemaIssues, isCompatibilityMode, COMPATIBILITY_MODES } from './compatibility';
export type { SchemaIssue, SchemaIncompatibility, ReaderWriterLabels, CompatibilityMode, CompatibilityIssue, CompatibilityResult, SubjectVersion } from './compatibility';
export type { AvroPayloadOptions } from './dsl';
// Schema registries: Herald's embedded Confluent-compatible registry, and the client for any registry.
export {
  startSchemaRegistry,
  REGISTRY_CONTENT_TYPE,
  SchemaRegistryClient,
  schemaRegistryClient,
  schemaRegistryFromEnv,
  SCHEMA_REGISTRY_PEER,
  SCHEMA_REGISTRY_ENV,
  REGISTRY_ERRORS,
} from './registry/index';
export type { SchemaRegistryOptions, StartedSchemaRegistry, SchemaRegistryConfig, SchemaRegistryAuth, SchemaRegistryOption, HasSchemaRegistryClient } from './registry/index';
