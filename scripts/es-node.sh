#!/usr/bin/env bash
# A real single-node Elasticsearch for tests and development, without Docker (docs/design.md §1).
#
#   scripts/es-node.sh install | start | stop | status | url
#
# The distribution is Maven Central's integ-test zip (no bundled JDK, core modules only), unpacked
# into a cache OUTSIDE the repository. Elasticsearch refuses to run as root, so when this script is
# run as root it creates a system user and runs the node as that user.
#
# Environment:
#   ES_VERSION        default 8.19.21 (Maven Central has no 9.x integ-test zip; client major = server major)
#   ES_PORT           default 9200 (HTTP, bound to 127.0.0.1 only)
#   MIGRALEX_CACHE    default $HOME/.cache/migralex; as root /var/cache/migralex, because the node
#                     runs as an unprivileged user that cannot enter /root
#   ES_HEAP           default 512m
#   ES_START_TIMEOUT  seconds to wait for yellow/green health, default 180
#   ES_JAVA_HOME      a JDK >= 17; found under /usr/lib/jvm when unset
#   ES_USER           the unprivileged user when run as root, default migralex-es
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.21}"
ES_PORT="${ES_PORT:-9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
ES_USER="${ES_USER:-migralex-es}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"

if [[ -n "${MIGRALEX_CACHE:-}" ]]; then
  CACHE="$MIGRALEX_CACHE"
elif [[ "$(id -u)" -eq 0 ]]; then
  CACHE="/var/cache/migralex"
else
  CACHE="${HOME}/.cache/migralex"
fi
ES_HOME="${CACHE}/elasticsearch-${ES_VERSION}"
# Per-port state, so two nodes (e.g. 9200 for development, another port in CI) can coexist.
STATE="${CACHE}/es-node-${ES_PORT}"
PID_FILE="${STATE}/elasticsearch.pid"
URL="http://127.0.0.1:${ES_PORT}"

die() { echo "es-node: $*" >&2; exit 1; }
say() { echo "es-node: $*" >&2; }

need_tool() {  # $1 = command, $2 = Debian package; installs it with apt-get when we are root
  command -v "$1" >/dev/null && return
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing $2 (for $1)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; } >/dev/null \
      || die "apt-get install $2 failed"
  else
    die "$1 is needed: install $2"
  fi
}

# --- install -----------------------------------------------------------------------------------

fetch_zip() {
  # Resolve with Maven (checksums verified by Maven), then copy out of the local repository.
  local repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  local rel="org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"
  local dest="${CACHE}/downloads/elasticsearch-${ES_VERSION}.zip"
  mkdir -p "${CACHE}/downloads"
  if [[ -s "$dest" ]]; then echo "$dest"; return; fi
  need_tool mvn maven
  if [[ ! -s "${repo}/${rel}" ]]; then
    say "fetching ${ARTIFACT} from Maven Central"
    mvn -B -q dependency:get -Dartifact="${ARTIFACT}" -Dtransitive=false >&2 \
      || die "mvn dependency:get ${ARTIFACT} failed (no network, or no such version on Maven Central?)"
  fi
  if [[ -s "${repo}/${rel}" ]]; then
    cp "${repo}/${rel}" "${dest}.part" && mv "${dest}.part" "$dest"
  else
    # A custom localRepository in settings.xml: let Maven copy it for us.
    mvn -B -q dependency:copy -Dartifact="${ARTIFACT}" -DoutputDirectory="${CACHE}/downloads" >&2 \
      || die "mvn dependency:copy ${ARTIFACT} failed"
  fi
  [[ -s "$dest" ]] || die "no zip at ${dest} after fetching ${ARTIFACT}"
  echo "$dest"
}

