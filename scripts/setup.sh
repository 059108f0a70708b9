#!/usr/bin/env bash
# Installs everything the project needs on a Debian/Ubuntu machine, idempotently:
#   Debian packages (Podman and friends, Chromium, debootstrap, shellcheck), OpenTofu, Terragrunt, tfsec,
#   actionlint, terraform-docs, TFLint and its AWS ruleset at the pinned versions, the Terraform providers (local
#   mirror when the public registry cannot be reached), the moto AWS emulator and checkov in virtualenvs, the npm
#   workspaces.
# Built artefacts are cached outside the repo ($CACHE_DIR), keyed by version; .tools/ only holds links to them.
# Each CLI comes from, in this order: PATH (a version in its range in scripts/pins.env), the cache, its official
# release file (with internet access; checked against the SHA-256 in scripts/pins.env), a build from the Go module
# proxy (offline: the first run then takes ~20 minutes on 2 cores, later runs seconds).
# Usage: scripts/setup.sh [--force]      (--force re-runs every check even when nothing changed)
# Environment:
#   FAS_RELEASES_URL      base of the release downloads (default https://github.com; a mirror with the same layout)
#   FAS_PROVIDERS         auto (default), registry or mirror: where the Terraform providers come from
#   FAS_PROVIDER_MIRROR   a filesystem mirror to take the providers from (HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/...)
#   FAS_CACHE_DIR         the cache (default ~/.cache/fargate-ai-stack); FAS_TOOLS_DIR: the links (default .tools)
#   AWS_PROVIDER_GO_VERSION  the Go pseudo-version to build the AWS provider from (scripts/pins.env pins none)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FORCE=false
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=true ;;
    -h | --help)
      sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$arg' (expected: --force)" ;;
  esac
done

SETUP_STARTED=$(date +%s)
ARCH="$(uname -m)"
case "$ARCH" in
  x86_64) GOARCH=amd64 ;;
  aarch64 | arm64) GOARCH=arm64 ;;
  *) die "unsupported CPU architecture '$ARCH': the project supports x86_64 and aarch64" ;;
esac
PLATFORM="linux_$GOARCH"

check_platform() {
  [[ "$(uname -s)" == Linux ]] || die "this setup needs Linux (found $(uname -s)); on macOS/Windows use a Linux VM or dev container"
  command -v node >/dev/null || die "Node.js is missing: install Node.js 20.19+ (e.g. 'mise install' reads .tool-versions)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || die "Node.js $(node -v) is too old: install Node.js 20.19 or newer"
}

# --- Debian packages --------------------------------------------------------------------------------------
install_apt_packages() {
  local missing=() pkg
  for pkg in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: install them with your package manager"
  local sudo=""
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}): run 'sudo apt-get install ${missing[*]}' or run setup as root"
    sudo="sudo"
  fi
  step "Installing Debian packages: ${missing[*]}" bash -c \
    "$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null"
}

# Multi-arch builds run foreign RUN steps under qemu; binfmt registration is per boot, so check every time.
enable_binfmt() {
  local foreign=aarch64
  [[ $GOARCH == arm64 ]] && foreign=x86_64
  [[ -e /proc/sys/fs/binfmt_misc/qemu-$foreign ]] && return 0
  if command -v update-binfmts >/dev/null && update-binfmts --enable "qemu-$foreign" 2>/dev/null; then
    log "Enabled qemu-$foreign emulation for multi-arch builds"
  else
    warn "could not register qemu-$foreign with binfmt_misc: multi-arch image builds will fail (run 'update-binfmts --enable qemu-$foreign' as root)"
  fi
}

