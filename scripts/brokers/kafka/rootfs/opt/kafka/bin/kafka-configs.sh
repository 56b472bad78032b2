#!/usr/bin/env bash
# herald/kafka: stand-in for Apache Kafka's bin/kafka-configs.sh
exec "$(dirname "$(readlink -f "$0")")/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
