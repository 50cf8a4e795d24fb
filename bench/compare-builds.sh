#!/usr/bin/env bash
# Our function built from two revisions, measured one after the other in one run on one machine (loopback,
# the container's JVM settings, each from its own class-data-sharing archive): start to first answer,
# serial latency and its stages, throughput at 100 clients, idle and peak RSS, big images. A change's
# before and after, side by side; name the CPU (grep -m1 'model name' /proc/cpuinfo) with the figures.
#   bench/compare-builds.sh BEFORE_REV [AFTER_REV] [RESULTS_DIR]     AFTER_REV: default the working tree
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1
after=${2:-}
out=${3:-results/compare-builds}
duration=${DURATION:-60s}
source bench/ours.sh
mkdir -p "$out"
out=$(cd "$out" && pwd)
trees=()
trap 'kill "${pids[@]}" 2>/dev/null || true; for t in "${trees[@]}"; do git worktree remove --force "$t"; done' EXIT

build_at() { # REV NAME: builds the function from REV in a worktree under $out; sets built_jar
  local tree="$out/$2-tree"
  git worktree remove --force "$tree" 2> /dev/null || true
  git worktree add --force --detach "$tree" "$1" > /dev/null 2>&1
  trees+=("$tree")
  (cd "$tree" && ./mvnw -q -o package -DskipTests -Dcli.skip=true -pl openfaas-function -am)
  built_jar="$tree/$jar"
}

build_at "$before" before
before_jar=$built_jar
after_jar=$jar
if [ -n "$after" ]; then
  build_at "$after" after
  after_jar=$built_jar
fi
start_images
image=http://127.0.0.1:9000/files/chelsea.png
measure_ours before "$before_jar"
measure_ours after "$after_jar"
echo "before: $before; after: ${after:-the working tree}; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)," \
  "$(grep -m1 -o -w avx512f /proc/cpuinfo || echo 'no AVX-512')"
python3 bench/figures.py "$out" before after