# --- Go-built CLIs ----------------------------------------------------------------------------------------
# go_download MODULE VERSION: prints the module's source directory from the Go module proxy.
go_download() {
  local json
  json="$(GOFLAGS=-mod=mod go mod download -json "$1@$2")" || die "could not download $1@$2 from the Go module proxy"
  printf '%s' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# build_go_binary BINARY MODULE VERSION PACKAGE LDFLAGS: builds BINARY from the Go module proxy unless it exists.
# Some of these go.mod files carry replace directives, so `go install pkg@version` refuses them: download, then build.
build_go_binary() {
  local binary=$1 module=$2 version=$3 package=$4 ldflags=$5 name dir
  [[ -x $binary ]] && return 0
  name="$(basename "$binary")"
  command -v go >/dev/null || die "$name $version is not installed and Go is missing to build it: install Go 1.26+ ('apt-get install golang' is too old on Debian 12; use https://go.dev/dl or mise), or put $name $version on PATH"
  dir="$(go_download "$module" "v$version")"
  mkdir -p "$(dirname "$binary")"
  step "Building $name $version from the Go module proxy (first time only; a few minutes)" \
    bash -c "cd '$dir' && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags '$ldflags' -o '$binary.tmp' '$package' && mv '$binary.tmp' '$binary'"
}

RELEASES_URL="${FAS_RELEASES_URL:-https://github.com}"
RELEASES_ONLINE="" # probed once, when a tool is first missing from PATH and the cache

# release_asset NAME VERSION: prints where the official linux release file of NAME VERSION is, under RELEASES_URL,
# and the binary's name inside it (nothing: the file is the binary).
release_asset() {
  local v=$2 a=$GOARCH
  case "$1" in
    tofu) echo "opentofu/opentofu/releases/download/v$v/tofu_${v}_linux_$a.zip tofu" ;;
    terragrunt) echo "gruntwork-io/terragrunt/releases/download/v$v/terragrunt_linux_$a" ;;
    tfsec) echo "aquasecurity/tfsec/releases/download/v$v/tfsec-linux-$a" ;;
    actionlint) echo "rhysd/actionlint/releases/download/v$v/actionlint_${v}_linux_$a.tar.gz actionlint" ;;
    terraform-docs) echo "terraform-docs/terraform-docs/releases/download/v$v/terraform-docs-v$v-linux-$a.tar.gz terraform-docs" ;;
    tflint) echo "terraform-linters/tflint/releases/download/v$v/tflint_linux_$a.zip tflint" ;;
    tflint-ruleset-aws) echo "terraform-linters/tflint-ruleset-aws/releases/download/v$v/tflint-ruleset-aws_linux_$a.zip tflint-ruleset-aws" ;;
    *) die "no release layout known for '$1'" ;;
  esac
}

# pin_of NAME SUFFIX: the scripts/pins.env value NAME_SUFFIX (name upper-cased, '-' as '_'), e.g. TOFU_COMPATIBLE.
pin_of() {
  local var="${1^^}_$2"
  var="${var//-/_}"
  printf '%s' "${!var:-}"
}

# fetch_release NAME VERSION DEST: installs the official release of NAME VERSION as DEST when the releases can be
# reached and its SHA-256 is pinned; returns 1 (after saying why) when the caller must build it instead.
fetch_release() {
  local name=$1 version=$2 dest=$3 sha asset member start
  if [[ -z $RELEASES_ONLINE ]]; then
    if releases_reachable "$RELEASES_URL"; then RELEASES_ONLINE=true; else
      RELEASES_ONLINE=false
      log "$RELEASES_URL cannot be reached (offline?): missing tools are built from the Go module proxy instead"
    fi
  fi
  $RELEASES_ONLINE || return 1
  sha="$(pin_of "$name" "SHA256_LINUX_${GOARCH^^}")"
  if [[ -z $sha ]]; then
    log "No SHA-256 is pinned for the $name $version release (linux_$GOARCH) in scripts/pins.env: building it from source"
    return 1
  fi
  read -r asset member <<<"$(release_asset "$name" "$version")"
  start=$(date +%s)
  download_release "$RELEASES_URL/$asset" "$sha" "$member" "$dest" || {
    warn "building $name $version from source instead"
    return 1
  }
  log "Installed $name $version from $RELEASES_URL/$asset (SHA-256 verified) in $(($(date +%s) - start))s"
}

