#!/usr/bin/env bash
# Builds and deploys the Python peer function (bench/peer-function/) on the faasd of faasd-here:
#   eval "$(../shared/tools/faasd-here/faasd-here env)"; bench/peer-function/deploy.sh [FAAS-CLI-UP-OPTIONS]
# No registry for base images is reachable here: docker.io/library/debian:bookworm-slim is made once from
# debootstrap (minbase) when podman lacks it; elsewhere podman or docker pulls the real one. The build
# context is a temporary folder: stack.yml, the Dockerfile, the peer's server (PEER, default
# ../shared/peer/server.py, not kept in this repository), models/mobilenet_v2.pt and models/synset.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
peer=$(realpath "${PEER:-../shared/peer/server.py}")
podman=$(realpath ../shared/tools/podman-here)
base=docker.io/library/debian:bookworm-slim
ctx=$(mktemp -d /tmp/peer-function.XXXXXX)
trap 'umount "$ctx/root/proc" 2>/dev/null || true; rm -rf "$ctx"' EXIT

if ! "$podman" image exists "$base"; then
  command -v debootstrap > /dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
  debootstrap --variant=minbase bookworm "$ctx/root" > "$ctx/debootstrap.log" || { tail "$ctx/debootstrap.log"; exit 1; }
  tar -C "$ctx/root" -c . | "$podman" import - "$base" > /dev/null
  rm -rf "$ctx/root"
  echo "made $base with debootstrap"
fi

fn=image-classifier-py
mkdir -p "$ctx/$fn"
cp bench/peer-function/stack.yml "$ctx/"
cp -r template "$ctx/"
cp bench/peer-function/Dockerfile "$peer" models/mobilenet_v2.pt models/synset.txt "$ctx/$fn/"
cd "$ctx"
REGISTRY=${REGISTRY:-localhost:5000} faas-cli up -f stack.yml "$@"
