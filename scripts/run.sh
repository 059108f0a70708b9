#!/usr/bin/env bash
# Entry point of `npm start` and `npm test`: makes sure setup has run, then runs the job with the project's
# environment (tools on PATH, OpenTofu CLI config, Podman settings).
#   scripts/run.sh start [args]   the whole system on this machine (see scripts/src/commands/start.ts)
#   scripts/run.sh test           lint, type checks and every test suite
#   scripts/run.sh exec NAME ...  a command: scripts/src/commands/NAME.ts (promote, rollback, drift, ...), or
#                                 a benchmark: bench-X is scripts/src/bench/X.ts
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$ROOT_DIR/scripts/setup.sh"
project_env
cd "$ROOT_DIR"

run_tests() {
  local started=$SECONDS passed=0 failed=0 pending=0 failures=() out
  out="$(mktemp)"
  # suite NAME COMMAND...: runs one suite, keeps its output, adds up mocha's counts.
  suite() {
    local name=$1 start=$SECONDS rc=0
    shift
    log "Test suite: $name"
    "$@" 2>&1 | tee "$out" || rc=${PIPESTATUS[0]}
    local p f n
    # awk alone: a grep that finds nothing would end the script under pipefail.
    p=$(awk '/^ *[0-9]+ passing/ {s+=$1} END {print s+0}' "$out")
    f=$(awk '/^ *[0-9]+ failing/ {s+=$1} END {print s+0}' "$out")
    n=$(awk '/^ *[0-9]+ pending/ {s+=$1} END {print s+0}' "$out")
    passed=$((passed + p))
    failed=$((failed + f))
    pending=$((pending + n))
    if [[ $rc -ne 0 ]]; then
      ((f > 0)) || failed=$((failed + 1))
      failures+=("$name")
    fi
    log "Test suite $name finished in $((SECONDS - start))s (exit $rc)"
  }
  suite lint bash -c "npx eslint . && npx prettier --check . >/dev/null && echo 'lint: clean'"
  suite typecheck npm run typecheck --workspaces --if-present
  local workspace
  for workspace in backend frontend test/fake-openai; do
    if [[ -f $workspace/package.json ]] && grep -q '"test"' "$workspace/package.json"; then
      suite "$workspace" npm test -w "$workspace"
    fi
  done
  # By name: "-w test" would also select the nested workspace test/fake-openai.
  suite infrastructure npm test -w @fargate-ai-stack/test
  rm -f "$out"
  log "All suites finished in $((SECONDS - started))s"
  ((${#failures[@]} == 0)) || warn "failed suites: ${failures[*]}"
  echo "$passed passed, $failed failed, $pending skipped"
  ((${#failures[@]} == 0))
}

case "${1:-}" in
  start)
    shift
    exec node --import tsx "$ROOT_DIR/scripts/src/commands/start.ts" "$@"
    ;;
  test) run_tests ;;
  exec)
    # npm run promote, rollback, drift, deploy, secret:set, bench:*: see the header.
    name=${2:-}
    [[ $name =~ ^[a-z][a-z-]*$ ]] || die "no command '$name' in scripts/src"
    case $name in
      bench-*) file="$ROOT_DIR/scripts/src/bench/${name#bench-}.ts" ;;
      *) file="$ROOT_DIR/scripts/src/commands/$name.ts" ;;
    esac
    [[ -f $file ]] || die "no command '$name' in scripts/src"
    shift 2
    exec node --import tsx "$file" "$@"
    ;;
  *) die "usage: scripts/run.sh start|test|exec NAME [args]" ;;
esac