# install_go_tool NAME VERSION MODULE PACKAGE LDFLAGS: links NAME into .tools/bin from PATH when its version is in
# NAME_COMPATIBLE (scripts/pins.env), else the cached VERSION, else its release download, else a source build.
install_go_tool() {
  local name=$1 version=$2 module=$3 package=$4 ldflags=$5
  local cached="$CACHE_DIR/tools/$name-$version/$name" link="$TOOLS_DIR/bin/$name" range found found_version
  range="$(pin_of "$name" COMPATIBLE)"
  mkdir -p "$TOOLS_DIR/bin"
  found="$(PATH="${PATH//$TOOLS_DIR\/bin:/}" command -v "$name" || true)"
  if [[ -n $found && $found != "$link" ]]; then
    found_version="$(version_of "$found")"
    if version_in_range "$found_version" "${range:-=$version}"; then
      log "Using $found from PATH: $name $found_version (compatible: ${range:-=$version}; the pin is $version)"
      ln -sfn "$found" "$link"
      return 0
    fi
    log "Not using $found: $name ${found_version:-of unknown version} is outside ${range:-=$version}; installing $version"
  fi
  if [[ ! -x $cached ]] && fetch_release "$name" "$version" "$cached"; then
    found_version="$(version_of "$cached")"
    [[ $found_version == "$version" ]] || {
      rm -f "$cached"
      die "the $name release file pinned in scripts/pins.env reports version '${found_version:-none}', not $version: fix its SHA-256 pin"
    }
  fi
  build_go_binary "$cached" "$module" "$version" "$package" "$ldflags"
  ln -sfn "$cached" "$link"
}

# install_tflint_plugin NAME VERSION MODULE: TFLint runs a manually installed plugin found as tflint-ruleset-NAME in
# TFLINT_PLUGIN_DIR (project_env sets it); .tflint.hcl declares it without source/version, so TFLint never tries to
# download it from GitHub. Reuses the release that `tflint --init` installs (under its source and version, e.g. in
# CI), else a cached build, else downloads or builds it.
install_tflint_plugin() {
  local name=$1 version=$2 module=$3
  local binary="$HOME/.tflint.d/plugins/$module/$version/tflint-ruleset-$name"
  if [[ ! -x $binary ]]; then
    binary="$CACHE_DIR/tools/tflint-ruleset-$name-$version/tflint-ruleset-$name"
    [[ -x $binary ]] || fetch_release "tflint-ruleset-$name" "$version" "$binary" || true
    build_go_binary "$binary" "$module" "$version" . "-s -w"
  fi
  mkdir -p "$TFLINT_PLUGIN_DIR"
  ln -sfn "$binary" "$TFLINT_PLUGIN_DIR/tflint-ruleset-$name"
}

install_go_tools() {
  mkdir -p "$TOOLS_DIR/bin"
  # version.dev=no drops the "-dev" marker, as in the official release builds.
  install_go_tool tofu "$TOFU_VERSION" github.com/opentofu/opentofu ./cmd/tofu "-s -w -X github.com/opentofu/opentofu/version.dev=no"
  install_go_tool terragrunt "$TERRAGRUNT_VERSION" github.com/gruntwork-io/terragrunt . \
    "-s -w -X github.com/gruntwork-io/terragrunt/internal/version.Version=v$TERRAGRUNT_VERSION"
  install_go_tool tfsec "$TFSEC_VERSION" github.com/aquasecurity/tfsec ./cmd/tfsec \
    "-s -w -X github.com/aquasecurity/tfsec/version.Version=v$TFSEC_VERSION"
  # Lints .github/workflows (test/infra/workflows.test.ts); release builds set the same variable, without "v".
  install_go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint ./cmd/actionlint \
    "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION"
  # terraform-docs writes the inputs/outputs tables of modules/*/README.md (npm run docs), TFLint lints modules/
  # (.tflint.hcl); test/infra/module-docs.test.ts checks both. Their versions are constants: no ldflags needed.
  install_go_tool terraform-docs "$TERRAFORM_DOCS_VERSION" github.com/terraform-docs/terraform-docs . "-s -w"
  install_go_tool tflint "$TFLINT_VERSION" github.com/terraform-linters/tflint . "-s -w"
  install_tflint_plugin aws "$TFLINT_RULESET_AWS_VERSION" github.com/terraform-linters/tflint-ruleset-aws
}

# --- Terraform providers ----------------------------------------------------------------------------------
registry_reachable() {
  curl -fsS --max-time 5 -o /dev/null https://registry.opentofu.org/.well-known/terraform.json 2>/dev/null
}

# find_mirrored_provider NAMESPACE TYPE VERSION: prints a provider binary from an existing local mirror.
find_mirrored_provider() {
  local ns=$1 type=$2 version=$3 base
  for base in ${FAS_PROVIDER_MIRROR:-} /opt/tf-plugins "$HOME/.terraform.d/plugins" /usr/share/terraform/plugins; do
    for host in registry.terraform.io registry.opentofu.org; do
      compgen -G "$base/$host/$ns/$type/$version/$PLATFORM/terraform-provider-${type}_v${version}*" 2>/dev/null | head -1 && return 0
    done
  done
  return 1
}

# provider_unavailable NAMESPACE TYPE VERSION MODULE: stops setup with the ways to get a provider it cannot find.
provider_unavailable() {
  local ns=$1 type=$2 version=$3 module=$4 var="${2^^}_PROVIDER_GO_VERSION"
  die "provider $ns/$type $version is in no local mirror, the public registry cannot be reached, and $var in scripts/pins.env is empty (no Go source to build it from). Do one of:
  1. Use a filesystem mirror that holds it (e.g. copied from a machine that ran 'tofu providers mirror DIR'):
       FAS_PROVIDER_MIRROR=/path/to/mirror npm run setup
     laid out as /path/to/mirror/registry.terraform.io/$ns/$type/$version/$PLATFORM/terraform-provider-${type}_v${version}_x5
     (registry.opentofu.org/... in place of registry.terraform.io works too).
  2. With internet access, take it from the public registry: FAS_PROVIDERS=registry npm run setup
  3. Build it from source with Go (needs the Go module proxy; the AWS provider takes 20+ minutes and ~800 MB):
     its v$version tag is not a valid Go module version, so find the release commit and let the go command
     name its pseudo-version:
       git ls-remote https://$module refs/tags/v$version     (prints COMMIT)
       go list -m -json $module@COMMIT     (prints \"Version\": \"v0.0.0-...\")
     then run $var=v0.0.0-... npm run setup, or pin that value in scripts/pins.env for everyone."
}

# install_provider NAMESPACE TYPE VERSION MODULE GO_VERSION: puts the provider into the project's filesystem
# mirror, laid out for both registry host names (OpenTofu reads registry.opentofu.org, Terraform
# registry.terraform.io), as links to one binary.
install_provider() {
  local ns=$1 type=$2 version=$3 module=$4 go_version=$5
  local binary="$CACHE_DIR/providers-bin/$ns-$type-$version-$PLATFORM/terraform-provider-${type}_v${version}_x5"
  if [[ ! -x $binary ]]; then
    local mirrored
    if mirrored="$(find_mirrored_provider "$ns" "$type" "$version")"; then
      mkdir -p "$(dirname "$binary")"
      ln -sfn "$mirrored" "$binary"
    else
      [[ -n $go_version ]] || provider_unavailable "$ns" "$type" "$version" "$module"
      command -v go >/dev/null || die "provider $ns/$type $version must be built but Go is missing: install Go 1.26+"
      local dir
      dir="$(go_download "$module" "$go_version")"
      mkdir -p "$(dirname "$binary")"
      # The module cache is read-only and providers may need go.sum updates: build in a writable copy.
      local src="$CACHE_DIR/src/$ns-$type-$version"
      rm -rf "$src" && mkdir -p "$src" && cp -r "$dir/." "$src" && chmod -R u+w "$src"
      step "Building provider $ns/$type $version from source (first time only; the AWS provider takes 20+ minutes)" \
        bash -c "cd '$src' && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags '-s -w' -o '$binary.tmp' . && mv '$binary.tmp' '$binary'"
      rm -rf "$src"
    fi
  fi
  local host
  for host in registry.opentofu.org registry.terraform.io; do
    local dest="$CACHE_DIR/providers/$host/$ns/$type/$version/$PLATFORM"
    mkdir -p "$dest"
    ln -sfn "$binary" "$dest/terraform-provider-${type}_v${version}_x5"
  done
}

write_cli_config() {
  local mode=$1 config="$TOOLS_DIR/tofurc"
  {
    echo "# Written by scripts/setup.sh ($mode mode). Shared by OpenTofu and Terraform through TF_CLI_CONFIG_FILE."
    if [[ $mode == registry ]]; then
      mkdir -p "$CACHE_DIR/plugin-cache"
      echo "# The plugin cache keeps one copy of each provider for all Terragrunt units instead of one per unit."
      echo "plugin_cache_dir = \"$CACHE_DIR/plugin-cache\""
    else
      # No plugin cache: every unit links the unpacked mirror (no copy), and a shared cache is not safe for the
      # concurrent inits of `terragrunt run --all` (seen here: one unit removed the entry another was reading).
      cat <<CONF
provider_installation {
  filesystem_mirror {
    path    = "$CACHE_DIR/providers"
    include = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws", "registry.opentofu.org/kreuzwerker/docker", "registry.terraform.io/kreuzwerker/docker"]
  }
  direct {
    exclude = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws", "registry.opentofu.org/kreuzwerker/docker", "registry.terraform.io/kreuzwerker/docker"]
  }
}
CONF
    fi
  } >"$config"
}

install_providers() {
  local mode="${FAS_PROVIDERS:-auto}"
  if [[ $mode == auto ]]; then
    if registry_reachable; then mode=registry; else mode=mirror; fi
  fi
  case "$mode" in
    registry) log "Providers come from the public registry (set FAS_PROVIDERS=mirror to use a local mirror)" ;;
    mirror)
      install_provider hashicorp aws "$AWS_PROVIDER_VERSION" github.com/hashicorp/terraform-provider-aws "$AWS_PROVIDER_GO_VERSION"
      install_provider kreuzwerker docker "$DOCKER_PROVIDER_VERSION" github.com/kreuzwerker/terraform-provider-docker "$DOCKER_PROVIDER_GO_VERSION"
      ;;
    *) die "FAS_PROVIDERS must be auto, registry or mirror (got '$mode')" ;;
  esac
  write_cli_config "$mode"
}

