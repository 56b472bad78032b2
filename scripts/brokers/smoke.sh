#!/usr/bin/env bash
# Starts each broker image with `docker run -d -P`, waits for its ready log
# line, does a real round trip from the host with the project's clients
# (amqplib, kafkajs), prints the ready times and removes the containers
# (on every exit path).
#
#   scripts/brokers/smoke.sh
#
# Env: HERALD_SMOKE_TIMEOUT  seconds to wait for a broker's ready line (default 180)
#      HERALD_KAFKA_IMAGE / HERALD_RABBITMQ_IMAGE  images to test (default: the ones build-images.sh makes)
set -euo pipefail
LOG_TAG=smoke
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

READY_TIMEOUT="${HERALD_SMOKE_TIMEOUT:-180}"
KAFKA_IMG="${HERALD_KAFKA_IMAGE:-$KAFKA_IMAGE}"
RABBIT_IMG="${HERALD_RABBITMQ_IMAGE:-$RABBITMQ_IMAGE}"
CLIENT="${BROKERS_DIR}/smoke-client.cjs"

require_docker
command -v node >/dev/null 2>&1 || die "node not found"
for img in "$RABBIT_IMG" "$KAFKA_IMG"; do
  image_exists "$img" || die "image ${img} is missing: run scripts/brokers/build-images.sh"
done

