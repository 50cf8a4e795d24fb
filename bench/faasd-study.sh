#!/usr/bin/env bash
# The study's experiments on a real faasd (../shared/tools/faasd-here), through the OpenFaaS gateway,
# beside the same experiments on the bare process in the same run, so that what the platform adds
# (gateway + of-watchdog + container network) shows; then the Python peer (bench/peer-function/) on the
# same faasd beside our function: RPS at 100 users, serial latency, deploy to first answer, cgroup memory.
#   bench/faasd-study.sh [RESULTS_DIR]        as root, from a checkout beside ../shared; ~15 minutes
#
# 1. bare: the function's jar alone on 127.0.0.1:8082, with the container's JVM flags (bench/ours.sh) and
#    a class-data-sharing archive as the image has; images from bench images on 127.0.0.1:9000.
# 2. faasd: `faas-cli up -f stack.yml` (README's path), redeployed with the address guard lifted for this
#    run only (`faas-cli deploy -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true`); images from bench images on
#    the bridge (10.62.0.1), the only host address a function reaches; calls through
#    http://127.0.0.1:28080/function/image-classifier.
# 3. peer: bench/peer-function/deploy.sh, the same load steps through the gateway.
# Each target gets: 1 user, 100 users spawned at 2/s and at 10/s (load), the concurrency ramp, the size
# sweep 256²..3200², the first answers after idle periods, and starts: process start to first answer
# (bare), `faas-cli deploy` to the first answer through the gateway (faasd, after `faas-cli remove`).
# Memory: the bare process's RSS, each function's cgroup (v1: memory.usage_in_bytes once a second,
# memory.max_usage_in_bytes, memory.stat's total_rss). Durations are shortened: LOAD (default 30s) per
# load step, SLOW_LOAD (60s) for the 2/s spawn so that all 100 users run; ramp 1..15 clients, RAMP_STEP
# (3s) per level, one pass; IDLE (10s,60s); STARTS (3) starts and deploys. Leaves nothing running:
# functions removed, faasd-here down (unless KEEP_FAASD=1), servers stopped by their pids.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/faasd-study}
load=${LOAD:-30s}
starts=${STARTS:-3}
slow_load=${SLOW_LOAD:-60s} ramp_step=${RAMP_STEP:-3s} idle=${IDLE:-10s,60s}
kit=../shared/tools/faasd-here/faasd-here
bridge=10.62.0.1
bridge_port=${IMAGE_PORT:-28089}
fn=image-classifier peer_fn=image-classifier-py
source bench/ours.sh       # $bench, $jar, $java_opts, start_images, rss_samples, cds_archive; stops $pids at exit
[ "$(id -u)" = 0 ] || { echo "run as root (faasd, containerd and podman need it)"; exit 1; }
rm -rf "$out" && mkdir -p "$out"
say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/study.log"; }

finish() {
  set +e
  kill "${pids[@]}" 2>/dev/null
  if [ -n "${OPENFAAS_URL:-}" ]; then
    for f in $fn $peer_fn; do faas-cli describe $f > /dev/null 2>&1 && timeout 60 faas-cli remove $f > /dev/null 2>&1; done
    [ "${KEEP_FAASD:-0}" = 1 ] || timeout 180 "$kit" down > "$out/faasd-down.log" 2>&1
  fi
}
trap finish EXIT

# The study's experiments against TARGET, as NAME/ under $out. IMAGE: chelsea.png's URL as the target
# reaches it; SYNTHETIC: the sweep's URL template ({size}); PID_OR_FN: what memory_samples reads.
experiments() { # NAME TARGET IMAGE SYNTHETIC PID_OR_FN
  local dir=$out/$1
  mkdir -p "$dir"
  say "$1: load 1 user, 100 users at 2/s and at 10/s"
  $bench load --target "$2" --image-url "$3" --scenario 1user --duration "$load" --out "$dir/load-1user" > /dev/null 2>&1
  $bench load --target "$2" --image-url "$3" --scenario 100u-spawn2 --duration "$slow_load" --out "$dir/load-100u-spawn2" > /dev/null 2>&1
  memory_samples "$5" "${load%s}" > "$dir/memory-100u.txt" & local sampler=$!
  $bench load --target "$2" --image-url "$3" --scenario 100u-spawn10 --duration "$load" --out "$dir/load-100u-spawn10" > /dev/null 2>&1
  wait $sampler
  peak "$5" > "$dir/memory-peak.txt"
  say "$1: ramp, sweep, idle"
  $bench ramp --target "$2" --image-url "$3" --max-clients 15 --step "$ramp_step" --repeats 1 --out "$dir/ramp" > /dev/null 2>&1
  $bench sweep --target "$2" --image-base-url "$4" --requests-per-size 10 --out "$dir/sweep" > /dev/null 2>&1
  $bench coldstart --target "$2" --image-url "$3" --idle "$idle" --out "$dir/coldstart-idle" > /dev/null 2>&1
}

