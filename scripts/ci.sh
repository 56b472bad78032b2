#!/usr/bin/env bash
# Everything CI needs, then the test command: Docker (installed and started if missing), local
# broker images (built once, reused after), Herald pointed at them, then `npm test`.
# Container tests fail, never skip, when a broker is missing under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/brokers/ensure-docker.sh
# Builds only what is missing; prints the HERALD_*_IMAGE exports for the images it checked.
eval "$(bash scripts/brokers/build-images.sh)"
# The contract-test example's provider images (orders at two versions, its store), from herald/debian-base; cached.
bash examples/contract-test/build-images.sh

# Point Herald at the images built here (no registry is reachable on these machines).
export HERALD_KAFKA_IMAGE="${HERALD_KAFKA_IMAGE:-herald/kafka:3.9.2}"
export HERALD_RABBITMQ_IMAGE="${HERALD_RABBITMQ_IMAGE:-herald/rabbitmq:3.10-debian}"
# pact-js's native core phones home unless told not to; nothing outside is reachable anyway.
export PACT_DO_NOT_TRACK=true
# This sandbox has /.dockerenv, so testcontainers would reach containers through the bridge address.
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
# Ryuk's image cannot be pulled here; tests stop their own containers.
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"

# The broker's PostgreSQL tests (*.integration.test.ts) use the native server on 127.0.0.1:5432.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  service postgresql start || echo "PostgreSQL did not start: the broker's PostgreSQL tests will fail" >&2
fi

# The broker web page's browser test (jest project "browser") drives Debian's chromium; install it once.
if ! command -v chromium >/dev/null 2>&1; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get install -y chromium || { as_root apt-get update && as_root apt-get install -y chromium; } ||
    echo "chromium did not install: the browser test (test/browser) will fail" >&2
fi

node scripts/test.js "$@"
