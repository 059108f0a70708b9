#!/usr/bin/env bash
# Run by the images unit before it plans, applies or destroys (live/_envcommon/images.hcl): the Docker API it
# builds through and the local registry it pushes to (when it does) must answer. Otherwise it says what to start,
# instead of the Docker provider's raw "Cannot connect to the Docker daemon".
#   scripts/image-services-check.sh DOCKER_HOST REGISTRY
# DOCKER_HOST "" skips the Docker API (nothing to build); REGISTRY is host:port of a plain-HTTP registry, or "".
set -euo pipefail

(($# == 2)) || { echo "usage: scripts/image-services-check.sh DOCKER_HOST REGISTRY (either may be empty)" >&2; exit 2; }
docker_host=$1 registry=$2
manual="'npm start' runs them for you; for your own terragrunt runs see the README, \"Running against the emulator\""

# fail LINE...: the first line after "error:", the others as they are.
fail() {
  printf 'error: %s\n' "$1" >&2
  shift
  printf '%s\n' "$@" >&2
  exit 1
}

case $docker_host in
  unix://*) ping=(curl -fsS --max-time 5 --unix-socket "${docker_host#unix://}" http://docker/_ping) ;;
  tcp://*) ping=(curl -fsS --max-time 5 "http://${docker_host#tcp://}/_ping") ;;
  # Nothing to build, or ssh:// and the like (the Docker provider's own error names that connection).
  *) ping=(true) ;;
esac
"${ping[@]}" >/dev/null 2>&1 || fail \
  "the images unit builds through the Docker API at DOCKER_HOST=$docker_host, and nothing answers there." \
  "  Start Podman's: podman system service --time=0 $docker_host &   (or set DOCKER_HOST to a running Docker's socket)" \
  "  $manual."

if [[ -n $registry ]]; then
  curl -fsS --max-time 5 -o /dev/null "http://$registry/v2/" 2>/dev/null || fail \
    "the images unit pushes to the local registry FAS_IMAGE_REGISTRY=$registry, and nothing answers there." \
    "  Start one: docker-registry serve <config> with 'http: addr: $registry' (Debian's docker-registry), and tell" \
    "  Podman it is plain HTTP (a registries.conf entry with insecure = true), or set FAS_IMAGE_REGISTRY to yours." \
    "  $manual."
fi
