#!/usr/bin/env bash
# The local baseline of docs/benchmarks.md, on one machine, loopback only: the function behind the real
# of-watchdog (as in a faasd container), images from bench's own loopback server.
#   bench/local-baseline.sh [RESULTS_DIR] [OF_WATCHDOG]
# Durations are shortened from the study's (ramp: 5 s steps, 3 repeats; idle back-off: 10 s to 80 s);
# the commands below take the full values as options.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/local}
watchdog=${2:-../shared/tools/of-watchdog}
bench="java -jar bench/target/bench-0.1.0-SNAPSHOT.jar"
function_jar=openfaas-function/target/openfaas-function-0.1.0-SNAPSHOT.jar
export DJL_OFFLINE=true OPT_OUT_TRACKING=true

./mvnw -q package -DskipTests -Dcli.skip=true
mkdir -p "$out"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

$bench images --port 9000 --dir docs/examples & pids+=($!)
tmp=$(mktemp -d)
TMPDIR=$tmp mode=http upstream_url=http://127.0.0.1:8082 port=8080 ready_path=/_/health \
  exec_timeout=30s read_timeout=35s write_timeout=35s healthcheck_interval=5s \
  CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true fprocess="java -jar $function_jar" "$watchdog" > "$out/watchdog.log" 2>&1 & pids+=($!)
until curl -sf -o /dev/null http://127.0.0.1:8080/_/ready 2>/dev/null; do sleep 0.5; done

target=http://127.0.0.1:8080/
image=http://127.0.0.1:9000/files/chelsea.png
for scenario in 1user 100u-spawn2 100u-spawn10; do
  $bench load --target $target --image-url $image --scenario $scenario --duration 60s --out "$out/load-$scenario"
done
$bench ramp --target $target --image-url $image --max-clients 15 --step 5s --repeats 3 --out "$out/ramp"
$bench coldstart --target $target --image-url $image --idle 10s,20s,40s,80s --out "$out/coldstart-idle"
$bench sweep --target $target --requests-per-size 10 --out "$out/sweep"

# Process start to first classified answer, natives already unpacked (as in the container image).
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
$bench coldstart --target http://127.0.0.1:8092/ --image-url $image --runs 5 \
  --spawn "SERVER_PORT=8092 CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true exec java -jar $function_jar" --out "$out/coldstart-spawn"

$bench report "$out" --out "$out/report"
