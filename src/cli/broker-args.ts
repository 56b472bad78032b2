/**
 * The options and usage text broker verification adds to `herald verify` (--transport, --triggers…),
 * and their parsing. Apart from broker-source.ts so that a run with --factories parses its
 * arguments without loading the broker code.
 */
import { stringOption, stringOptions, usageError, type OptionTable, type ParsedOptions } from './args';

export const TRANSPORTS = ['kafka', 'amqp', 'memory'] as const;
export type TransportName = (typeof TRANSPORTS)[number];
/** Kafka clients Herald's transport can run on (herald/kafka's KAFKA_CLIENTS); kafkajs is the default. */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** The options broker verification adds to `herald verify`. */
export const BROKER_OPTIONS = {
  transport: { type: 'string', short: 't' },
  triggers: { type: 'string' },
  brokers: { type: 'string', multiple: true },
  'amqp-url': { type: 'string' },
  'kafka-client': { type: 'string' },
  'start-broker': { type: 'boolean' },
  timeout: { type: 'string' },
  'no-namespace': { type: 'boolean' },
} as const satisfies OptionTable;

export const BROKER_USAGE = `Verification on a real broker (instead of --factories):
  -t, --transport <name>         ${TRANSPORTS.join(' | ')}: capture what the provider publishes on this
                                 broker, and match payload and metadata (topic, key, headers /
                                 exchange, routing key, properties). On kafka and amqp,
                                 request/reply interactions are published on the contract's
                                 request channel with a reply address and correlation id, and
                                 the reply of the provider's running service is checked
      --triggers <module>        Module whose default export is providerTriggers(name, { states,
                                 triggers: { [description]: async (params, ctx) => publish } })
                                 (required with --transport)
      --brokers <host:port>      Kafka bootstrap brokers (repeatable or comma-separated;
                                 default: HERALD_KAFKA_BROKERS)
      --kafka-client <name>      ${KAFKA_CLIENTS.join(' | ')}: the Kafka client Herald captures with
                                 (default: HERALD_KAFKA_CLIENT, else kafkajs)
      --amqp-url <url>           RabbitMQ URL, amqp://user:pass@host:5672/vhost (default: HERALD_AMQP_URL)
      --start-broker             Without a broker given, start one in Docker (testcontainers;
                                 HERALD_KAFKA_IMAGE / HERALD_RABBITMQ_IMAGE) and remove it after
      --timeout <ms>             Wait for each interaction's message (default 10000)
      --no-namespace             Use the contracts' topic / exchange names as they are instead of
                                 run-scoped ones (only on a broker nothing else publishes to)
`;

export interface BrokerArgs {
  readonly transport: TransportName;
  readonly triggers: string;
  readonly brokers?: readonly string[];
  readonly amqpUrl?: string;
  /** The Kafka client given by --kafka-client (else HERALD_KAFKA_CLIENT when the source opens). */
  readonly kafkaClient?: KafkaClientName;
  readonly startBroker: boolean;
  readonly timeoutMs?: number;
  readonly namespace: boolean;
}

const isTransportName = (value: string): value is TransportName => (TRANSPORTS as readonly string[]).includes(value);
const isKafkaClientName = (value: string): value is KafkaClientName => (KAFKA_CLIENTS as readonly string[]).includes(value);

/** The Kafka client named by `value` (from `source`), kafkajs when none. Throws HERALD_USAGE listing the choices. */
export function parseKafkaClient(command: string, value: string | undefined, source: string): KafkaClientName {
  const name = value?.trim() ?? '';
  if (name === '') return 'kafkajs';
  if (!isKafkaClientName(name)) throw usageError(command, `Unknown Kafka client ${JSON.stringify(name)} in ${source}: use ${KAFKA_CLIENTS.join(' or ')}.`);
  return name;
}

/** The broker options of `herald verify`, or undefined when --transport is not given. Throws HERALD_USAGE. */
export function parseBrokerArgs(command: string, parsed: ParsedOptions, factories: string | undefined): BrokerArgs | undefined {
  const transport = stringOption(parsed, 'transport');
  const triggers = stringOption(parsed, 'triggers');
  const brokerOnly = ['brokers', 'amqp-url', 'kafka-client', 'timeout'].filter((o) => parsed.strings.has(o)).concat(['start-broker', 'no-namespace'].filter((o) => parsed.flags.has(o)));
  if (transport === undefined) {
    if (triggers !== undefined) throw usageError(command, `--triggers needs --transport: name the broker to verify on (--transport ${TRANSPORTS.join('|')}).`);
    if (brokerOnly.length > 0) throw usageError(command, `--${brokerOnly[0]} applies to verification on a broker: add --transport ${TRANSPORTS.join('|')} and --triggers <module>.`);
    return undefined;
  }
  if (!isTransportName(transport)) throw usageError(command, `Unknown transport ${JSON.stringify(transport)}: use ${TRANSPORTS.join(', ')}.`);
  if (factories !== undefined)
    throw usageError(command, '--factories and --transport do not go together: --factories verifies in-process, --transport on a broker through --triggers. Pass one of them.');
  if (triggers === undefined) throw usageError(command, "Missing --triggers: name the module exporting the provider's triggers (e.g. --triggers test/provider/triggers.ts).");
  const brokers = stringOptions(parsed, 'brokers')
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const amqpUrl = stringOption(parsed, 'amqp-url');
  if (brokers.length > 0 && transport !== 'kafka') throw usageError(command, `--brokers is for --transport kafka (got --transport ${transport}).`);
  if (amqpUrl !== undefined && transport !== 'amqp') throw usageError(command, `--amqp-url is for --transport amqp (got --transport ${transport}).`);
  const kafkaClientOption = stringOption(parsed, 'kafka-client');
  if (kafkaClientOption !== undefined && transport !== 'kafka') throw usageError(command, `--kafka-client is for --transport kafka (got --transport ${transport}).`);
  const kafkaClient = kafkaClientOption === undefined ? undefined : parseKafkaClient(command, kafkaClientOption, '--kafka-client');
  const timeout = stringOption(parsed, 'timeout');
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    timeoutMs = Number(timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw usageError(command, `Invalid --timeout ${JSON.stringify(timeout)}: give a positive number of milliseconds, e.g. --timeout 15000.`);
  }
  return {
    transport,
    triggers,
    startBroker: parsed.flags.has('start-broker'),
    namespace: !parsed.flags.has('no-namespace'),
    ...(brokers.length === 0 ? {} : { brokers }),
    ...(amqpUrl === undefined ? {} : { amqpUrl }),
    ...(kafkaClient === undefined ? {} : { kafkaClient }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}
