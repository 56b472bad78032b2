#!/usr/bin/env bash
# herald/kafka: minimal stand-in for Apache Kafka's bin/kafka-run-class.sh
# (the distribution's scripts are not on Maven Central). Same variables:
# KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_GC_LOG_OPTS, KAFKA_JMX_OPTS,
# JMX_PORT, KAFKA_LOG4J_OPTS, KAFKA_OPTS, LOG_DIR, CLASSPATH, JAVA_HOME.
#   kafka-run-class.sh [-daemon] [-name NAME] [-loggc] CLASS [ARGS...]
set -eo pipefail

if [[ $# -lt 1 ]]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]" >&2
  exit 1
fi

base_dir="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"

CLASSPATH="${CLASSPATH:+${CLASSPATH}:}${base_dir}/libs/*"

if [[ -z "${JAVA_HOME:-}" ]]; then JAVA=java; else JAVA="${JAVA_HOME}/bin/java"; fi

LOG_DIR="${LOG_DIR:-${base_dir}/logs}"
mkdir -p "$LOG_DIR" 2>/dev/null || true

# Tools (anything but the broker, which sets these itself) get a small heap
# and log to stderr through tools-log4j.properties.
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256M}"
KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:${base_dir}/config/tools-log4j.properties}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"

if [[ -n "${JMX_PORT:-}" ]]; then
  KAFKA_JMX_OPTS="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Dcom.sun.management.jmxremote.port=${JMX_PORT}"
  [[ "$KAFKA_JMX_OPTS" == *jmxremote.rmi.port* ]] || KAFKA_JMX_OPTS="${KAFKA_JMX_OPTS} -Dcom.sun.management.jmxremote.rmi.port=${JMX_PORT}"
fi

DAEMON_MODE=false
DAEMON_NAME=""
GC_LOG_ENABLED=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    -name) DAEMON_NAME="$2"; shift 2 ;;
    -loggc) GC_LOG_ENABLED=true; shift ;;
    -daemon) DAEMON_MODE=true; shift ;;
    *) break ;;
  esac
done

if [[ "$GC_LOG_ENABLED" == true && -n "$DAEMON_NAME" ]]; then
  KAFKA_GC_LOG_OPTS="${KAFKA_GC_LOG_OPTS:--Xlog:gc*:file=${LOG_DIR}/${DAEMON_NAME}-gc.log:time,tags:filecount=10,filesize=100M}"
fi

# shellcheck disable=SC2086 # the *_OPTS variables are word lists by design
if [[ "$DAEMON_MODE" == true ]]; then
  nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} ${KAFKA_JMX_OPTS:-} \
    -Dkafka.logs.dir="$LOG_DIR" $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" ${KAFKA_OPTS:-} "$@" \
    >"${LOG_DIR}/${DAEMON_NAME:-kafka}.out" 2>&1 </dev/null &
else
  exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} ${KAFKA_JMX_OPTS:-} \
    -Dkafka.logs.dir="$LOG_DIR" $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" ${KAFKA_OPTS:-} "$@"
fi
