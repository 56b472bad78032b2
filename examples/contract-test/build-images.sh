#!/usr/bin/env bash
# Builds herald/orders:1.0.0 (good), herald/orders:1.1.0 (renames orderId) and the order store they
# use, herald/orders-store:1.0.0, from herald/debian-base:bookworm (scripts/brokers/build-images.sh
# builds it). Nothing is pulled:
# the node binary is the host's, kafkajs comes from this repository's node_modules.
# Cached: a second run takes a few seconds.
#   bash examples/contract-test/build-images.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$here/image/Dockerfile" "$here/image/Dockerfile.store" "$here/image/server.js" "$here/image/store.js" "$context/"
cp "$(command -v node)" "$context/node"
mkdir -p "$context/node_modules"
cp -r "$root/node_modules/kafkajs" "$context/node_modules/"
for version in 1.0.0 1.1.0; do
  docker build --quiet --build-arg "ORDERS_VERSION=$version" -t "herald/orders:$version" "$context" >/dev/null
  echo "built herald/orders:$version"
done
docker build --quiet -f "$context/Dockerfile.store" -t herald/orders-store:1.0.0 "$context" >/dev/null
echo "built herald/orders-store:1.0.0"
