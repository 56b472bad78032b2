#!/usr/bin/env bash
# herald/kafka: stand-in for Apache Kafka's bin/kafka-server-start.sh
#   kafka-server-start.sh [-daemon] server.properties [--override property=value]*
set -eo pipefail
if [[ $# -lt 1 ]]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*" >&2
  exit 1
fi
base_dir="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"

export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:${base_dir}/config/log4j.properties}"
# The distribution defaults to -Xmx1G -Xms1G; test brokers on 2-core CI
# machines get 512 MB (override with KAFKA_HEAP_OPTS).
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512M -Xms128M}"

EXTRA_ARGS=(-name kafkaServer)
if [[ "$1" == -daemon ]]; then
  EXTRA_ARGS=(-daemon "${EXTRA_ARGS[@]}")
  shift
fi
exec "${base_dir}/bin/kafka-run-class.sh" "${EXTRA_ARGS[@]}" kafka.Kafka "$@"
