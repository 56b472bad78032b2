#!/usr/bin/env bash
# Builds Apicurio Registry (in-memory H2 storage; Confluent-compatible API at /apis/ccompat/v7)
# from Maven Central artifacts into .ci/cache/apicurio/<version>/ and prints the runner jar's path.
# Run it with `java -Dquarkus.http.port=8081 -jar <jar>`. Needs mvn and a JDK 17+.
#
#   scripts/apicurio/fetch.sh [--force]
#
# Env: HERALD_APICURIO_CACHE  cache directory (default .ci/cache/apicurio, gitignored)
# Why it builds instead of downloading a jar: see the comment in scripts/apicurio/pom.xml.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${DIR}/../.." && pwd)"
VERSION="$(sed -n 's:.*<apicurio.version>\(.*\)</apicurio.version>.*:\1:p' "${DIR}/pom.xml" | head -n1)"
CACHE="${HERALD_APICURIO_CACHE:-${ROOT}/.ci/cache/apicurio}"
OUT="${CACHE}/${VERSION}"
JAR="${OUT}/apicurio-registry-runner.jar"

log() { echo "[apicurio] $*" >&2; }
die() { echo "[apicurio] ERROR: $*" >&2; exit 1; }

if [[ "${1:-}" != "--force" && -s "${JAR}" && -d "${OUT}/lib" ]]; then
  printf '%s\n' "${JAR}"
  exit 0
fi
command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
command -v java >/dev/null 2>&1 || die "java not found (apt-get install openjdk-17-jdk-headless)"
[[ -n "${VERSION}" ]] || die "could not read <apicurio.version> from ${DIR}/pom.xml"

mkdir -p "${CACHE}"
WORK="$(mktemp -d "${CACHE}/build.XXXXXX")"
trap 'rm -rf "${WORK}"' EXIT
cp "${DIR}/pom.xml" "${DIR}/settings.xml" "${WORK}/"
MVN=(mvn -B -q -s "${WORK}/settings.xml" -f "${WORK}/pom.xml")
start=$(date +%s)

log "resolving io.apicurio:apicurio-registry-app:${VERSION} and its dependencies from Maven Central"
"${MVN[@]}" dependency:copy -Dartifact="io.apicurio:apicurio-registry-app:${VERSION}" -DoutputDirectory="${WORK}/app" >&2
mkdir -p "${WORK}/src/main/resources"
# The app's own configuration (in-memory H2 storage in the prod profile), plus the index entries.
(cd "${WORK}/app" && jar xf "apicurio-registry-app-${VERSION}.jar" application.properties)
cat "${WORK}/app/application.properties" "${DIR}/index-dependencies.properties" >"${WORK}/src/main/resources/application.properties"

log "building the Quarkus application (augmentation)"
"${MVN[@]}" -DskipTests package >&2
[[ -s "${WORK}/target/herald-apicurio-1-runner.jar" ]] || die "the build made no runner jar (see the Maven output above)"

rm -rf "${OUT}.part" "${OUT}"
mkdir -p "${OUT}.part"
# The runner jar's manifest names its libraries relative to itself (lib/…): keep them side by side.
cp "${WORK}/target/herald-apicurio-1-runner.jar" "${OUT}.part/apicurio-registry-runner.jar"
cp -R "${WORK}/target/lib" "${OUT}.part/lib"
mv "${OUT}.part" "${OUT}"
log "Apicurio Registry ${VERSION} ready in $(( $(date +%s) - start ))s: ${JAR}"
printf '%s\n' "${JAR}"
