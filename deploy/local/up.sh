#!/usr/bin/env bash
# `make up`: Switchboard in distributed mode on this machine, in the background.
#
#   Kafka (single KRaft node) + PostgreSQL (throwaway cluster) via deploy/local/servers, unless
#   SWITCHBOARD_KAFKA_BOOTSTRAP / SWITCHBOARD_DATABASE_URL point at existing ones; then
#   `switchboard migrate`, `switchboard seed` (unless SWITCHBOARD_SEED_DEMO=0), one gateway on
#   SWITCHBOARD_PORT (default 8000), two routers, and the channel adapters (unless
#   SWITCHBOARD_ADAPTERS=0): the provider webhooks on SWITCHBOARD_ADAPTER_PORT (8002) and the SMTP
#   listener on SWITCHBOARD_SMTP_PORT (2525). Returns once /readyz answers 200.
#
#   Files: var/ (or $SWITCHBOARD_VAR_DIR): run/*.pid, log/*.log, kafka/, postgres/, admin_key.
#   Knobs: SWITCHBOARD_LOCAL_KAFKA_PORT (9092), SWITCHBOARD_LOCAL_PG_PORT (55432),
#          SWITCHBOARD_ROUTERS (2), SWITCHBOARD_UP_TIMEOUT (seconds, 120).
#   Stop everything with `make down` (deploy/local/down.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${SWITCHBOARD_VAR_DIR:-$ROOT/var}"
mkdir -p "$VAR/run" "$VAR/log"
VAR="$(cd "$VAR" && pwd)"
export SWITCHBOARD_VAR_DIR="$VAR"
PY="$ROOT/.venv/bin/python"
[[ -x "$PY" ]] || PY="$(command -v python3)"
SB="$ROOT/.venv/bin/switchboard"
if [[ ! -x "$SB" ]]; then
  echo "up: $SB not found; run 'make up' (it installs the project) or 'pip install -e .' first" >&2
  exit 1
fi
SERVERS=("$PY" "$ROOT/deploy/local/servers" --data-dir "$VAR")
PORT="${SWITCHBOARD_PORT:-8000}"
ROUTERS="${SWITCHBOARD_ROUTERS:-2}"
TIMEOUT="${SWITCHBOARD_UP_TIMEOUT:-120}"

say() { echo "up: $*" >&2; }

logs_tail() {
  local f
  for f in "$VAR"/log/*.log "$VAR"/log/kafka.out; do
    [[ -s "$f" ]] || continue
    echo "----- ${f#"$ROOT"/} (last 25 lines)" >&2
    tail -n 25 "$f" >&2
  done
}

fail() {
  say "ERROR: $*"
  logs_tail
  say "processes left running for inspection; stop them with 'make down'"
  exit 1
}

# -- infrastructure ---------------------------------------------------------------------------
if [[ -n "${SWITCHBOARD_KAFKA_BOOTSTRAP:-}" ]]; then
  say "using the existing Kafka at $SWITCHBOARD_KAFKA_BOOTSTRAP"
else
  say "starting Kafka ..."
  SWITCHBOARD_KAFKA_BOOTSTRAP="$("${SERVERS[@]}" kafka start --port "${SWITCHBOARD_LOCAL_KAFKA_PORT:-9092}")" \
    || fail "Kafka did not start"
fi
if [[ -n "${SWITCHBOARD_DATABASE_URL:-}" ]]; then
  say "using the existing database at ${SWITCHBOARD_DATABASE_URL%%\?*}"
else
  say "starting PostgreSQL ..."
  SWITCHBOARD_DATABASE_URL="$("${SERVERS[@]}" postgres start --port "${SWITCHBOARD_LOCAL_PG_PORT:-55432}")" \
    || fail "PostgreSQL did not start"
fi
export SWITCHBOARD_KAFKA_BOOTSTRAP SWITCHBOARD_DATABASE_URL
export SWITCHBOARD_BUS=kafka SWITCHBOARD_PORT="$PORT"

if [[ -z "${SWITCHBOARD_ADMIN_KEY:-}" ]]; then
  if [[ ! -s "$VAR/admin_key" ]]; then
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' >"$VAR/admin_key")
  fi
  SWITCHBOARD_ADMIN_KEY="$(cat "$VAR/admin_key")"
fi
export SWITCHBOARD_ADMIN_KEY

# -- the application --------------------------------------------------------------------------
say "migrating the database ..."
"$SB" migrate >>"$VAR/log/migrate.log" 2>&1 || fail "switchboard migrate failed (${VAR#"$ROOT"/}/log/migrate.log)"
if [[ "${SWITCHBOARD_SEED_DEMO:-1}" != "0" ]]; then
  say "seeding demo data ..."
  "$SB" seed >>"$VAR/log/seed.log" 2>&1 || fail "switchboard seed failed (${VAR#"$ROOT"/}/log/seed.log)"
fi

# start NAME ARGS...: run `switchboard ARGS` detached, pid in var/run/NAME.pid, log in var/log/NAME.log
start() {
  local name="$1"
  shift
  local pidfile="$VAR/run/$name.pid"
  if [[ -s "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "$name already running (pid $(cat "$pidfile"))"
    return
  fi
  SWITCHBOARD_INSTANCE_ID="$name" setsid "$SB" "$@" >>"$VAR/log/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  say "started $name (pid $!, log ${VAR#"$ROOT"/}/log/$name.log)"
}

start gateway gateway
for i in $(seq 1 "$ROUTERS"); do
  start "router-$i" router
done
ADAPTER_PORT="${SWITCHBOARD_ADAPTER_PORT:-8002}"
if [[ "${SWITCHBOARD_ADAPTERS:-1}" != "0" ]]; then
  SWITCHBOARD_PORT="$ADAPTER_PORT" start adapter-http adapter http
  start adapter-smtp adapter smtp
fi

# -- wait until ready --------------------------------------------------------------------------
URL="http://127.0.0.1:$PORT/readyz"
say "waiting for $URL (up to ${TIMEOUT}s) ..."
"$PY" - "$URL" "$TIMEOUT" "$VAR/run" <<'EOF' || fail "the gateway did not answer 200 on /readyz in ${TIMEOUT}s"
import os, sys, time, urllib.error, urllib.request
from pathlib import Path

url, timeout, rundir = sys.argv[1], float(sys.argv[2]), Path(sys.argv[3])
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    for pidfile in rundir.glob("*.pid"):
        try:
            os.kill(int(pidfile.read_text()), 0)
        except (ValueError, ProcessLookupError):
            print(f"up: {pidfile.stem} exited", file=sys.stderr)
            sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except (urllib.error.URLError, OSError):
        pass
    time.sleep(0.25)
sys.exit(1)
EOF

cat >&2 <<EOF
up: Switchboard is up
      API         http://127.0.0.1:$PORT   (docs: /docs)
      webhooks    http://127.0.0.1:$ADAPTER_PORT/v1/webhooks/...   SMTP 127.0.0.1:${SWITCHBOARD_SMTP_PORT:-2525}
      admin key   ${SWITCHBOARD_ADMIN_KEY:0:4}... (${VAR#"$ROOT"/}/admin_key, unless you set SWITCHBOARD_ADMIN_KEY)
      Kafka       $SWITCHBOARD_KAFKA_BOOTSTRAP
      database    ${SWITCHBOARD_DATABASE_URL%%\?*}
      logs        ${VAR#"$ROOT"/}/log/    stop: make down
EOF
