#!/usr/bin/env node
// Round-trip checks used by scripts/brokers/smoke.sh, from the host side
// (like the tests do), with the project's own client libraries.
//
//   node smoke-client.cjs kafka HOST:PORT
//   node smoke-client.cjs amqp  amqp://USER:PASS@HOST:PORT [MANAGEMENT_PORT]
"use strict";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

const TIMEOUT_MS = Number(process.env.HERALD_SMOKE_CLIENT_TIMEOUT_MS || 60000);

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function load(name) {
  try {
    return require(name);
  } catch (err) {
    throw new Error(`cannot load '${name}' (${err.message}); run 'npm ci' in the repository first`);
  }
}

async function kafkaCheck(broker) {
  const { Kafka, logLevel } = load("kafkajs");
  const kafka = new Kafka({
    clientId: "herald-smoke",
    brokers: [broker],
    // transient errors (e.g. "group coordinator is not available" right after
    // start-up) are retried by kafkajs; real failures surface as exceptions
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });
  const topic = `herald-smoke-${Date.now()}`;
  const payload = `hello from herald smoke ${process.pid}`;
  const t0 = Date.now();

  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  if (!created) throw new Error(`topic ${topic} was not created`);
  const cluster = await admin.describeCluster();
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: "k", value: payload }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received = await withTimeout(
    new Promise((resolve, reject) => {
      consumer
        .run({ eachMessage: async ({ message }) => resolve(message.value.toString()) })
        .catch(reject);
    }),
    TIMEOUT_MS,
    "kafka consume",
  );
  await consumer.disconnect();
  if (received !== payload) throw new Error(`kafka: consumed '${received}', expected '${payload}'`);
  console.log(
    `kafka OK: broker ${broker} (cluster ${cluster.clusterId}, ${cluster.brokers.length} broker), ` +
      `topic created + 1 message produced and consumed in ${Date.now() - t0} ms`,
  );
}

async function amqpCheck(url, managementPort) {
  const amqp = load("amqplib");
  const t0 = Date.now();
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue("", { exclusive: true });
  const payload = `hello from herald smoke ${process.pid}`;
  ch.sendToQueue(queue, Buffer.from(payload));
  let msg = false;
  const deadline = Date.now() + TIMEOUT_MS;
  while (!msg && Date.now() < deadline) {
    msg = await ch.get(queue, { noAck: true });
    if (!msg) await new Promise((r) => setTimeout(r, 50));
  }
  const serverProps = conn.connection.serverProperties || {};
  await conn.close();
  if (!msg) throw new Error("amqp: message not received back");
  if (msg.content.toString() !== payload) throw new Error(`amqp: got '${msg.content}', expected '${payload}'`);
  console.log(
    `amqp OK: ${url.replace(/\/\/[^@]*@/, "//***@")} (${serverProps.product || "?"} ${serverProps.version || "?"}), ` +
      `publish + get round trip in ${Date.now() - t0} ms`,
  );

  if (managementPort) {
    const u = new URL(url);
    const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64");
    const res = await fetch(`http://${u.hostname}:${managementPort}/api/overview`, { headers: { authorization: `Basic ${auth}` } });
    if (!res.ok) throw new Error(`management API answered HTTP ${res.status}`);
    const body = await res.json();
    console.log(`management OK: http://${u.hostname}:${managementPort}/api/overview (rabbitmq ${body.rabbitmq_version})`);
  }
}

async function main() {
  const [mode, target, extra] = process.argv.slice(2);
  if (mode === "kafka" && target) return withTimeout(kafkaCheck(target), TIMEOUT_MS * 2, "kafka check");
  if (mode === "amqp" && target) return withTimeout(amqpCheck(target, extra), TIMEOUT_MS * 2, "amqp check");
  throw new Error("usage: smoke-client.cjs kafka HOST:PORT | amqp URL [MANAGEMENT_PORT]");
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`smoke-client FAILED: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
