#!/usr/bin/env bash
# `make down`: stop what `make up` started (gateway, routers, adapters, then Kafka and PostgreSQL).
# SIGTERM, wait up to SWITCHBOARD_DOWN_TIMEOUT seconds (20), then SIGKILL. Idempotent; data in
# var/ is kept (delete var/ to start afresh).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${SWITCHBOARD_VAR_DIR:-$ROOT/var}"
PY="$ROOT/.venv/bin/python"
[[ -x "$PY" ]] || PY="$(command -v python3)"
WAIT="${SWITCHBOARD_DOWN_TIMEOUT:-20}"
status=0

say() { echo "down: $*" >&2; }

alive() { kill -0 "$1" 2>/dev/null; }

if [[ -d "$VAR/run" ]]; then
  pids=()
  names=()
  for pidfile in "$VAR"/run/*.pid; do
    [[ -e "$pidfile" ]] || continue
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    name="$(basename "$pidfile" .pid)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid"; then
      # each was started with setsid: signal its whole process group
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$name")
    else
      rm -f "$pidfile"
    fi
  done
  deadline=$((SECONDS + WAIT))
  while ((SECONDS < deadline)); do
    left=0
    for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    ((left)) || break
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    pid="${pids[$i]}"
    if alive "$pid"; then
      say "${names[$i]} (pid $pid) did not stop in ${WAIT}s; SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped ${names[$i]}"
    rm -f "$VAR/run/${names[$i]}.pid"
  done
fi

if [[ -d "$VAR/kafka" ]]; then
  "$PY" "$ROOT/deploy/local/servers" --data-dir "$VAR" kafka stop --timeout "$WAIT" || status=1
fi
if [[ -e "$VAR/postgres" ]]; then
  "$PY" "$ROOT/deploy/local/servers" --data-dir "$VAR" postgres stop --timeout "$WAIT" || status=1
fi
say "everything stopped"
exit $status
