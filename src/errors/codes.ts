/**
 * The catalogue of every Herald error code: what happened and how to fix it.
 * docs/errors.md mirrors this list; test/errors-catalogue.test.ts keeps both in sync.
 * Add a code here (in your area's section) before throwing it.
 */
export interface ErrorCodeInfo {
  readonly what: string;
  readonly fix: string;
}

export const errorCatalogue = {
  // --- consumer DSL and handler tests -------------------------------------------------------
  HERALD_DSL_INVALID: {
    what: 'A message declaration is incomplete or inconsistent (missing consumer, provider, channel or payload).',
    fix: 'Follow the builder chain: consumer(..).expectsFrom(..).message(..).on(..).withPayload(..).',
  },
  HERALD_MATCHER_INVALID: {
    what: 'A matcher was built with an example that does not satisfy it, or with invalid options.',
    fix: 'Give the matcher an example that it accepts (e.g. m.regex(/^\\d+$/, "42")).',
  },
  HERALD_REGEX_INVALID: {
    what: 'A regular expression in a matcher or contract does not compile, or uses a feature that cannot run in linear time (back-references, look-around).',
    fix: 'Rewrite the expression without back-references or look-around; Herald runs regexes with a linear-time engine (RE2 syntax).',
  },
  HERALD_REGEX_BUDGET: {
    what: 'A regular expression that RE2 cannot run (look-around, back-references) ran on the bounded backtracking engine and did not finish within its time budget; the rule fails for that interaction only.',
    fix: 'Simplify the expression (avoid nested quantifiers around back-references), or rewrite it in RE2 syntax without look-around.',
  },
  HERALD_HANDLER_FAILED: {
    what: "The consumer's message handler threw while handling the generated example message.",
    fix: 'Fix the handler or the declaration; the interaction is not written to the contract until the handler succeeds.',
  },
  HERALD_DUPLICATE_INTERACTION: {
    what: 'Two interactions with the same description and provider states declare different content.',
    fix: 'Give each interaction a unique description, or make both declarations identical.',
  },
  HERALD_PAYLOAD_TOO_DEEP: {
    what: 'A payload or contract value is nested deeper than Herald supports.',
    fix: 'Flatten the payload; Herald accepts up to 256 levels of nesting.',
  },
  HERALD_UNSAFE_KEY: {
    what: 'A payload, metadata or rule key is "__proto__", "constructor" or "prototype" where it would be unsafe.',
    fix: 'Rename the key; such keys are rejected to prevent prototype pollution.',
  },
  // --- contract files -----------------------------------------------------------------------
  HERALD_CONTRACT_UNREADABLE: {
    what: 'A contract file or directory could not be read from disk.',
    fix: 'Check the path and permissions.',
  },
  HERALD_NOT_JSON: {
    what: 'A payload, metadata or contract value cannot be represented as JSON (undefined, a function, NaN or Infinity, a bigint, a class instance such as Date or Map, or a circular reference).',
    fix: 'Use only strings, finite numbers, booleans, null, arrays and plain objects (e.g. date.toISOString() instead of a Date).',
  },
  HERALD_CONTRACT_JSON: {
    what: 'A contract file is not valid JSON.',
    fix: 'Regenerate the file from the consumer tests, or fix the JSON at the reported position.',
  },
  HERALD_CONTRACT_DUPLICATE_KEY: {
    what: 'An object in a contract file repeats a key (e.g. two "interactions" arrays); JSON readers would silently keep only one.',
    fix: 'Merge the repeated keys at the reported line:column and JSON pointer into one, or regenerate the file from the consumer tests.',
  },
  HERALD_CONTRACT_ENCODING: {
    what: 'A contract file is not valid UTF-8: the byte at the reported offset starts no valid character.',
    fix: 'Save the file as UTF-8 (check the editor or the tool that wrote it), or regenerate it from the consumer tests.',
  },
  HERALD_CONTRACT_INVALID: {
    what: 'A contract file does not follow the Pact message contract schema.',
    fix: 'Fix the value at the reported JSON pointer, or regenerate the file from the consumer tests.',
  },
  HERALD_CONTRACT_UNSUPPORTED_VERSION: {
    what: 'A contract file declares a Pact specification version Herald does not read.',
    fix: 'Herald reads Pact V3 message pacts and V4 pacts; regenerate the file with a V3+ Pact library.',
  },
  HERALD_CONTRACT_WRITE_FAILED: {
    what: 'A contract file could not be written or its lock could not be taken.',
    fix: 'Check that the contracts directory is writable; remove a stale *.lock file only if no test run is active.',
  },
  // --- verification -------------------------------------------------------------------------
  HERALD_FACTORIES_INVALID: {
    what: 'The factories module does not export a provider definition of the expected shape.',
    fix: 'Default-export `{ states?: { [name]: (params) => values }, messages: { [description]: (params) => payload } }`, or use provider(name, {...}).',
  },
  HERALD_FACTORIES_LOAD_FAILED: {
    what: 'The factories (or triggers) module could not be loaded: missing file, syntax error, or it threw while loading.',
    fix: 'Check the path; run the module with `npx tsx <module>` to see the underlying error.',
  },
  HERALD_UNKNOWN_PROVIDER: {
    what: 'No contract names the provider being verified (or no provider name was given).',
    fix: 'Check --provider against the provider names in the contract files, or the --contracts paths.',
  },
  HERALD_NO_FACTORY: {
    what: 'An interaction has no message factory with its exact description.',
    fix: 'Add a factory under messages["<description>"]; the report suggests the closest existing name.',
  },
  HERALD_STATE_MISSING: {
    what: 'An interaction needs a provider state that has no state handler.',
    fix: 'Add states["<state name>"] to the provider definition (it may return values the factory receives).',
  },
  HERALD_STATE_FAILED: {
    what: 'A provider state handler threw during set-up.',
    fix: 'Fix the state handler; its error is in the report.',
  },
  HERALD_STATE_TIMEOUT: {
    what: 'A provider state handler did not finish within the state timeout.',
    fix: 'Make the handler resolve (await its work), or raise stateTimeoutMs in the provider definition.',
  },
  HERALD_FACTORY_FAILED: {
    what: 'A message factory threw or did not finish within the factory timeout.',
    fix: 'Fix the factory; the report quotes its error.',
  },
  HERALD_CHANNEL_UNCHECKED: {
    what: 'A contract names where the message travels (Kafka topic, AMQP exchange or routing key) but the factory does not say where it publishes, so the channel was not verified.',
    fix: 'Pass `channel` to message() (e.g. message(payload, { channel: kafkaTopic("orders.v1") })), or verify on a broker (--transport). --allow-unchecked-channel (allowUncheckedChannel) accepts it for one run; the report still notes it.',
  },
  HERALD_RUN_UNFINISHED: {
    what: 'The run stopped before every interaction had a verdict: Herald was waiting for user code (a factory, state handler, trigger or module load) whose promise or thenable can never settle, and nothing else was left to run.',
    fix: 'Make the factories, state handlers and module top-level code resolve (return a promise that settles, or a plain value). The report lists the interactions that were not run.',
  },
  HERALD_FACTORY_RESULT_INVALID: {
    what: 'A message factory returned a value that cannot be serialised as a message (functions, undefined, NaN, cycles, class instances…).',
    fix: 'Return plain JSON data, a string, or bytes (Buffer) — wrapped with message(payload, details) to add metadata.',
  },
  HERALD_USAGE: {
    what: 'A CLI command was called with missing or invalid arguments.',
    fix: 'Run `herald --help` for the usage.',
  },
  HERALD_REPORT_WRITE_FAILED: {
    what: 'The CLI could not write the report file named by --output.',
    fix: 'Check that the directory is writable, or pass another --output path.',
  },
  HERALD_INTERRUPTED: {
    what: 'herald verify received SIGINT (Ctrl-C) or SIGTERM: the interaction in progress was ended, the remaining ones were not run, the report was written and what Herald started (a --start-broker container) was stopped. Exit 130 (SIGINT) or 143 (SIGTERM).',
    fix: 'Run it again to completion; raise the CI step timeout if the job runner sent the signal.',
  },
  HERALD_NOTHING_TO_VERIFY: {
    what: 'herald verify selected no message interaction: --consumer or --description matched none, or the contracts hold only HTTP interactions. A run that verifies nothing never passes.',
    fix: 'Check --consumer and --description against the contracts (herald verify lists the pairs it read), or the --contracts paths.',
  },
  // --- transports (src/transport, adapters/) ------------------------------------------------
  HERALD_TRANSPORT_TIMEOUT: {
    what: 'No message arrived within the timeout (capture.next() or subscription.next()). Retriable.',
    fix: 'Check that the producer publishes to this channel (topic, exchange, routing key) after the capture started, or raise timeoutMs.',
  },
  HERALD_TRANSPORT_CLOSED: {
    what: 'An operation was called on a transport, capture or subscription that was already closed or stopped.',
    fix: 'Create a new transport or capture; with `await using`, use the variable only inside its block.',
  },
  HERALD_TRANSPORT_CONNECT_FAILED: {
    what: 'Herald could not connect to the broker (unreachable host or port, refused connection, protocol error). Retriable.',
    fix: 'Check the broker address (HERALD_KAFKA_BROKERS / HERALD_AMQP_URL) and that the broker is running and reachable.',
  },
  HERALD_TRANSPORT_AUTH_FAILED: {
    what: 'The broker refused the credentials (or the AMQP virtual host).',
    fix: 'Check the user name, password and vhost (amqp://user:pass@host:5672/vhost) or the SASL settings.',
  },
  HERALD_TRANSPORT_DISCONNECTED: {
    what: 'The connection to the broker was lost while a capture, subscription or publish was in progress (broker stopped or restarted, network failure). Retriable.',
    fix: 'Retry once the broker is back; if it keeps happening, read the broker logs.',
  },
  HERALD_TRANSPORT_TOPIC_MISSING: {
    what: 'A Kafka topic does not exist and neither the broker nor the client creates topics automatically.',
    fix: 'Create the topic first (KafkaTransport#createTopic or your provisioning), or enable automatic topic creation.',
  },
  HERALD_TRANSPORT_EXCHANGE_MISSING: {
    what: 'An AMQP exchange named by the channel does not exist.',
    fix: 'Declare it first (start the application that owns it, or AmqpTransport#declareExchange), or create the transport with { declareExchanges: true }.',
  },
  HERALD_TRANSPORT_QUEUE_MISSING: {
    what: 'An AMQP queue named by a queue channel does not exist.',
    fix: 'Declare the queue first (start the consumer that owns it, or AmqpTransport#declareQueue), or capture on the exchange the queue is bound to.',
  },
  HERALD_TRANSPORT_PUBLISH_FAILED: {
    what: 'The broker or client did not accept a published message (negative acknowledgement, message too large, invalid header or property).',
    fix: 'Read the cause; check message size limits and header and property values.',
  },
  HERALD_TRANSPORT_UNROUTABLE: {
    what: 'An AMQP message published with { unroutable: "error" } reached no queue (basic.return).',
    fix: 'Bind a queue first (start the consumer or a capture), check the routing key, or use { unroutable: "drop" }.',
  },
  HERALD_TRANSPORT_CHANNEL_INVALID: {
    what: 'A channel cannot be used by this transport (a Kafka topic given to the AMQP adapter, an empty topic name, an exchange declared with another type).',
    fix: 'Pass a channel of this transport: kafkaTopic(..) for Kafka, amqpExchange(..) or amqpQueue(..) for AMQP, with the type the exchange was declared with.',
  },
  HERALD_TRANSPORT_OPERATION_FAILED: {
    what: 'A broker operation failed for a reason Herald does not classify (admin request, channel error).',
    fix: 'Read the cause in the message; the `retriable` flag says whether retrying may help.',
  },
  HERALD_PEER_MISSING: {
    what: 'An optional peer dependency needed by the feature in use is not installed (kafkajs, amqplib or testcontainers).',
    fix: 'Install it with the command in the message, e.g. `npm install --save-dev kafkajs`.',
  },
  HERALD_CONTRACT_BROKER_CONFIG: {
    what: 'The contract broker (herald broker, startContractBroker) was given options it cannot run with: a non-loopback host without tokens, a read token without a write token, an invalid port or database URL.',
    fix: 'Set HERALD_BROKER_WRITE_TOKEN (and HERALD_BROKER_READ_TOKEN if reads must be private) before binding another host, or bind 127.0.0.1; see docs/broker.md.',
  },
  HERALD_CONTRACT_BROKER_STORAGE: {
    what: 'The contract broker could not open or migrate its database: PostgreSQL unreachable or refusing the credentials, or the PGlite data directory unusable.',
    fix: 'Check the --database URL and that PostgreSQL is running (pg_isready), or that the --data directory is writable and not used by another process.',
  },
  HERALD_DEPLOYMENT_SOURCE_FAILED: {
    what: 'herald contract-test could not read deployed versions or a pact from the broker: unreachable, an HTTP error, an answer that is not JSON, or an unknown environment.',
    fix: "Check --broker (the broker's base URL) and its credentials; create the environment or pass --environment with one the broker knows; record deployments with record-deployment.",
  },
  HERALD_PROVIDER_START_FAILED: {
    what: 'herald contract-test could not start the provider: the image is missing or not buildable, the command could not be spawned, or it exited before it was healthy.',
    fix: "Build the image (examples/contract-test/build-images.sh) or fix --command; the message quotes the provider's last log lines.",
  },
  HERALD_PROVIDER_UNHEALTHY: {
    what: 'The provider started but did not become healthy within the timeout: its health URL did not answer 2xx, its port did not accept connections, or its log line did not appear.',
    fix: 'Check --health-url / --health-port / --health-log and the broker addresses the provider reads (HERALD_KAFKA_BROKERS, HERALD_AMQP_URL); raise --health-timeout; the message quotes the last log lines.',
  },
  HERALD_BROKER_START_FAILED: {
    what: 'A broker container could not be started or did not become ready in time (Docker not running, image missing and not pullable, startup timeout).',
    fix: 'Check `docker info`; set HERALD_KAFKA_IMAGE / HERALD_RABBITMQ_IMAGE to a local image (scripts/brokers/build-images.sh), or point HERALD_KAFKA_BROKERS / HERALD_AMQP_URL at a running broker.',
  },
  // --- verification on real brokers: producers through triggers, consumers through probes (src/verify/broker, src/verify/consumer)
  HERALD_TRIGGERS_INVALID: {
    what: 'The triggers module (herald verify --triggers, or the definition given to verifyProviderOnBroker) does not have the expected shape: no "triggers" object, a trigger that is not a function, invalid state handlers.',
    fix: 'Default-export providerTriggers(name, { states?, triggers: { [description]: async (params, ctx) => { /* publish with the real client */ } } }), or add triggers to provider(name, {...}).',
  },
  HERALD_NO_TRIGGER: {
    what: 'An interaction has no trigger with its exact description, so broker verification cannot make the provider publish it (reported with the status of a missing factory).',
    fix: 'Add triggers["<description>"] calling the code that publishes the message; the report suggests the closest existing name.',
  },
  HERALD_TRIGGER_FAILED: {
    what: "A trigger threw (the provider's publishing code failed) or did not finish within the trigger timeout.",
    fix: "Fix the publishing code or its configuration (brokers, topic, exchange from the trigger's context); make the trigger resolve once it published, or raise triggerTimeoutMs.",
  },
  HERALD_CONSUMER_START_FAILED: {
    what: 'The consumer under test could not be started for verification on a broker: its start function threw or did not resolve within the timeout, or returned nothing to stop it with.',
    fix: "Fix the consumer's start-up (connection from ctx.kafkaBrokers() / ctx.amqpUrl(), names from ctx.topic(..) / ctx.queue(..)); resolve once it receives, returning { stop } or an AsyncDisposable.",
  },
  HERALD_CONSUMER_FAILED: {
    what: "The consumer's own handler failed on a contract example Herald published on the broker (reported through probe.failed, or its error quoted).",
    fix: 'Fix the handler, or the contract if the example is not what the consumer should accept; the report quotes the error and the message Herald published.',
  },
  HERALD_CONSUMER_TIMEOUT: {
    what: 'The consumer did not handle a contract example within the timeout: no probe.handled() for its herald-probe-id, or the side-effect predicate (probe.until) stayed false.',
    fix: 'Check that the consumer subscribes to the run-scoped names from its context (ctx.topic(..), ctx.queue(..), ctx.groupId(..)) and reports through ctx.probe, or raise timeoutMs.',
  },
  // --- bi-directional: field usage, compare, diff, AsyncAPI export (src/usage, src/compare, src/spec)
  HERALD_USAGE_UNREAD_FIELDS: {
    what: "In strict usage mode, a consumer's handler never read some fields its declaration lists (payload paths, headers or the key).",
    fix: 'Remove the unread fields from the declaration, or read them in the handler; strict mode is verify(handler, { strictUsage: true }) or HERALD_STRICT_USAGE=1.',
  },
  HERALD_SPEC_UNREADABLE: {
    what: 'A specification file (AsyncAPI, Avro schema or JSON Schema) could not be read from disk.',
    fix: 'Check the --spec path (or the paths given to herald diff) and its permissions.',
  },
  HERALD_SPEC_INVALID: {
    what: 'A specification file is not valid: YAML/JSON syntax, AsyncAPI validation errors, an invalid Avro schema or JSON Schema.',
    fix: 'Fix the problems listed in the message (each names its location); `npx @asyncapi/cli validate <file>` shows AsyncAPI problems in detail.',
  },
  HERALD_SPEC_UNSUPPORTED: {
    what: 'A specification file is of a kind Herald cannot compare with contracts (not AsyncAPI 2.x/3.0, an Avro schema or a JSON Schema), or uses a schema format Herald cannot read.',
    fix: 'Pass an AsyncAPI 2.6/3.0 document (.yaml/.json), an Avro schema (.avsc) or a JSON Schema (.json); AsyncAPI messages with Avro payloads: compare against the .avsc instead.',
  },
  // --- Avro and schema registries (src/avro, src/registry) ----------------------------------
  HERALD_AVRO_SCHEMA_INVALID: {
    what: "An Avro schema does not parse (inline, in an .avsc file, in a contract's herald.avro block, or sent to the registry), or its file cannot be read.",
    fix: 'Fix the schema at the reported place (the message names the .avsc file); it must be valid Avro schema JSON. For contracts, regenerate them from the consumer tests.',
  },
  HERALD_AVRO_EXAMPLE_INVALID: {
    what: "A consumer's Avro payload template does not fit its schema: a field of the wrong type, a field without default left out, a field the schema does not have, a logical value in the wrong form.",
    fix: "Change the template at the reported paths; values use Herald's Avro JSON form (docs/avro.md): longs as numbers, bytes as base64, timestamps as ISO text, decimals as text.",
  },
  HERALD_AVRO_ENCODE_FAILED: {
    what: 'A record could not be encoded with an Avro schema (a field does not fit), or a schema id for Confluent framing is not an unsigned 32-bit integer.',
    fix: 'Fix the record at the reported paths, or use the schema id the registry returned.',
  },
  HERALD_AVRO_FRAMING_INVALID: {
    what: 'A message expected in the Confluent wire format does not start with the magic byte 0, or is shorter than the 5-byte header (magic byte + schema id).',
    fix: 'Make the producer use a Confluent-compatible Avro serializer, or declare the payload without a registry (bare Avro).',
  },
  HERALD_AVRO_DECODE_FAILED: {
    what: 'A message body could not be decoded as Avro for its interaction: truncated, bytes left over, invalid data, Confluent framing where bare Avro is expected, or JSON where Avro is expected.',
    fix: 'Check the producer serialises with the schema the contract names (or a compatible one) and the framing it expects; pass the schema registry so the writer schema is used.',
  },
  HERALD_AVRO_WRITER_SCHEMA_UNKNOWN: {
    what: "A Confluent-framed Avro message was to be verified without a schema registry: its schema id cannot be resolved to the writer's schema. Avro data carries no field names, so reading it with the contract's schema would go by position, and a writer that renamed or reordered a field could pass.",
    fix: 'Pass the schema registry the producer uses: --schema-registry <url> (herald verify), the schemaRegistry option, or HERALD_SCHEMA_REGISTRY_URL.',
  },
  HERALD_AVRO_SCHEMA_NOT_FOUND: {
    what: 'The schema registry does not know a schema id (from a message header) or subject.',
    fix: 'Point Herald at the registry the producer used, or register the schema first.',
  },
  HERALD_AVRO_INCOMPATIBLE: {
    what: "A writer schema cannot be read with a consumer's reader schema, or the registry refused a schema as incompatible with the subject's history (HTTP 409). The message lists each field with both types.",
    fix: 'Evolve the schema compatibly: add fields with defaults, keep types (or use Avro promotions int→long→float→double), keep enum symbols and union branches; see docs/avro.md, "Schema evolution".',
  },
  HERALD_REGISTRY_UNAVAILABLE: {
    what: 'The schema registry could not be reached (connection refused, unknown host, connection reset). Retriable.',
    fix: 'Check the registry URL and that the registry is running; in tests, start one with startSchemaRegistry().',
  },
  HERALD_REGISTRY_REQUEST_FAILED: {
    what: 'The schema registry answered a request with an error (credentials refused, server error, unexpected answer), or the registry option has no URL.',
    fix: 'Read the registry message quoted in the error; for a secured registry pass auth: { username, password } (Confluent Cloud: API key and secret).',
  },
  HERALD_REGISTRY_START_FAILED: {
    what: 'The embedded schema registry could not listen on the requested host and port.',
    fix: 'Use another port, or port 0 (the default) for any free one.',
  },
  // --- the Pact Broker client (src/broker-client): herald publish, verify --broker, can-i-deploy…
  HERALD_PACT_BROKER_UNREACHABLE: {
    what: 'The contract broker (Herald Broker or Pact Broker) could not be reached, did not answer within the timeout, or kept answering 5xx after the retries. Retriable.',
    fix: 'Check --broker-url / HERALD_BROKER_URL and that the broker is running; raise --broker-timeout for a slow broker.',
  },
  HERALD_PACT_BROKER_AUTH_FAILED: {
    what: 'The contract broker refused the request: 401 Unauthorized (no or wrong credentials) or 403 Forbidden (a read-only token used to write).',
    fix: 'Set HERALD_BROKER_TOKEN (or --broker-token) to a token the broker accepts, with write access to publish or record; or pass --broker-username / --broker-password for basic auth.',
  },
  HERALD_PACT_BROKER_REQUEST_FAILED: {
    what: "The contract broker rejected a request (4xx other than 401/403: an unknown pacticipant, version or environment, invalid input) or failed it; the broker's own message is quoted.",
    fix: 'Read the quoted broker message; check the names and versions given (e.g. create the environment first with herald environments create).',
  },
  HERALD_PACT_BROKER_RESPONSE_INVALID: {
    what: 'The contract broker answered with something that is not the Pact Broker API: not JSON, or a HAL link Herald follows (pb:publish-contracts, pb:provider-pacts-for-verification…) is missing.',
    fix: 'Check that --broker-url points at the broker root (not a page or a proxy login); the broker may be too old (Pact Broker 2.86+ has pb:publish-contracts).',
  },
  // --- request/reply and flows -------------------------------------------------------------
  HERALD_REQUEST_MISMATCH: {
    what: "In a request/reply handler test, the consumer's client sent a request that does not match the declared request (payload, headers, key or properties).",
    fix: 'Fix the client or the declaration; the error lists each mismatch and the request that was sent.',
  },
  HERALD_NO_REPLY_FACTORY: {
    what: 'A request/reply interaction (Pact V4 Synchronous/Messages) has no reply factory with its exact description.',
    fix: 'Add a factory under replies["<description>"]: (params, request) => reply; the report suggests the closest existing name.',
  },
  HERALD_REPLY_NOT_CHECKED: {
    what: 'A request/reply interaction was part of a broker run that does not check replies (verifyProviderOnBroker without `replies`, herald verify --transport memory) or whose connection was lost; it was not checked, so the run fails rather than pass without it.',
    fix: 'Verify request/reply interactions on Kafka or RabbitMQ (herald verify --transport kafka|amqp, verifyProviderOnBroker with replies, verifyRepliesOnBroker), or in process with reply factories (verifyProvider, herald verify --factories); or select the one-way interactions with --description.',
  },
  HERALD_REPLY_UNSUPPORTED: {
    what: 'A request/reply interaction declares no reply or more than one reply; Herald checks exactly one reply per request.',
    fix: 'Declare one reply per request (split a multi-reply exchange into several interactions, or a flow).',
  },
  HERALD_REPLY_MISSING: {
    what: 'Herald published a request on the broker but no reply arrived at the reply address within the reply timeout.',
    fix: "Check that the provider's service consumes the request channel, answers to the request's reply address (AMQP reply_to, Kafka reply-topic header) and is running; raise replyTimeoutMs if it is slow.",
  },
  HERALD_REPLY_UNCORRELATED: {
    what: "A reply arrived at the reply address without the request's correlation id, or with the id of another request.",
    fix: "Copy the request's correlation id into the reply (AMQP correlation_id property; Kafka correlation header, kafka_correlationId by default).",
  },
  // --- flows (docs/request-reply.md, "Flows") ------------------------------------------------
  HERALD_FLOW_INVALID: {
    what: "A contract's flow (the comments.herald.flow blocks of its steps) is incomplete or inconsistent: a step is missing, listed twice, or binds a value from a step that does not come before it. No step of the flow is verified.",
    fix: 'Re-run the consumer test that declares the flow so that every step is written, and do not edit or publish steps of a flow separately.',
  },
  HERALD_FLOW_STEP_FAILED: {
    what: 'A step of a flow failed (mismatch, factory or state error, missing reply, or a bound value the provider did not carry over from an earlier step); the flow stopped there.',
    fix: "Read the step's mismatches and error; a bound value must equal the one the earlier step produced (e.g. the push's session id is the authorise reply's).",
  },
  HERALD_FLOW_STEP_NOT_RUN: {
    what: 'A step of a flow was not run because an earlier step of the same flow failed; it fails with the flow.',
    fix: 'Fix the earlier failing step named in the message.',
  },
  HERALD_FLOW_NOT_CHECKED: {
    what: 'A step of a flow was part of a run that checks interactions one at a time (verifyRepliesOnBroker, or verifyProviderOnBroker / herald verify --transport memory without a request/reply client); its bound values cannot be checked there, so it fails rather than pass unseen.',
    fix: 'Verify flows with herald verify --transport kafka|amqp or verifyFlowsOnBroker on a broker, or with factories in process (verifyProvider), which run every step of a flow in order; or select the other interactions with --description.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof errorCatalogue;
