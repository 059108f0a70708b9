#!/usr/bin/env bash
# Runs the moto AWS API emulator on 127.0.0.1 for local runs and tests.
#   scripts/moto.sh start [--port N]   start (a free port unless given), wait until it answers, print its URL
#   scripts/moto.sh stop               stop it and everything it started
#   scripts/moto.sh status             print its URL, exit 1 when it is not running
#   scripts/moto.sh reset              clear all emulated state
# State: .run/moto.pid, .run/moto.port, log in .run/moto.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PID_FILE="$RUN_DIR/moto.pid"
PORT_FILE="$RUN_DIR/moto.port"
LOG_FILE="$RUN_DIR/moto.log"

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
}

running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

url() { printf 'http://127.0.0.1:%s' "$(cat "$PORT_FILE")"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local port=""
  while (($#)); do
    case "$1" in
      --port)
        [[ ${2:-} =~ ^[0-9]+$ ]] && (($2 > 0 && $2 < 65536)) || die "--port needs a number between 1 and 65535 (got '${2:-}')"
        port=$2
        shift 2
        ;;
      *) die "unknown argument '$1' for start (expected: --port N)" ;;
    esac
  done
  if running_pid >/dev/null; then
    url
    echo
    return 0
  fi
  local python="$TOOLS_DIR/venv/bin/python"
  [[ -x $python ]] || die "moto is not installed: run 'npm run setup' first"
  [[ -n $port ]] || port="$(free_port)"
  mkdir -p "$RUN_DIR"
  # setsid gives moto its own process group, so stop can end it and any worker it forks.
  MOTO_IAM_LOAD_MANAGED_POLICIES="${MOTO_IAM_LOAD_MANAGED_POLICIES:-false}" \
    MOTO_ECS_SERVICE_RUNNING="${MOTO_ECS_SERVICE_RUNNING:-1}" \
    setsid "$python" "$ROOT_DIR/scripts/moto/launcher.py" -H 127.0.0.1 -p "$port" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  echo "$port" >"$PORT_FILE"
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/config" 2>/dev/null; do
    if ! running_pid >/dev/null; then
      cat "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      die "moto exited during start-up (log above)"
    fi
    ((SECONDS < deadline)) || {
      stop
      die "moto did not answer on port $port within 60s (log: $LOG_FILE)"
    }
    sleep 0.2
  done
  url
  echo
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
}

case "${1:-}" in
  start)
    shift
    start "$@"
    ;;
  stop) stop ;;
  status)
    running_pid >/dev/null || {
      echo "moto is not running" >&2
      exit 1
    }
    url
    echo
    ;;
  reset)
    running_pid >/dev/null || die "moto is not running: start it with 'scripts/moto.sh start'"
    curl -fsS -X POST "$(url)/moto-api/reset" >/dev/null
    ;;
  -h | --help | "") usage ;;
  *)
    usage >&2
    die "unknown command '$1'"
    ;;
esac
