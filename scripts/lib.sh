# Shared shell helpers for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# FAS_TOOLS_DIR and FAS_CACHE_DIR exist for tests that run setup's functions in a sandbox.
TOOLS_DIR="${FAS_TOOLS_DIR:-$ROOT_DIR/.tools}"
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

# --- Tool versions ---------------------------------------------------------------------------------------
# tree_listing DIR PATHSPEC...: one line per file of the checkout DIR that the pathspecs select (mode, content
# hash, path), committed or not, tracked or new (not ignored): what a content-derived name hashes. A temporary
# index keeps git's own untouched.
tree_listing() {
  local dir=$1 index
  shift
  index="$(mktemp)"
  cp "$(git -C "$dir" rev-parse --path-format=absolute --git-path index)" "$index" 2>/dev/null || true
  GIT_INDEX_FILE=$index git -C "$dir" add -A -- . && GIT_INDEX_FILE=$index git -C "$dir" ls-files -s -- "$@"
  local status=$?
  rm -f "$index"
  return "$status"
}

# source_tag DIR [EXTRA...]: "src-" and 12 hex digits that change exactly when the images' build inputs in the
# checkout DIR change: the Dockerfiles, the npm manifests and what the apps and packages/ build from; tests and
# benchmarks are left out, as .dockerignore leaves them out of the image. EXTRA words (e.g. the Node.js major)
# are hashed with them.
source_tag() {
  local dir=$1
  shift
  {
    tree_listing "$dir" package.json package-lock.json tsconfig.base.json .dockerignore \
      frontend backend packages scripts/package.json test/package.json test/fake-openai/package.json \
      ':(exclude,glob)**/test/**' ':(exclude,glob)**/bench/**' ':(exclude,glob)**/README.md'
    printf '%s\n' "$@"
  } | sha256sum | cut -c1-12 | sed 's/^/src-/'
  return "${PIPESTATUS[0]}"
}

# version_of BINARY: the first x.y.z its --version prints ("OpenTofu v1.12.6", "TFLint version 0.64.0", "v1.28.14").
version_of() {
  "$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true
}

# version_in_range VERSION "RANGE": RANGE is space-separated constraints, each >=, >, <=, < or = and an x.y.z
# (as in scripts/pins.env: ">=1.12.0 <1.13.0"). Succeeds when VERSION meets all of them.
version_in_range() {
  local version=$1 constraint op bound cmp
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  for constraint in $2; do
    [[ $constraint =~ ^(>=|<=|>|<|=)([0-9]+\.[0-9]+\.[0-9]+)$ ]] || die "bad version constraint '$constraint' in '$2'"
    op=${BASH_REMATCH[1]} bound=${BASH_REMATCH[2]}
    cmp=$(version_compare "$version" "$bound")
    case "$op" in
      ">=") ((cmp >= 0)) ;;
      ">") ((cmp > 0)) ;;
      "<=") ((cmp <= 0)) ;;
      "<") ((cmp < 0)) ;;
      "=") ((cmp == 0)) ;;
    esac || return 1
  done
}

# version_compare A B: prints -1, 0 or 1 as x.y.z A is lower than, equal to or higher than B.
version_compare() {
  local -a left right
  local i
  IFS=. read -ra left <<<"$1"
  IFS=. read -ra right <<<"$2"
  for i in 0 1 2; do
    if ((10#${left[i]} != 10#${right[i]})); then
      if ((10#${left[i]} < 10#${right[i]})); then echo -1; else echo 1; fi
      return 0
    fi
  done
  echo 0
}

# --- Release downloads ------------------------------------------------------------------------------------
# releases_reachable URL: one quick probe (any HTTP answer counts), so an offline machine loses at most seconds.
releases_reachable() {
  curl -sS --head --connect-timeout 3 --max-time 6 -o /dev/null "$1" 2>/dev/null
}

# download_release URL SHA256 MEMBER DEST: downloads a release file, checks it against the pinned SHA-256 and
# installs MEMBER of the archive (.zip or .tar.gz; empty MEMBER: the file is the binary itself) as DEST.
# A checksum mismatch is fatal and installs nothing; a failed download returns 1 (the caller builds instead).
download_release() {
  local url=$1 sha256=$2 member=${3:-binary} dest=$4 work actual
  mkdir -p "$(dirname "$dest")"
  # Next to DEST, so the final mv is atomic: an interrupted run never leaves a half-written tool.
  work="$(mktemp -d "$(dirname "$dest")/.download.XXXXXX")"
  if ! curl -fsSL --connect-timeout 5 --retry 2 -o "$work/download" "$url"; then
    rm -rf "$work"
    warn "could not download $url"
    return 1
  fi
  actual="$(sha256sum "$work/download" | cut -d' ' -f1)"
  if [[ $actual != "$sha256" ]]; then
    rm -rf "$work"
    die "checksum mismatch for $url: expected SHA-256 $sha256 (scripts/pins.env), got $actual. Nothing was installed: the download is corrupt or not the official release (if the release really changed, verify it and update the pin)"
  fi
  mkdir "$work/out"
  local extracted=true
  case "$url" in
    *.zip) python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$work/download" "$member" "$work/out" 2>/dev/null || extracted=false ;;
    *.tar.gz) tar -xzf "$work/download" -C "$work/out" "$member" 2>/dev/null || extracted=false ;;
    *) mv "$work/download" "$work/out/$member" ;;
  esac
  if ! $extracted || [[ ! -f $work/out/$member ]]; then
    rm -rf "$work"
    die "$url passed its checksum but holds no '$member': the release layout setup expects is wrong (scripts/setup.sh release_asset)"
  fi
  chmod 0755 "$work/out/$member"
  mv -f "$work/out/$member" "$dest"
  rm -rf "$work"
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