CONTAINERS=()
cleanup() {
  local rc=$? c
  for c in "${CONTAINERS[@]}"; do
    docker rm -f -v "$c" >/dev/null 2>&1 || true
  done
  ((${#CONTAINERS[@]})) && log "removed ${#CONTAINERS[@]} container(s)"
  if ((rc != 0)); then log "FAILED (exit ${rc})"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RESULTS=()

# start_container NAME DOCKER-RUN-ARGS... : sets $cid (no subshell, so that
# the EXIT trap knows every container)
start_container() {
  local name="$1"
  shift
  cid="$(docker run -d -P --label dev.herald.smoke=1 --name "herald-smoke-${name}-$$" "$@")" \
    || die "docker run failed for ${name}"
  CONTAINERS+=("$cid")
}

dump_logs() { # cid
  echo "----- last container log lines ($1) -----" >&2
  docker logs --tail 60 "$1" >&2 2>&1 || true
  echo "-----------------------------------------" >&2
}

# wait_for_log CID PATTERN START: returns once PATTERN is in the container log
wait_for_log() {
  local cid="$1" pattern="$2" start="$3"
  local deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    if docker logs "$cid" 2>&1 | grep -qF -- "$pattern"; then
      return 0
    fi
    if [[ "$(docker inspect -f '{{.State.Running}}' "$cid" 2>/dev/null)" != true ]]; then
      dump_logs "$cid"
      die "container ${cid:0:12} exited before logging '${pattern}' (after $(elapsed "$start")s)"
    fi
    sleep 0.2
  done
  dump_logs "$cid"
  die "'${pattern}' not logged by ${cid:0:12} within ${READY_TIMEOUT}s"
}

host_port() { # cid container-port -> host port
  local p
  p="$(docker port "$1" "$2/tcp" | head -n1)"
  p="${p##*:}"
  [[ "$p" =~ ^[0-9]+$ ]] || die "no published host port for $2/tcp on ${1:0:12}"
  printf '%s\n' "$p"
}

# ------------------------------------------------------------- RabbitMQ
log "rabbitmq: starting ${RABBIT_IMG}"
t0="$(now_s)"
start_container rabbitmq -e RABBITMQ_DEFAULT_USER=herald -e RABBITMQ_DEFAULT_PASS=herald-smoke "$RABBIT_IMG"
wait_for_log "$cid" "Server startup complete" "$t0"
ready="$(elapsed "$t0")"
log "rabbitmq: 'Server startup complete' after ${ready}s"
amqp_port="$(host_port "$cid" 5672)"
node "$CLIENT" amqp "amqp://herald:herald-smoke@127.0.0.1:${amqp_port}" \
  || { dump_logs "$cid"; die "rabbitmq round trip failed"; }
RESULTS+=("$(printf '%-30s ready in %5ss  (amqp 127.0.0.1:%s)' "$RABBIT_IMG" "$ready" "$amqp_port")")
docker rm -f -v "$cid" >/dev/null

# ---------------------------------------------------------------- Kafka
# Like testcontainers: the container waits for a start script, which is
# written once the random host port is known, so that the advertised
# listener is reachable from the host. Configured only through the
# apache/kafka KAFKA_* interface; BROKER (9094) is the in-container listener.
log "kafka: starting ${KAFKA_IMG} (KRaft, env-configured)"
t0="$(now_s)"
start_container kafka \
  -e KAFKA_NODE_ID=1 \
  -e KAFKA_PROCESS_ROLES=broker,controller \
  -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
  -e KAFKA_LISTENERS=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093,BROKER://0.0.0.0:9094 \
  -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT \
  -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER \
  -e KAFKA_INTER_BROKER_LISTENER_NAME=BROKER \
  -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 \
  -e KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1 \
  -e KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 \
  -e KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0 \
  -e CLUSTER_ID=4L6g3nShT-eMCtK--X86sw \
  --entrypoint sh "$KAFKA_IMG" \
  -c 'echo "Waiting for script..."; while [ ! -f /tmp/herald_start.sh ]; do sleep 0.1; done; exec bash /tmp/herald_start.sh'
kafka_port="$(host_port "$cid" 9092)"
start_script="$(mktemp)"
cat >"$start_script" <<EOF
#!/bin/bash
export KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:${kafka_port},BROKER://\$(hostname):9094
exec /etc/kafka/docker/run
EOF
chmod 755 "$start_script"
docker cp "$start_script" "${cid}:/tmp/herald_start.sh" >/dev/null
rm -f "$start_script"
wait_for_log "$cid" "Kafka Server started" "$t0"
ready="$(elapsed "$t0")"
log "kafka: 'Kafka Server started' after ${ready}s"
node "$CLIENT" kafka "127.0.0.1:${kafka_port}" || { dump_logs "$cid"; die "kafka round trip failed"; }
# The CLI tools inside the image work against the in-container listener.
topics="$(docker exec "$cid" kafka-topics.sh --bootstrap-server localhost:9094 --list)" \
  || { dump_logs "$cid"; die "kafka-topics.sh --list failed inside the container"; }
grep -q '^herald-smoke-' <<<"$topics" || die "kafka-topics.sh did not list the smoke topic (got: ${topics})"
log "kafka: kafka-topics.sh inside the container lists the smoke topic"
RESULTS+=("$(printf '%-30s ready in %5ss  (PLAINTEXT 127.0.0.1:%s)' "$KAFKA_IMG" "$ready" "$kafka_port")")
docker rm -f -v "$cid" >/dev/null

# No KAFKA_* at all: the image's defaults (apache/kafka's: single-node KRaft,
# PLAINTEXT 9092 advertised as localhost:9092, CONTROLLER 9093).
log "kafka: starting ${KAFKA_IMG} with no configuration (defaults)"
t0="$(now_s)"
start_container kafka-defaults "$KAFKA_IMG"
wait_for_log "$cid" "Kafka Server started" "$t0"
ready="$(elapsed "$t0")"
log "kafka (defaults): 'Kafka Server started' after ${ready}s"
docker exec "$cid" kafka-topics.sh --bootstrap-server localhost:9092 --create --topic herald-defaults >/dev/null \
  || { dump_logs "$cid"; die "kafka-topics.sh --create failed against the default listener"; }
docker exec "$cid" grep -qx 'process.roles=broker,controller' /opt/kafka/config/server.properties \
  || die "default server.properties is not the single-node KRaft one"
log "kafka (defaults): topic created on localhost:9092 inside the container"
RESULTS+=("$(printf '%-30s ready in %5ss  (defaults, checked in-container)' "$KAFKA_IMG" "$ready")")

log "all broker smoke checks passed"
printf '  %s\n' "${RESULTS[@]}" >&2
