#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian 12 machine, only when it is missing:
# python3 venv support, PostgreSQL server binaries, a JDK (17+), Maven and Chromium; then pre-fetch the
# Kafka broker's jars from Maven Central so that the first integration test does not wait for it.
# Idempotent and quiet: prints one line per thing it installs, the apt/mvn output only on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG="${TMPDIR:-/tmp}/switchboard-install-deps.log"
: >"$LOG"

need=()
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || need+=(postgresql)
java_ok() {
  command -v java >/dev/null || return 1
  local v
  v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${v%%.*}" =~ ^[0-9]+$ ]] && ((${v%%.*} >= 17))
}
java_ok || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v chromium >/dev/null || need+=(chromium)  # the chat widget test drives a headless browser

if ((${#need[@]})); then
  echo "install-deps: installing ${need[*]}"
  SUDO=()
  ((EUID == 0)) || SUDO=(sudo -n)
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"; } \
    >>"$LOG" 2>&1; then
    echo "install-deps: apt-get failed; last lines of $LOG:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
fi

# The Kafka jars (~100 MB, cached in ~/.m2; a no-op when deploy/kafka/target/classpath.txt is current).
if ! python3 deploy/local/servers kafka fetch >>"$LOG" 2>&1; then
  echo "install-deps: fetching the Kafka jars failed; last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi
