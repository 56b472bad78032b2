#!/usr/bin/env bash
# Builds Herald's broker images locally (no registry pulls: the CI network only
# reaches npm, Maven Central and the Debian mirrors).
#
#   scripts/brokers/build-images.sh [--force] [--no-cache] [base|rabbitmq|kafka ...]
#
#   herald/debian-base:bookworm   debootstrap --variant=minbase + docker import
#   herald/rabbitmq:3.10-debian   Debian's rabbitmq-server (also tagged with its exact version)
#   herald/kafka:<3.9.x>          Apache Kafka jars from Maven Central, KRaft, apache/kafka env interface
#                                 (+ alias herald/kafka:7.9.x-ak<3.9.x> for @testcontainers/kafka)
#
# An image that already exists is skipped (`docker image inspect`).
#   --force     rebuild the selected images even if they exist (caches are reused)
#   --no-cache  also drop the caches (rootfs tarball, Kafka jars) and docker's layer cache
# Caches live in .ci/cache/brokers/ (gitignored).
set -euo pipefail
LOG_TAG=build-images
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FORCE=0
NO_CACHE=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --no-cache) FORCE=1; NO_CACHE=1 ;;
    base | rabbitmq | kafka) targets+=("$arg") ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done
((${#targets[@]})) || targets=(base rabbitmq kafka)

require_docker
[[ -n "$KAFKA_VERSION" ]] || die "could not read <kafka.version> from ${BROKERS_DIR}/kafka/pom.xml"
mkdir -p "$CACHE_DIR"

SUMMARY=()
summary() { SUMMARY+=("$*"); }

DOCKER_BUILD_ARGS=(--network host --pull=false)
((NO_CACHE)) && DOCKER_BUILD_ARGS+=(--no-cache)

wants() { local t; for t in "${targets[@]}"; do [[ "$t" == "$1" ]] && return 0; done; return 1; }

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
# After a rebuild, drop the image the tag pointed to before (it would linger
# as a dangling image); silently kept while a container or child image uses it.
drop_replaced() { # old-id tag
  local new
  new="$(image_id "$2")"
  if [[ -n "$1" && "$1" != "$new" ]]; then docker rmi "$1" >/dev/null 2>&1 || true; fi
}

# ------------------------------------------------------------------- base
ROOTFS_FORMAT=1 # bump when the rootfs customisation below changes
build_base() {
  local mirror security tarball t0 tmp
  mirror="$(debian_mirror)"
  security="$(debian_security_mirror)"
  tarball="${CACHE_DIR}/debian-bookworm-minbase-v${ROOTFS_FORMAT}-$(printf '%s' "$mirror|$security" | md5sum | cut -c1-8).tar"
  ((NO_CACHE)) && rm -f "$tarball"

  t0="$(now_s)"
  if [[ -s "$tarball" ]]; then
    log "base: reusing cached rootfs ${tarball#"${REPO_ROOT}"/}"
  else
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing: run scripts/brokers/ensure-docker.sh (it installs it)"
    [[ "$(id -u)" == 0 ]] || die "debootstrap needs root"
    tmp="$(mktemp -d "${CACHE_DIR}/rootfs.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    log "base: debootstrap --variant=minbase bookworm from ${mirror} (log: ${tmp}.log)"
    if ! debootstrap --variant=minbase bookworm "$tmp/rootfs" "$mirror" >"${tmp}.log" 2>&1; then
      tail -n 30 "${tmp}.log" >&2
      die "debootstrap failed (full log: ${tmp}.log)"
    fi
    customize_rootfs "$tmp/rootfs" "$mirror" "$security"
    tar --numeric-owner -C "$tmp/rootfs" -cf "${tarball}.part" .
    mv "${tarball}.part" "$tarball"
    rm -rf "$tmp" "${tmp}.log"
    trap - EXIT
    log "base: rootfs ready in $(elapsed "$t0")s ($(du -h "$tarball" | cut -f1))"
  fi

  local t1 old_id
  t1="$(now_s)"
  old_id="$(image_id "$BASE_IMAGE")"
  docker import \
    --change 'CMD ["/bin/bash"]' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL org.opencontainers.image.title=herald-debian-base org.opencontainers.image.description=\"debootstrap --variant=minbase bookworm\" dev.herald.debian-mirror=${mirror}" \
    - "$BASE_IMAGE" <"$tarball" >/dev/null
  drop_replaced "$old_id" "$BASE_IMAGE"
  log "base: imported ${BASE_IMAGE} in $(elapsed "$t1")s (total $(elapsed "$t0")s)"
  summary "$(printf '%-34s built in %ss' "$BASE_IMAGE" "$(elapsed "$t0")")"
}

# Makes the debootstrap tree a sane container base.
customize_rootfs() {
  local root="$1" mirror="$2" security="$3"
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  if [[ -n "$security" ]]; then
    cat >>"$root/etc/apt/sources.list.d/debian.sources" <<EOF

Types: deb
URIs: ${security}
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  else
    log "no bookworm-security source in apt's configuration: the image is built without it"
  fi
  cat >"$root/etc/apt/apt.conf.d/90herald-container" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  # no docs/man pages/translations in images (copyright files are kept)
  cat >"$root/etc/dpkg/dpkg.cfg.d/90herald-excludes" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
  # Services must not start while packages are installed in `docker build`.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/log/apt/* \
    "$root"/usr/share/doc/*/changelog* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/tmp/* "$root"/var/tmp/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  : >"$root/etc/resolv.conf"
  : >"$root/etc/machine-id"
  echo localhost >"$root/etc/hostname"
}

ensure_base() {
  if ! image_exists "$BASE_IMAGE"; then
    log "${BASE_IMAGE} is missing: building it first"
    build_base
  fi
}

# --------------------------------------------------------------- rabbitmq
build_rabbitmq() {
  ensure_base
  local t0 version old_id
  t0="$(now_s)"
  old_id="$(image_id "$RABBITMQ_IMAGE")"
  log "rabbitmq: docker build ${RABBITMQ_IMAGE}"
  docker build "${DOCKER_BUILD_ARGS[@]}" -t "$RABBITMQ_IMAGE" "${BROKERS_DIR}/rabbitmq" \
    >"${CACHE_DIR}/rabbitmq-build.log" 2>&1 || {
    tail -n 40 "${CACHE_DIR}/rabbitmq-build.log" >&2
    die "docker build of ${RABBITMQ_IMAGE} failed (log: ${CACHE_DIR}/rabbitmq-build.log)"
  }
  version="$(docker run --rm --entrypoint cat "$RABBITMQ_IMAGE" /etc/rabbitmq/herald-rabbitmq-version)"
  docker tag "$RABBITMQ_IMAGE" "herald/rabbitmq:${version}-debian"
  drop_replaced "$old_id" "$RABBITMQ_IMAGE"
  log "rabbitmq: built ${RABBITMQ_IMAGE} (= herald/rabbitmq:${version}-debian) in $(elapsed "$t0")s"
  summary "$(printf '%-34s built in %ss (rabbitmq-server %s)' "$RABBITMQ_IMAGE" "$(elapsed "$t0")" "$version")"
}

# ------------------------------------------------------------------ kafka
fetch_kafka_libs() {
  local libs="${CACHE_DIR}/kafka-libs-${KAFKA_VERSION}" t0 tmp
  ((NO_CACHE)) && rm -rf "$libs"
  if [[ -f "${libs}/.complete" ]]; then
    log "kafka: reusing cached jars ${libs#"${REPO_ROOT}"/}" >&2
  else
    command -v mvn >/dev/null 2>&1 || die "mvn not found (needed to fetch the Kafka jars from Maven Central)"
    t0="$(now_s)"
    tmp="${libs}.part"
    rm -rf "$tmp" "$libs"
    log "kafka: mvn dependency:copy-dependencies (kafka ${KAFKA_VERSION})"
    mvn -B -q -f "${BROKERS_DIR}/kafka/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"${CACHE_DIR}/kafka-mvn.log" 2>&1 || {
      tail -n 40 "${CACHE_DIR}/kafka-mvn.log" >&2
      die "mvn failed (log: ${CACHE_DIR}/kafka-mvn.log)"
    }
    [[ -f "${tmp}/kafka_2.13-${KAFKA_VERSION}.jar" ]] || die "mvn did not produce kafka_2.13-${KAFKA_VERSION}.jar"
    touch "${tmp}/.complete"
    mv "$tmp" "$libs"
    log "kafka: $(find "$libs" -name '*.jar' | wc -l) jars ($(du -sh "$libs" | cut -f1)) in $(elapsed "$t0")s"
  fi
  printf '%s\n' "$libs"
}

build_kafka() {
  ensure_base
  local t0 libs ctx old_id
  t0="$(now_s)"
  old_id="$(image_id "$KAFKA_IMAGE")"
  libs="$(fetch_kafka_libs)"
  ctx="${CACHE_DIR}/kafka-context"
  rm -rf "$ctx"
  mkdir -p "$ctx/libs"
  cp -a "${BROKERS_DIR}/kafka/Dockerfile" "${BROKERS_DIR}/kafka/rootfs" "$ctx/"
  cp -a "$libs"/*.jar "$ctx/libs/"
  log "kafka: docker build ${KAFKA_IMAGE}"
  docker build "${DOCKER_BUILD_ARGS[@]}" --build-arg "KAFKA_VERSION=${KAFKA_VERSION}" \
    -t "$KAFKA_IMAGE" "$ctx" >"${CACHE_DIR}/kafka-build.log" 2>&1 || {
    tail -n 40 "${CACHE_DIR}/kafka-build.log" >&2
    die "docker build of ${KAFKA_IMAGE} failed (log: ${CACHE_DIR}/kafka-build.log)"
  }
  rm -rf "$ctx"
  docker tag "$KAFKA_IMAGE" "$KAFKA_CP_ALIAS"
  drop_replaced "$old_id" "$KAFKA_IMAGE"
  log "kafka: built ${KAFKA_IMAGE} (alias ${KAFKA_CP_ALIAS}) in $(elapsed "$t0")s"
  summary "$(printf '%-34s built in %ss' "$KAFKA_IMAGE" "$(elapsed "$t0")")"
}

# ------------------------------------------------------------------- main
T0="$(now_s)"
for t in base rabbitmq kafka; do
  wants "$t" || continue
  case "$t" in
    base) img="$BASE_IMAGE" ;;
    rabbitmq) img="$RABBITMQ_IMAGE" ;;
    kafka) img="$KAFKA_IMAGE" ;;
  esac
  if ((!FORCE)) && image_exists "$img"; then
    # keep the alias tags in place even when the build is skipped
    [[ "$t" == kafka ]] && ! image_exists "$KAFKA_CP_ALIAS" && docker tag "$KAFKA_IMAGE" "$KAFKA_CP_ALIAS"
    summary "$(printf '%-34s present, skipped (--force rebuilds)' "$img")"
    continue
  fi
  "build_$t"
done

log "done in $(elapsed "$T0")s"
printf '  %s\n' "${SUMMARY[@]}" >&2
echo "export HERALD_KAFKA_IMAGE=${KAFKA_IMAGE}"
echo "export HERALD_RABBITMQ_IMAGE=${RABBITMQ_IMAGE}"