install_es() {
  if [[ -f "${ES_HOME}/.installed" ]]; then
    say "Elasticsearch ${ES_VERSION} already installed in ${ES_HOME}"
    return
  fi
  need_tool unzip unzip
  local zip tmp
  zip="$(fetch_zip)"
  tmp="$(mktemp -d "${CACHE}/unpack.XXXXXX")"
  # unzip (unlike Python's zipfile) keeps the Unix mode bits, so bin/ stays executable.
  unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "cannot unpack ${zip}"; }
  [[ -d "${tmp}/elasticsearch-${ES_VERSION}/bin" ]] || { rm -rf "$tmp"; die "unexpected layout in ${zip}"; }
  chmod +x "${tmp}/elasticsearch-${ES_VERSION}"/bin/*
  rm -rf "$ES_HOME"
  mv "${tmp}/elasticsearch-${ES_VERSION}" "$ES_HOME"
  rmdir "$tmp"
  touch "${ES_HOME}/.installed"
  say "installed Elasticsearch ${ES_VERSION} in ${ES_HOME}"
}

# --- runtime helpers -------------------------------------------------------------------------------

java_major() {  # $1 = JDK home; prints the feature version (17, 21, 25 …) or nothing
  local home="$1" v=""
  if [[ -f "${home}/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${home}/release")"
  fi
  if [[ -z "$v" && -x "${home}/bin/java" ]]; then
    v="$("${home}/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  fi
  echo "$v"
}

find_jdk() {
  # ES 8.19 supports JDK 17+; prefer the oldest suitable one (what the 8.x line is tested on most).
  local cand best="" best_v=999 v
  for cand in "${ES_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
    [[ -n "$cand" && -x "${cand}/bin/java" ]] || continue
    v="$(java_major "$cand")"
    if [[ -n "$v" && "$v" -ge 17 ]]; then echo "$cand"; return; fi
  done
  local on_path=""
  if command -v java >/dev/null; then  # e.g. /usr/bin/java → /usr/lib/jvm/x/bin/java → /usr/lib/jvm/x
    on_path="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  for cand in /usr/lib/jvm/* "$on_path"; do
    [[ -n "$cand" ]] || continue
    [[ -x "${cand}/bin/java" && ! -L "$cand" ]] || continue
    v="$(java_major "$cand")"
    if [[ -n "$v" && "$v" -ge 17 && "$v" -lt "$best_v" ]]; then best="$cand"; best_v="$v"; fi
  done
  [[ -n "$best" ]] || die "no JDK >= 17 found (set ES_JAVA_HOME or install openjdk-17-jdk-headless)"
  echo "$best"
}

running_pid() {  # prints the pid when our node is alive
  [[ -s "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # a stale pid file (after a reboot) may name an unrelated process: never signal that one
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q "org.elasticsearch" || return 1
  echo "$pid"
}

health() {  # prints the cluster status (green/yellow/red) or fails
  curl -fsS --max-time 3 "${URL}/_cluster/health" 2>/dev/null \
    | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

as_es_user() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u "$ES_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_user() {
  [[ "$(id -u)" -eq 0 ]] || return 0
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    # -r: system account; -M: no home; the nologin shell is fine, runuser does not use it.
    useradd -r -M -s /usr/sbin/nologin "$ES_USER" 2>/dev/null || id -u "$ES_USER" >/dev/null \
      || die "cannot create user ${ES_USER}"
  fi
  # The node writes its keystore into config/ and its data/logs into the state dir.
  [[ "$(stat -c %U "$ES_HOME")" == "$ES_USER" ]] || chown -R "$ES_USER": "$ES_HOME"
  chown -R "$ES_USER": "$STATE"
  as_es_user test -r "${ES_HOME}/bin/elasticsearch" \
    || die "user ${ES_USER} cannot read ${ES_HOME}; choose a MIGRALEX_CACHE it can enter"
}

log_tail() {
  local f
  for f in "${STATE}/logs/migralex-dev.log" "${STATE}/startup.log"; do
    [[ -s "$f" ]] && { echo "--- tail of ${f}" >&2; tail -n 40 "$f" >&2; }
  done
  return 0
}

# --- commands --------------------------------------------------------------------------------------

start_es() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid ${pid}) at ${URL}"
    return
  fi
  if curl -fsS --max-time 2 "${URL}" >/dev/null 2>&1; then
    die "something else already answers at ${URL}; stop it or set ES_PORT"
  fi
  install_es
  mkdir -p "${STATE}/data" "${STATE}/logs"
  rm -f "$PID_FILE"
  ensure_user
  local jdk t0 settings=()
  jdk="$(find_jdk)"
  settings=(
    -Ecluster.name=migralex-dev
    -Enode.name="migralex-${ES_PORT}"
    -Ediscovery.type=single-node
    -Enetwork.host=127.0.0.1
    -Ehttp.port="${ES_PORT}"
    -Epath.data="${STATE}/data"
    -Epath.logs="${STATE}/logs"
    # CI disks are often >90% full; a watermark would block writes and turn health red.
    -Ecluster.routing.allocation.disk.threshold_enabled=false
  )
  if [[ -d "${ES_HOME}/modules/x-pack-security" ]]; then
    settings+=(-Expack.security.enabled=false)  # loopback only; no TLS/passwords for tests
  fi
  t0="$(date +%s.%N)"
  say "starting Elasticsearch ${ES_VERSION} on ${URL} (JDK ${jdk}, heap ${ES_HEAP})"
  # -d daemonizes once the node is up; -p makes the node itself write its pid.
  if ! as_es_user env ES_JAVA_HOME="$jdk" ES_JAVA_OPTS="-Xms${ES_HEAP} -Xmx${ES_HEAP} ${ES_EXTRA_JAVA_OPTS:-}" \
      "${ES_HOME}/bin/elasticsearch" -d -p "$PID_FILE" "${settings[@]}" >"${STATE}/startup.log" 2>&1; then
    log_tail
    die "Elasticsearch failed to start (see ${STATE}/startup.log and ${STATE}/logs/)"
  fi
  local deadline status=""
  deadline=$(( $(date +%s) + ES_START_TIMEOUT ))
  while (( $(date +%s) < deadline )); do
    status="$(health || true)"
    [[ "$status" == green || "$status" == yellow ]] && break
    if ! running_pid >/dev/null; then
      log_tail
      die "Elasticsearch exited during startup"
    fi
    sleep 1
  done
  if [[ "$status" != green && "$status" != yellow ]]; then
    log_tail
    die "no yellow/green health at ${URL} within ${ES_START_TIMEOUT}s (last status: '${status:-none}')"
  fi
  say "up: ${URL} status ${status}, pid $(cat "$PID_FILE"), $(awk -v a="$t0" -v b="$(date +%s.%N)" \
    'BEGIN{printf "%.1f", b-a}') s"
}

stop_es() {
  local pid i
  if ! pid="$(running_pid)"; then
    say "not running (no live pid in ${PID_FILE})"
    rm -f "$PID_FILE"
    return
  fi
  kill -TERM "$pid"
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "stopped (pid ${pid})"; return; }
    sleep 0.5
  done
  say "pid ${pid} ignored SIGTERM for 30 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status_es() {
  local pid status
  if pid="$(running_pid)"; then
    status="$(health || true)"
    echo "running pid=${pid} url=${URL} health=${status:-unreachable} home=${ES_HOME}"
  else
    echo "stopped url=${URL} home=${ES_HOME}"
    return 3
  fi
}

case "${1:-}" in
  install) mkdir -p "$CACHE"; install_es ;;
  start) mkdir -p "$CACHE"; start_es ;;
  stop) stop_es ;;
  status) status_es ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 install|start|stop|status|url" >&2; exit 2 ;;
esac
