# Shared shell helpers for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$ROOT_DIR/.tools"
RUN_DIR="$ROOT_DIR/.run"
# Built tools, providers and virtualenvs live outside the repo, keyed by version, so a fresh clone or a second
# setup reuses them in seconds.
CACHE_DIR="${FAS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fargate-ai-stack}"

# shellcheck source=pins.env
source "$ROOT_DIR/scripts/pins.env"

tool_version() { awk -v t="$1" '$1 == t { print $2 }' "$ROOT_DIR/.tool-versions"; }
TOFU_VERSION="$(tool_version opentofu)"
TERRAGRUNT_VERSION="$(tool_version terragrunt)"
TFSEC_VERSION="$(tool_version tfsec)"
TERRAFORM_DOCS_VERSION="$(tool_version terraform-docs)"
TFLINT_VERSION="$(tool_version tflint)"
# Where TFLint finds the plugins setup.sh builds (the AWS ruleset); project_env exports it.
TFLINT_PLUGIN_DIR="$TOOLS_DIR/tflint-plugins"

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# step "description" command...: runs a long step and prints how long it took.
step() {
  local what="$1" start rc=0
  shift
  start=$(date +%s)
  log "$what ..."
  "$@" || rc=$?
  if [[ $rc -ne 0 ]]; then
    die "$what failed after $(($(date +%s) - start))s (exit $rc)"
  fi
  log "$what done in $(($(date +%s) - start))s"
}

# The environment every project command runs with: project tools first on PATH, the project's OpenTofu CLI
# config (local provider mirror or plugin cache) and Podman settings that work in unprivileged sandboxes.
project_env() {
  export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/venv/bin:$PATH"
  export TF_CLI_CONFIG_FILE="$TOOLS_DIR/tofurc"
  export CONTAINERS_CONF="$ROOT_DIR/scripts/containers.conf"
  export TG_TF_PATH="${TG_TF_PATH:-tofu}"
  export TG_NON_INTERACTIVE=true
  # Terragrunt 1.x creates the state bucket only when asked to.
  export TG_BACKEND_BOOTSTRAP=true
  export TF_IN_AUTOMATION=1
  export CHECKPOINT_DISABLE=1
  # The project's CLI config decides about a plugin cache (setup.sh), not Terragrunt's automatic one.
  export TG_NO_AUTO_PROVIDER_CACHE_DIR=true
  export TFLINT_PLUGIN_DIR
}
