#!/usr/bin/env bash
# herald/kafka: stand-in for Apache Kafka's bin/kafka-consumer-groups.sh
exec "$(dirname "$(readlink -f "$0")")/kafka-run-class.sh" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@"
