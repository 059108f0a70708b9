#!/usr/bin/env bash
# Builds the frontend and backend images with Podman as multi-arch manifest lists and optionally pushes them.
#
# Usage: scripts/images.sh [options]
#   --app LIST          apps to build: frontend,backend (default both)
#   --platform LIST     linux/amd64,linux/arm64 (default both; foreign ones run under qemu-user-static)
#   --tag TAG           image tag (default: the git commit, 12 characters, "-dirty" with uncommitted changes);
#                       "source": a tag derived from the build inputs' content (scripts/lib.sh source_tag), and an
#                       app whose image with that tag exists for every platform is not built again
#   --print-source-tag  print the tag "--tag source" would use, build nothing
#   --release VERSION   also tag the release, e.g. v1.2.0
#   --node MAJOR        Node.js major for the NODE_VERSION build argument (default 20)
#   --local-base        use local base images from scripts/base-images.sh (no registry access needed)
#   --no-cache          build every step again (ignore cached layers; the npm download cache is kept)
#   --context DIR       build context (default: the repository root; e.g. a copy of it, as bench:images does)
#   --push REGISTRY     push the manifest lists to REGISTRY (e.g. 127.0.0.1:5000, or "ecr" for the account's
#                       ECR registry through your AWS credentials; the login token is short-lived and stored
#                       only in a temporary auth file)
#   --tls-verify=false  for a plain-HTTP local registry
# Images are named localhost/fargate-ai-stack/<app>:<tag> locally and <registry>/fargate-ai-stack-<env>-<app>
# is left to the caller through --repository-prefix (default "fargate-ai-stack").
#   --repository-prefix PREFIX   repository names are PREFIX-<app>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
project_env

APPS="frontend,backend"
PLATFORMS="linux/amd64,linux/arm64"
TAG=""
RELEASE=""
NODE_MAJOR=20
LOCAL_BASE=false
NO_CACHE=false
PRINT_SOURCE_TAG=false
CONTEXT=""
PUSH=""
TLS_VERIFY=true
PREFIX="fargate-ai-stack"

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --app) APPS=${2:-}; shift 2 ;;
    --platform) PLATFORMS=${2:-}; shift 2 ;;
    --tag) TAG=${2:-}; shift 2 ;;
    --print-source-tag) PRINT_SOURCE_TAG=true; shift ;;
    --release) RELEASE=${2:-}; shift 2 ;;
    --node) NODE_MAJOR=${2:-}; shift 2 ;;
    --local-base) LOCAL_BASE=true; shift ;;
    --no-cache) NO_CACHE=true; shift ;;
    --context) CONTEXT=${2:-}; shift 2 ;;
    --push) PUSH=${2:-}; shift 2 ;;
    --tls-verify=false) TLS_VERIFY=false; shift ;;
    --repository-prefix) PREFIX=${2:-}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

