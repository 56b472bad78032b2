/**
 * The Avro code (and avsc), loaded on first use. Modules the root entry and `herald/jest` reach at
 * load time import only ./detect (constants, detection, the `herald.avro` block) and take the rest
 * from here, so a process that never meets an Avro payload never loads avsc
 * (test/package/module-loads.test.ts checks it on the packed package).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose: most contracts have no Avro */

type AvroContract = typeof import('./contract');
type AvroDsl = typeof import('./dsl');
type AvroCodec = typeof import('./codec');
type AvroCaptured = typeof import('./captured');
type AvroRegistryClient = typeof import('./registry/client');
type AvroProduced = typeof import('./produced');

/** ./contract: reader types, the match view, matchAvroMessage. */
export function avroContract(): AvroContract {
  return require('./contract') as AvroContract;
}
/** ./dsl: withAvroPayload's declaration, compile and examples. */
export function avroDsl(): AvroDsl {
  return require('./dsl') as AvroDsl;
}
/** ./codec: encoding and decoding Avro bodies. */
export function avroCodec(): AvroCodec {
  return require('./codec') as AvroCodec;
}
/** ./captured: matching a message captured on a broker against an Avro interaction. */
export function avroCaptured(): AvroCaptured {
  return require('./captured') as AvroCaptured;
}
/** ./registry/client: the schema registry client (it parses schemas with avsc). */
export function avroRegistryClient(): AvroRegistryClient {
  return require('./registry/client') as AvroRegistryClient;
}
/** ./produced: decoding what a provider's factory produced for an Avro interaction. */
export function avroProduced(): AvroProduced {
  return require('./produced') as AvroProduced;
}
