#!/usr/bin/env bash
# herald/kafka: stand-in for Apache Kafka's bin/zookeeper-server-start.sh
#   zookeeper-server-start.sh [-daemon] zookeeper.properties
set -eo pipefail
if [[ $# -lt 1 ]]; then
  echo "USAGE: $0 [-daemon] zookeeper.properties" >&2
  exit 1
fi
base_dir="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:${base_dir}/config/log4j.properties}"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256M -Xms64M}"
EXTRA_ARGS=(-name zookeeper)
if [[ "$1" == -daemon ]]; then
  EXTRA_ARGS=(-daemon "${EXTRA_ARGS[@]}")
  shift
fi
exec "${base_dir}/bin/kafka-run-class.sh" "${EXTRA_ARGS[@]}" org.apache.zookeeper.server.quorum.QuorumPeerMain "$@"