# Memory of a bare process (PID: RSS) or of a function's container (NAME: its cgroup v1), in MB.
task_pid() { ctr -n openfaas-fn task ls 2>/dev/null | awk -v f="$1" '$1 == f && $3 == "RUNNING" {print $2}'; }
memcg() { echo "/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/"$(task_pid "$1")"/cgroup)"; }
memory_samples() { # PID_OR_FN SECONDS
  if [[ $1 =~ ^[0-9]+$ ]]; then rss_samples "$1" "$2"; return; fi
  local cg; cg=$(memcg "$1")
  for _ in $(seq 1 "$2"); do echo $(( $(cat "$cg/memory.usage_in_bytes") >> 20 )); sleep 1; done
}
peak() { # PID_OR_FN: VmHWM of a process; max_usage, usage and total_rss of a cgroup
  if [[ $1 =~ ^[0-9]+$ ]]; then awk '/VmHWM|VmRSS/ {print $1, int($2 / 1024)}' /proc/"$1"/status; return; fi
  local cg; cg=$(memcg "$1")
  echo "max_usage_in_bytes $(( $(cat "$cg/memory.max_usage_in_bytes") >> 20 ))"
  echo "usage_in_bytes $(( $(cat "$cg/memory.usage_in_bytes") >> 20 ))"
  awk '$1 == "total_rss" || $1 == "total_cache" {print $1, $2 / 1048576}' "$cg/memory.stat"
  echo "limit_in_bytes $(( $(cat "$cg/memory.limit_in_bytes") >> 20 ))"
}