# --- moto (AWS API emulator) ------------------------------------------------------------------------------
install_moto() {
  local venv="$CACHE_DIR/venv/moto-$MOTO_VERSION"
  if [[ ! -x $venv/bin/moto_server ]]; then
    command -v python3 >/dev/null || die "python3 is missing: apt-get install python3 python3-venv"
    rm -rf "$venv"
    step "Installing moto[server] $MOTO_VERSION into a virtualenv" bash -c \
      "python3 -m venv '$venv' && '$venv/bin/pip' install -q --disable-pip-version-check 'moto[server]==$MOTO_VERSION'"
  fi
  ln -sfn "$venv" "$TOOLS_DIR/venv"
}

# --- checkov (IaC scanner beside tfsec) -------------------------------------------------------------------
# Its own virtualenv: its dependencies must not move moto's. Only the checkov command is linked into .tools/bin.
install_checkov() {
  local venv="$CACHE_DIR/venv/checkov-$CHECKOV_VERSION"
  if [[ ! -x $venv/bin/checkov ]]; then
    command -v python3 >/dev/null || die "python3 is missing: apt-get install python3 python3-venv"
    rm -rf "$venv"
    step "Installing checkov $CHECKOV_VERSION into a virtualenv" bash -c \
      "python3 -m venv '$venv' && '$venv/bin/pip' install -q --disable-pip-version-check 'checkov==$CHECKOV_VERSION'"
  fi
  ln -sfn "$venv/bin/checkov" "$TOOLS_DIR/bin/checkov"
}

