#!/usr/bin/env bash
# herald/kafka: stand-in for Apache Kafka's bin/kafka-server-stop.sh
# (sends SIGTERM to the kafka.Kafka JVM; the image has no procps).
signal="${SIGNAL:-TERM}"
found=1
for d in /proc/[0-9]*; do
  if tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -q 'java.* kafka\.Kafka '; then
    kill -s "$signal" "${d#/proc/}" && found=0
  fi
done
[[ $found == 0 ]] || echo "No kafka server to stop"
exit $found
