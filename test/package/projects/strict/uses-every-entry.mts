// Every public entry, from an ES module.
import { consumer, kafkaTopic, m, message, provider, isHeraldError } from 'herald';
import { verifyProviderInJest } from 'herald/jest';
import HeraldNodeEnvironment from 'herald/jest/environment';
import globalSetup from 'herald/jest/global-setup';
import globalTeardown from 'herald/jest/global-teardown';
import { KafkaTransport } from 'herald/kafka';
import { AmqpTransport } from 'herald/amqp';
import { describeTransportCompliance } from 'herald/compliance';
import { BufferedCapture, murmur2 } from 'herald/adapter-kit';
import { loadAvroSchema, startSchemaRegistry } from 'herald/avro';
import { compareContracts, diffSpecs } from 'herald/bidirectional';

const placed = consumer('shipping')
  .expectsFrom('orders')
  .message('placed')
  .on(kafkaTopic('orders.v1'))
  .withPayload({ total: m.decimal(1.5) });
export const total: number = 0 as unknown as Parameters<Parameters<typeof placed.verify>[0]>[0]['payload']['total'];
export const used = [
  message,
  provider,
  isHeraldError,
  verifyProviderInJest,
  HeraldNodeEnvironment,
  globalSetup,
  globalTeardown,
  KafkaTransport,
  AmqpTransport,
  describeTransportCompliance,
  BufferedCapture,
  murmur2,
  loadAvroSchema,
  startSchemaRegistry,
  compareContracts,
  diffSpecs,
];
