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
# Maven Central as this machine's Maven knows it: a mirror of central in the user's settings, else
# the URL in Maven's own super POM (no repository host is written in this repository).
central_url() {
  local url=""
  if [[ -f "${HOME}/.m2/settings.xml" ]]; then
    url="$(python3 - "${HOME}/.m2/settings.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = root.tag[: root.tag.index('}') + 1] if root.tag.startswith('{') else ''
for m in root.iter(ns + 'mirror'):
    of = (m.findtext(ns + 'mirrorOf') or '').split(',')
    if any(x.strip() in ('*', 'central', 'external:*') for x in of):
        print((m.findtext(ns + 'url') or '').strip()); break
PY
)"
  fi
  if [[ -z "${url}" ]]; then
    local mvn_home builder
    mvn_home="$(dirname "$(dirname "$(readlink -f "$(command -v mvn)")")")"
    builder="$(ls "${mvn_home}"/lib/maven-model-builder-*.jar 2>/dev/null | head -n1)"
    [[ -n "${builder}" ]] && url="$(unzip -p "${builder}" org/apache/maven/model/pom-4.0.0.xml 2>/dev/null | grep -m1 -o '<url>[^<]*</url>' | sed 's:</\?url>::g')"
  fi
  [[ -n "${url}" ]] || die "cannot tell Maven Central's URL: configure a mirror of central in ~/.m2/settings.xml"
  printf '%s\n' "${url}"
}

cp "${DIR}/pom.xml" "${WORK}/"
sed "s|@CENTRAL_URL@|$(central_url)|" "${DIR}/settings.xml" >"${WORK}/settings.xml"
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
