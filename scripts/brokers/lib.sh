# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this file
# Shared helpers for scripts/brokers/*.sh. Source it, do not execute it.

BROKERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${BROKERS_DIR}/../.." && pwd)"
CACHE_DIR="${HERALD_BROKER_CACHE:-${REPO_ROOT}/.ci/cache/brokers}"

# ---- image tags (single source of truth; docs/brokers.md documents them) ----
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "${BROKERS_DIR}/kafka/pom.xml" | head -n1)"
BASE_IMAGE="herald/debian-base:bookworm"
RABBITMQ_IMAGE="herald/rabbitmq:3.10-debian"
KAFKA_IMAGE="herald/kafka:${KAFKA_VERSION}"
# Alias of the same image whose tag passes @testcontainers/kafka's Confluent
# Platform version gates (Confluent Platform 7.9.x ships Apache Kafka 3.9.x).
KAFKA_CP_ALIAS="herald/kafka:7.9.${KAFKA_VERSION##*.}-ak${KAFKA_VERSION}"

# The legacy builder is used on purpose: the Debian docker.io package has no
# buildx plugin, and with the modern CLI `docker build` otherwise refuses to run.
export DOCKER_BUILDKIT=0

_ts() { date +%H:%M:%S; }
log() { echo "[$(_ts)] [${LOG_TAG:-brokers}] $*" >&2; }
die() { echo "[$(_ts)] [${LOG_TAG:-brokers}] ERROR: $*" >&2; exit 1; }

now_s() { date +%s.%N; }
# elapsed START -> "12.3"
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Prints the Debian mirror the host's apt uses for suite $1 (bookworm or
# bookworm-security). Reads the enabled apt sources only (*.list, *.sources).
# Overridable with HERALD_DEBIAN_MIRROR / HERALD_DEBIAN_SECURITY_MIRROR.
host_debian_mirror() {
  local suite="$1" f uri=""
  shopt -s nullglob
  # deb822 (*.sources): find a stanza whose Suites contains the suite.
  for f in /etc/apt/sources.list.d/*.sources; do
    uri="$(awk -v want="$suite" '
      function flush() { if (uris != "" && suites ~ ("(^| )" want "( |$)") && types ~ /(^| )deb( |$)/) { split(uris, u, " "); print u[1]; found = 1; exit } uris = ""; suites = ""; types = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^[[:space:]]*#/ { next }
      tolower($1) == "uris:"   { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
      tolower($1) == "suites:" { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
      tolower($1) == "types:"  { $1 = ""; types = $0; sub(/^ +/, "", types) }
      END { if (!found) flush() }' "$f")"
    [[ -n "$uri" ]] && break
  done
  # one-line format (*.list)
  if [[ -z "$uri" ]]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f "$f" ]] || continue
      uri="$(awk -v want="$suite" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == want) { print $i; exit } }' "$f")"
      [[ -n "$uri" ]] && break
    done
  fi
  shopt -u nullglob
  printf '%s\n' "${uri%/}"
}

# Mirrors come from the machine's own apt configuration (or the HERALD_* overrides), never from
# a host name written here: a machine with none configured fails with the fix.
debian_mirror() {
  local m="${HERALD_DEBIAN_MIRROR:-$(host_debian_mirror bookworm)}"
  [[ -n "$m" ]] || die "no Debian mirror for bookworm in /etc/apt/sources.list{,.d/*}: add one to apt's sources, or set HERALD_DEBIAN_MIRROR=<mirror URL>"
  printf '%s\n' "$m"
}

# The security suite may be served from its own mirror; without one the image is built without it
# (printed empty), which build-images.sh reports.
debian_security_mirror() {
  local m="${HERALD_DEBIAN_SECURITY_MIRROR:-$(host_debian_mirror bookworm-security)}"
  printf '%s\n' "$m"
}

require_docker() {
  command -v docker >/dev/null 2>&1 || die "docker CLI not found: run scripts/brokers/ensure-docker.sh first"
  docker info >/dev/null 2>&1 || die "docker daemon is not answering: run scripts/brokers/ensure-docker.sh first"
}