[[ $APPS =~ ^(frontend|backend)(,(frontend|backend))*$ ]] || die "--app must list frontend and/or backend, comma-separated (got '$APPS')"
[[ $PLATFORMS =~ ^linux/(amd64|arm64)(,linux/(amd64|arm64))*$ ]] || die "--platform must list linux/amd64 and/or linux/arm64 (got '$PLATFORMS')"
[[ $NODE_MAJOR =~ ^(20|22|24)$ ]] || die "--node must be 20, 22 or 24 (got '$NODE_MAJOR')"
[[ -z $RELEASE || $RELEASE =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "--release must look like v1.2.3 (got '$RELEASE')"
[[ $PREFIX =~ ^[a-z0-9][a-z0-9._/-]*$ ]] || die "--repository-prefix must be lowercase letters, digits, . _ - / (got '$PREFIX')"
command -v podman >/dev/null || die "podman is missing: run 'npm run setup' (or apt-get install podman)"
CONTEXT="${CONTEXT:-$ROOT_DIR}"
[[ -f $CONTEXT/frontend/Dockerfile && -f $CONTEXT/backend/Dockerfile ]] || die "--context must be a copy of the repository (got '$CONTEXT')"

# Content-derived tag: the same build inputs (and Node.js major and base) give the same tag, so an image that
# exists under it is up to date and is not built again.
REUSE=false
if [[ $TAG == source || $PRINT_SOURCE_TAG == true ]]; then
  TAG="$(source_tag "$CONTEXT" "node=$NODE_MAJOR" "local-base=$LOCAL_BASE")" ||
    die "--tag source needs a git checkout as the build context ($CONTEXT is not one): pass --tag TAG"
  REUSE=true
  if $PRINT_SOURCE_TAG; then
    echo "$TAG"
    exit 0
  fi
fi
if [[ -z $TAG ]]; then
  TAG="$(git -C "$ROOT_DIR" rev-parse --short=12 HEAD 2>/dev/null)" || die "not a git checkout: pass --tag"
  [[ -z "$(git -C "$ROOT_DIR" status --porcelain -- frontend backend packages package-lock.json 2>/dev/null)" ]] || TAG="$TAG-dirty"
fi
[[ $TAG =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "--tag must be a valid image tag (letters, digits, _ . -; got '$TAG')"
REVISION="$(git -C "$ROOT_DIR" rev-parse HEAD 2>/dev/null || echo unknown)"

IFS=, read -ra app_list <<<"$APPS"
IFS=, read -ra platform_list <<<"$PLATFORMS"
native="linux/$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/')"
for platform in "${platform_list[@]}"; do
  qemu_name=$([[ $platform == linux/arm64 ]] && echo aarch64 || echo x86_64)
  [[ $platform == "$native" || -e /proc/sys/fs/binfmt_misc/qemu-$qemu_name ]] ||
    die "building for $platform needs qemu-user-static registered with binfmt_misc: run 'npm run setup' (update-binfmts --enable)"
done

# The version and revision labels are also given with --label: Buildah (1.28) reuses a cached LABEL step even
# when the build arguments in it changed, which left a rebuilt, otherwise identical image with the previous
# tag's labels.
# Extra CA certificates (TLS-intercepting proxies) reach npm inside the build as a secret, never a layer.
secret_args=()
cache_args=()
$NO_CACHE && cache_args=(--no-cache)
[[ -n ${NODE_EXTRA_CA_CERTS:-} && -f ${NODE_EXTRA_CA_CERTS} ]] && secret_args=(--secret "id=ca_bundle,src=$NODE_EXTRA_CA_CERTS")

# up_to_date LIST: the manifest list exists and holds an image for every requested platform.
up_to_date() {
  local list=$1 platform archs
  podman manifest exists "$list" || return 1
  archs="$(podman manifest inspect "$list" | jq -r '.manifests[].platform.architecture')"
  for platform in "${platform_list[@]}"; do
    grep -qx "${platform#linux/}" <<<"$archs" || return 1
  done
}

build_app() {
  local app=$1
  local list="localhost/fargate-ai-stack/$app:$TAG"
  if $REUSE && ! $NO_CACHE && up_to_date "$list"; then
    log "$list exists for ${PLATFORMS} with the same build inputs: not built again"
    return 0
  fi
  podman manifest exists "$list" && podman manifest rm "$list" >/dev/null
  podman image exists "$list" && podman rmi "$list" >/dev/null
  podman manifest create "$list" >/dev/null
  local platform arch base_args
  for platform in "${platform_list[@]}"; do
    arch=${platform#linux/}
    base_args=()
    if $LOCAL_BASE; then
      podman image exists "localhost/fargate-ai-stack/node:$NODE_MAJOR-$arch" ||
        die "local base image localhost/fargate-ai-stack/node:$NODE_MAJOR-$arch is missing: run scripts/base-images.sh --node $NODE_MAJOR --arch $arch"
      base_args=(--build-arg "BASE_IMAGE=localhost/fargate-ai-stack/node:$NODE_MAJOR-$arch")
    fi
    step "Building $app for $platform" podman build --quiet --isolation chroot --format docker \
      --platform "$platform" --manifest "$list" -f "$CONTEXT/$app/Dockerfile" \
      --build-arg "NODE_VERSION=$NODE_MAJOR" "${base_args[@]}" "${secret_args[@]}" "${cache_args[@]}" \
      --build-arg "VERSION=${RELEASE:-$TAG}" --build-arg "REVISION=$REVISION" \
      --label "org.opencontainers.image.version=${RELEASE:-$TAG}" --label "org.opencontainers.image.revision=$REVISION" \
      "$CONTEXT"
  done
  log "Built $list for ${PLATFORMS}"
}

push_app() {
  local app=$1 registry=$2 authfile=$3 tag
  local list="localhost/fargate-ai-stack/$app:$TAG"
  for tag in "$TAG" ${RELEASE:+"$RELEASE"}; do
    local dest="$registry/$PREFIX-$app:$tag"
    step "Pushing $dest" podman manifest push --all --quiet --format v2s2 --authfile "$authfile" \
      --tls-verify="$TLS_VERIFY" "$list" "docker://$dest"
  done
}

for app in "${app_list[@]}"; do
  build_app "$app"
done

if [[ -n $PUSH ]]; then
  authfile="$(mktemp)"
  trap 'rm -f "$authfile"' EXIT
  echo '{}' >"$authfile"
  registry=$PUSH
  if [[ $PUSH == ecr ]]; then
    # A 12-hour ECR token from the caller's AWS credentials, kept only in the temporary auth file.
    login="$(node --import tsx "$ROOT_DIR/scripts/src/registry/ecr-login.ts")" || die "could not get an ECR login token: check your AWS credentials (aws sts get-caller-identity)"
    registry="$(printf '%s' "$login" | head -1)"
    printf '%s' "$login" | tail -1 | podman login --authfile "$authfile" --username AWS --password-stdin "$registry" >/dev/null
  fi
  for app in "${app_list[@]}"; do
    push_app "$app" "$registry" "$authfile"
  done
fi