# Held by `bench coldstart --spawn` for one start: deploys FN (the rest of the arguments: the faas-cli
# command), waits for SIGTERM, then removes FN and waits until containerd has no container of it.
deploy_and_hold() { # FN FAAS-CLI-ARGS...
  local f=$1; shift
  trap 'timeout 60 faas-cli remove '"$f"' > /dev/null 2>&1; until ! ctr -n openfaas-fn container ls -q | grep -qx '"$f"'; do sleep 0.2; done; exit 0' TERM
  REGISTRY=localhost:5000 faas-cli "$@" > /dev/null 2>&1
  sleep 600 & wait $!
}
export -f deploy_and_hold
wait_answer() { # URL: until it classifies (200)
  for _ in $(seq 1 600); do [ "$(curl -s -m 30 -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return; sleep 0.2; done
  say "no answer from $1"; return 1
}

say "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores, $(grep -q avx512f /proc/cpuinfo && echo AVX-512 || echo 'no AVX-512')"

# --- 1. bare process ----------------------------------------------------------------------------------
start_images
image=http://127.0.0.1:9000/files/chelsea.png
cds=$(cds_archive "$jar" "$out/bare")
ours_cmd="CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true exec java $java_opts -XX:SharedArchiveFile=$cds -jar $jar"
say "bare: process start to first answer ($starts starts)"
$bench coldstart --runs "$starts" --image-url $image --target http://127.0.0.1:9192/ \
  --spawn "SERVER_PORT=9192 $ours_cmd" --out "$out/bare/coldstart-spawn" > /dev/null 2>&1
(export SERVER_PORT=8082; eval "$ours_cmd") > "$out/bare.log" 2>&1 & bare_pid=$!; pids+=($bare_pid)
wait_answer "http://127.0.0.1:8082/?url=$image"
experiments bare http://127.0.0.1:8082/ $image 'http://127.0.0.1:9000/synthetic/{size}.jpg' $bare_pid
kill $bare_pid; wait $bare_pid 2>/dev/null || true

# --- 2. faasd: our function through the gateway ------------------------------------------------------
say "faasd: up, base images, faas-cli up -f stack.yml"
"$kit" up > "$out/faasd-up.log" 2>&1
eval "$("$kit" env)"
openfaas-function/check-image.sh --base-images >> "$out/faasd-up.log" 2>&1
REGISTRY=localhost:5000 faas-cli up -f stack.yml > "$out/faas-cli-up.log" 2>&1
$bench images --bind $bridge --port "$bridge_port" --dir docs/examples > "$out/bridge-images.log" 2>&1 & pids+=($!)
until curl -sf -o /dev/null "http://$bridge:$bridge_port/files/chelsea.png"; do sleep 0.2; done
fimage=http://$bridge:$bridge_port/files/chelsea.png
synthetic="http://$bridge:$bridge_port/synthetic/{size}.jpg"
gateway=$OPENFAAS_URL/function
guard_off=(deploy -f stack.yml -e CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true)

say "faasd: faas-cli deploy to first answer through the gateway ($starts deploys)"
faas-cli remove $fn > /dev/null 2>&1 || true
until ! ctr -n openfaas-fn container ls -q | grep -qx $fn; do sleep 0.2; done
$bench coldstart --runs "$starts" --image-url "$fimage" --target "$gateway/$fn" \
  --spawn "deploy_and_hold $fn ${guard_off[*]}" --out "$out/faasd/coldstart-deploy" > /dev/null 2>&1
REGISTRY=localhost:5000 faas-cli "${guard_off[@]}" > /dev/null 2>&1
wait_answer "$gateway/$fn?url=$fimage"
experiments faasd "$gateway/$fn" "$fimage" "$synthetic" $fn

# --- 3. the Python peer on the same faasd ------------------------------------------------------------
say "peer: build and deploy (bench/peer-function/deploy.sh)"
bench/peer-function/deploy.sh > "$out/peer-deploy.log" 2>&1
wait_answer "$gateway/$peer_fn?url=$fimage"
say "peer: load 1 user, 100 users at 10/s"
mkdir -p "$out/peer"
$bench load --target "$gateway/$peer_fn" --image-url "$fimage" --scenario 1user --duration "$load" --out "$out/peer/load-1user" > /dev/null 2>&1
memory_samples $peer_fn "${load%s}" > "$out/peer/memory-100u.txt" & sampler=$!
$bench load --target "$gateway/$peer_fn" --image-url "$fimage" --scenario 100u-spawn10 --duration "$load" --out "$out/peer/load-100u-spawn10" > /dev/null 2>&1
wait $sampler
peak $peer_fn > "$out/peer/memory-peak.txt"
say "peer: faas-cli deploy to first answer through the gateway ($starts deploys)"
faas-cli remove $peer_fn > /dev/null 2>&1 || true
until ! ctr -n openfaas-fn container ls -q | grep -qx $peer_fn; do sleep 0.2; done
$bench coldstart --runs "$starts" --image-url "$fimage" --target "$gateway/$peer_fn" \
  --spawn "deploy_and_hold $peer_fn deploy -f bench/peer-function/stack.yml" --out "$out/peer/coldstart-deploy" > /dev/null 2>&1

# --- report ------------------------------------------------------------------------------------------
say "report"
$bench report "$out/bare" "$out/faasd" --out "$out/report" > /dev/null 2>&1
python3 - "$out" <<'PY' | tee "$out/figures.md"
import csv, statistics, sys
sys.path.insert(0, "bench")
from figures import col, rows, summary
out = sys.argv[1]
def mem(name, kind):
    path = f"{out}/{name}/memory-{kind}.txt"
    return [int(v) for v in open(path).read().split()] if kind != "peak" else dict(
        (l.split()[0].rstrip(":"), float(l.split()[1])) for l in open(path))
def starts(name, folder):
    return [float(r["start_to_answer_ms"]) for r in csv.DictReader(open(f"{out}/{name}/{folder}/spawn.csv"))]
def idle(name):
    return {float(r["idle_s"]): float(r["latency_ms"]) for r in csv.DictReader(open(f"{out}/{name}/coldstart-idle/coldstart.csv"))}
def ramp(name): return {int(r["clients"]): float(r["rps"]) for r in csv.DictReader(open(f"{out}/{name}/ramp/ramp.csv"))}
def load(name, scenario): return summary(f"{out}/{name}", f"load-{scenario}")
fmt = lambda v: f"{v:,.1f}" if isinstance(v, float) else str(v)

print("### Bare process vs faasd (our function)\n")
print("| experiment | bare process | through faasd's gateway | faasd - bare |")
print("| --- | ---: | ---: | ---: |")
for sc, label in (("1user", "1 user"), ("100u-spawn2", "100 users, 2/s"), ("100u-spawn10", "100 users, 10/s")):
    b, f = load("bare", sc), load("faasd", sc)
    for key, what in (("rps", "RPS"), ("medianMs", "median ms"), ("p95Ms", "p95 ms"), ("failures", "failures")):
        d = f[key] - b[key]
        print(f"| {label}: {what} | {fmt(b[key])} | {fmt(f[key])} | {fmt(d)} |")
bs, fs = statistics.median(starts("bare", "coldstart-spawn")), statistics.median(starts("faasd", "coldstart-deploy"))
print(f"| start to first answer, median ms (bare: process start; faasd: faas-cli deploy) | {fmt(bs)} | {fmt(fs)} | {fmt(fs - bs)} |")
bi, fi = idle("bare"), idle("faasd")
for k in sorted(bi):
    what = "first request, ms" if k == 0 else f"first answer after {k:.0f} s idle, ms"
    print(f"| {what} | {fmt(bi[k])} | {fmt(fi.get(k, float('nan')))} | {fmt(fi.get(k, float('nan')) - bi[k])} |")
bm, fm = mem("bare", "100u"), mem("faasd", "100u")
print(f"| memory at 100 users, median MB (bare: RSS; faasd: cgroup usage) | {statistics.median(bm)} | {statistics.median(fm)} | |")
print("\n### Size sweep, server total / client latency (ms, means of 10)\n")
print("| size | bare total | bare client | faasd total | faasd client | client: faasd - bare |")
print("| ---: | ---: | ---: | ---: | ---: | ---: |")
sw = {n: {int(r["size"]): r for r in csv.DictReader(open(f"{out}/{n}/sweep/sweep.csv"))} for n in ("bare", "faasd")}
for size in sw["bare"]:
    b, f = sw["bare"][size], sw["faasd"].get(size, {})
    bt, bl, ft, fl = (float(x) for x in (b["total_ms"], b["latency_ms"], f.get("total_ms", "nan"), f.get("latency_ms", "nan")))
    print(f"| {size}² | {bt:.1f} | {bl:.1f} | {ft:.1f} | {fl:.1f} | {fl - bl:.1f} |")
print("\n### Ramp, responses per second (3 s per level, one pass)\n")
br, fr = ramp("bare"), ramp("faasd")
print("| clients | " + " | ".join(str(c) for c in br) + " |"); print("| --- |" + " ---: |" * len(br))
for n, r in (("bare", br), ("faasd", fr)): print(f"| {n} | " + " | ".join(f"{r.get(c, float('nan')):.1f}" for c in br) + " |")

print("\n### Java function vs Python peer, both on faasd through the gateway (1024Mi limit each)\n")
print("| figure | ours (Java, ONNX Runtime) | peer (Python, PyTorch) | peer / ours |")
print("| --- | ---: | ---: | ---: |")
def row(what, o, p): print(f"| {what} | {fmt(o)} | {fmt(p)} | {p / o:.2f}x |" if o else f"| {what} | {fmt(o)} | {fmt(p)} | |")
for sc, label in (("100u-spawn10", "100 users, 10/s"), ("1user", "1 user (serial)")):
    o, p = load("faasd", sc), load("peer", sc)
    row(f"{label}: RPS", o["rps"], p["rps"]); row(f"{label}: median ms", o["medianMs"], p["medianMs"])
    row(f"{label}: p95 ms", o["p95Ms"], p["p95Ms"]); row(f"{label}: failures", o["failures"], p["failures"])
row("faas-cli deploy to first answer, median ms", statistics.median(starts("faasd", "coldstart-deploy")),
    statistics.median(starts("peer", "coldstart-deploy")))
om, pm = mem("faasd", "100u"), mem("peer", "100u")
row("cgroup memory.usage at 100 users, median MB", statistics.median(om), statistics.median(pm))
op, pp = mem("faasd", "peak"), mem("peer", "peak")
row("cgroup memory.max_usage_in_bytes since deploy, MB", op["max_usage_in_bytes"], pp["max_usage_in_bytes"])
row("cgroup total_rss after the 100-user load, MB", op["total_rss"], pp["total_rss"])
row("cgroup total_cache after the 100-user load, MB", op["total_cache"], pp["total_cache"])
PY
say "done: $out (report: $out/report/report.md, figures: $out/figures.md)"
