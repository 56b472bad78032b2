#!/usr/bin/env bash
# Makes sure a Docker daemon is answering on this machine (idempotent).
#
#   scripts/brokers/ensure-docker.sh
#
# 1. installs docker.io (+ debootstrap, needed by build-images.sh) if missing;
# 2. if `docker info` fails, starts dockerd in the background (no systemd in
#    the sandbox/CI), logging to $HERALD_DOCKERD_LOG (/tmp/herald-dockerd.log),
#    and waits up to $HERALD_DOCKERD_WAIT seconds (60) for it to answer;
# 3. falls back to other daemon options if the default ones cannot start
#    (see docs/brokers.md, "Making dockerd run"), or fails loudly with the
#    tail of the daemon log.
#
# Env: HERALD_DOCKERD_OPTS  extra dockerd flags, tried first and alone when set
#      HERALD_DOCKERD_LOG   daemon log file (default /tmp/herald-dockerd.log)
#      HERALD_DOCKERD_WAIT  seconds to wait per attempt (default 60)
set -euo pipefail
LOG_TAG=ensure-docker
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKERD_LOG="${HERALD_DOCKERD_LOG:-/tmp/herald-dockerd.log}"
WAIT_S="${HERALD_DOCKERD_WAIT:-60}"
PIDFILE=/var/run/docker.pid

SUDO=""
if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -n"
fi

print_version() {
  docker version --format 'docker ready: client {{.Client.Version}}, server {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null \
    || docker version
  docker info --format 'storage driver: {{.Driver}}, cgroup driver: {{.CgroupDriver}} (v{{.CgroupVersion}}), root dir: {{.DockerRootDir}}' 2>/dev/null || true
}

daemon_answers() { timeout 10 docker info >/dev/null 2>&1; }

# ---------------------------------------------------------------- 1. install
missing=()
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
  pkgs="$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  log "installing: ${pkgs}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || die "apt-get update failed"
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends ${pkgs} >/dev/null \
    || die "apt-get install ${pkgs} failed"
fi
command -v docker >/dev/null 2>&1 || die "docker CLI still missing after install"
command -v dockerd >/dev/null 2>&1 || die "dockerd still missing after install"

touch "$DOCKERD_LOG" 2>/dev/null || $SUDO touch "$DOCKERD_LOG"

# ------------------------------------------------------- 2. already running?
if daemon_answers; then
  log "docker daemon already answering"
  print_version
  exit 0
fi

# A daemon that is still initialising (started by an earlier call) gets the
# full wait before we consider starting another one.
if [[ -s "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  log "dockerd (pid $(cat "$PIDFILE")) is running but not answering yet; waiting up to ${WAIT_S}s"
  for ((i = 0; i < WAIT_S * 2; i++)); do
    if daemon_answers; then print_version; exit 0; fi
    sleep 0.5
  done
  die "dockerd pid $(cat "$PIDFILE") never answered; last log lines:
$(tail -n 40 "$DOCKERD_LOG" 2>/dev/null || echo '(no log)')"
fi

# ----------------------------------------------------- 3. prerequisites
ensure_cgroups() {
  # dockerd needs a cgroup hierarchy. Normal machines have it; a bare
  # container/VM sometimes has nothing mounted on /sys/fs/cgroup.
  if [[ -n "$(ls -A /sys/fs/cgroup 2>/dev/null)" ]]; then return 0; fi
  log "/sys/fs/cgroup is empty: mounting cgroup2"
  $SUDO mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null \
    || log "WARNING: could not mount cgroup2 (dockerd may fail)"
}
ensure_cgroups

# A dockerd that died leaves its pid file behind and refuses to start again.
if [[ -e "$PIDFILE" ]] && ! kill -0 "$(cat "$PIDFILE" 2>/dev/null || echo 0)" 2>/dev/null; then
  log "removing stale ${PIDFILE}"
  $SUDO rm -f "$PIDFILE"
fi

# ----------------------------------------------------- 4. start the daemon
# Attempts, in order. The first one (plain defaults: overlay2, iptables NAT,
# docker0 bridge) is what works on the Herald CI machines; the others only
# run when it does not (see docs/brokers.md).
attempts=()
if [[ -n "${HERALD_DOCKERD_OPTS:-}" ]]; then
  attempts+=("${HERALD_DOCKERD_OPTS}")
else
  attempts+=("")
fi

start_dockerd() {
  local opts="$1" pid
  ATTEMPT_START_LINE="$(wc -l 2>/dev/null <"$DOCKERD_LOG" || echo 0)"
  echo "=== $(date -Is) ensure-docker: starting dockerd ${opts:-(default options)}" >>"$DOCKERD_LOG"
  # setsid + nohup: the daemon must outlive this script and the CI step.
  # shellcheck disable=SC2086
  $SUDO setsid nohup dockerd ${opts} >>"$DOCKERD_LOG" 2>&1 </dev/null &
  pid=$!
  local deadline=$((SECONDS + WAIT_S))
  while ((SECONDS < deadline)); do
    if daemon_answers; then return 0; fi
    # dockerd exited: no point in waiting further.
    if ! kill -0 "$pid" 2>/dev/null && ! { [[ -s "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }; then
      return 1
    fi
    sleep 0.5
  done
  # Timed out while still running: stop it so the next attempt starts clean.
  log "dockerd did not answer within ${WAIT_S}s; stopping pid ${pid}"
  $SUDO kill "$pid" 2>/dev/null || true
  sleep 2
  return 1
}

# Chooses a fallback from what the failed attempt logged.
next_fallback() {
  # Only this attempt's error lines: a healthy daemon also logs "overlay2".
  local tail_log
  tail_log="$(tail -n +"$((ATTEMPT_START_LINE + 1))" "$DOCKERD_LOG" 2>/dev/null \
    | grep -iE 'failed to start daemon|level=(fatal|error)|^[a-z ]*error' || true)"
  if grep -qiE 'overlay|graphdriver|storage.driver|driver not supported' <<<"$tail_log" && [[ "$1" != *storage-driver* ]]; then
    if command -v fuse-overlayfs >/dev/null 2>&1 && [[ -e /dev/fuse ]]; then
      echo "--storage-driver=fuse-overlayfs"
    else
      echo "--storage-driver=vfs"
    fi
    return
  fi
  if grep -qiE 'iptables|nat chain|nf_tables|xtables' <<<"$tail_log" && [[ "$1" != *iptables* ]]; then
    # Published ports still work through docker-proxy (the userland proxy);
    # containers lose outbound NAT, which is why build-images.sh always
    # builds with --network host.
    echo "$1 --iptables=false"
    return
  fi
  return 1
}

ATTEMPT_START_LINE=0
tried=()
opts="${attempts[0]}"
while :; do
  log "starting dockerd ${opts:-(default options)}; log: ${DOCKERD_LOG}"
  t0="$(now_s)"
  if start_dockerd "$opts"; then
    log "dockerd answered after $(elapsed "$t0")s (options: ${opts:-default})"
    print_version
    exit 0
  fi
  tried+=("${opts:-default}")
  log "dockerd failed with options: ${opts:-default}"
  if [[ -n "${HERALD_DOCKERD_OPTS:-}" ]] || ! opts="$(next_fallback "$opts")"; then
    break
  fi
  log "retrying with fallback options: ${opts}"
done

die "could not start dockerd (tried: ${tried[*]}). Last lines of ${DOCKERD_LOG}:
$(tail -n 40 "$DOCKERD_LOG" 2>/dev/null || echo '(no log)')"