# --- npm workspaces ---------------------------------------------------------------------------------------
install_npm() {
  local stamp="$ROOT_DIR/node_modules/.package-lock.json"
  if [[ ! -f $stamp || "$ROOT_DIR/package-lock.json" -nt $stamp ]]; then
    step "Installing npm workspaces (npm ci)" bash -c "cd '$ROOT_DIR' && npm ci --no-audit --no-fund --loglevel=error"
  fi
}

setup_fingerprint() {
  cat "$ROOT_DIR/.tool-versions" "$ROOT_DIR/scripts/pins.env" "$ROOT_DIR/scripts/setup.sh" | sha256sum | cut -c1-16
}

main() {
  mkdir -p "$TOOLS_DIR/bin" "$CACHE_DIR"
  local stamp="$TOOLS_DIR/.setup-done"
  if ! $FORCE && [[ -f $stamp && "$(cat "$stamp")" == "$(setup_fingerprint)" ]]; then
    install_npm
    enable_binfmt
    return 0
  fi
  check_platform
  install_apt_packages
  enable_binfmt
  install_go_tools
  install_providers
  install_moto
  install_checkov
  install_npm
  setup_fingerprint >"$stamp"
  project_env
  log "Setup complete in $(($(date +%s) - SETUP_STARTED))s: $(tofu version | head -1), terragrunt $(terragrunt --version | awk '{print $NF}'), tfsec $(tfsec --version 2>/dev/null | head -1), actionlint $(actionlint --version | head -1), terraform-docs $(terraform-docs --version | awk '{print $3}'), tflint $(tflint --version | awk 'NR == 1 {print $NF}') + ruleset.aws $TFLINT_RULESET_AWS_VERSION, moto $MOTO_VERSION, checkov $(checkov --version)"
}

# Run unless sourced (test/infra/setup-tools.test.ts sources it to run single steps in a sandbox).
[[ ${BASH_SOURCE[0]} != "$0" ]] || main
