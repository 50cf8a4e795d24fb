#!/usr/bin/env bash
# Our function against the Python peer (../shared/peer/server.py: Flask + waitress, torch, torchvision),
# in one run on one machine, loopback only, the same load tool (bench) against both: the ratios of the
# performance targets (docs/performance.md).
#   bench/compare-peer.sh [RESULTS_DIR] [MODEL]        MODEL: mobilenet_v2 (default) or mobilenet_v2_int8
# Installs the peer's Debian packages when missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/compare-peer}
model=${2:-mobilenet_v2}
peer=${PEER:-../shared/peer/server.py}
duration=${DURATION:-60s}

if ! /usr/bin/python3 -c 'import torch, torchvision, flask, waitress, requests' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    python3-torch python3-torchvision python3-flask python3-waitress python3-requests
fi
source bench/ours.sh
mkdir -p "$out"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

image=http://127.0.0.1:9000/files/chelsea.png
$bench images --port 9000 --dir docs/examples > /dev/null 2>&1 & pids+=($!)
until curl -sf -o /dev/null "$image"; do sleep 0.2; done

peer_cmd="exec /usr/bin/python3 $peer models/$model.pt models/synset.txt"

# Our container starts from a class-data-sharing archive of one real start, made at build time
# (openfaas-function/Dockerfile); so does our server here, from an archive made now for this jar.
cds="$out/function.jsa"
rm -f "$cds"
SERVER_PORT=9193 java $java_opts -XX:ArchiveClassesAtExit="$cds" -jar $jar > "$out/cds.log" 2>&1 & cds_pid=$!
until grep -q "Ready in" "$out/cds.log"; do sleep 0.3; done
kill -TERM $cds_pid; wait $cds_pid || true
java_opts="$java_opts -XX:SharedArchiveFile=$cds"
ours_cmd="CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true CLASSIFIER_MODEL=$model exec java $java_opts -jar $jar"

# 4. Cold start: process start to first classified answer (libtorch already unpacked for ours).
$bench coldstart --runs 3 --image-url $image --target http://127.0.0.1:9191/ --spawn "$peer_cmd 9191" --out "$out/peer-start" > /dev/null 2>&1
$bench coldstart --runs 3 --image-url $image --target http://127.0.0.1:9192/ --spawn "SERVER_PORT=9192 $ours_cmd" --out "$out/ours-start" > /dev/null 2>&1

run_target() { # NAME PORT PID
  local name=$1 port=$2 pid=$3 secs=${duration%s}
  until curl -sf -o /dev/null "http://127.0.0.1:$port/_/health"; do sleep 0.3; done
  $bench load --target "http://127.0.0.1:$port/" --image-url $image --users 1 --requests 200 --duration 300s --out "$out/$name-serial" > /dev/null 2>&1
  rss_samples "$pid" "$secs" > "$out/$name-rss.txt" & local sampler=$!
  $bench load --target "http://127.0.0.1:$port/" --image-url $image --users 100 --spawn-rate 10 --duration "$duration" --out "$out/$name-100u" > /dev/null 2>&1
  wait $sampler
  # 6. Big images: server total for synthetic 256² and 3200² JPEGs from the built-in loopback server.
  $bench sweep --target "http://127.0.0.1:$port/" --sizes 256,3200 --requests-per-size 10 --out "$out/$name-sweep" > /dev/null 2>&1
}

/usr/bin/python3 "$peer" models/$model.pt models/synset.txt 9100 > "$out/peer.log" 2>&1 & peer_pid=$!; pids+=($peer_pid)
run_target peer 9100 $peer_pid
kill $peer_pid

SERVER_PORT=8082 CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true CLASSIFIER_MODEL=$model java $java_opts -jar $jar > "$out/ours.log" 2>&1 & ours_pid=$!; pids+=($ours_pid)
run_target ours 8082 $ours_pid
kill $ours_pid; wait $ours_pid 2>/dev/null || true

$bench inference-ceiling --model "$model" --seconds 10 > "$out/ceiling.txt" 2>/dev/null

/usr/bin/python3 - "$out" "$model" <<'PY'
import csv, json, re, statistics, sys
out, model = sys.argv[1], sys.argv[2]
def rows(folder): return list(csv.DictReader(open(f"{out}/{folder}/requests.csv")))
def summary(folder): return json.load(open(f"{out}/{folder}/summary.json"))["summaries"][0]
def start(folder): return statistics.median(json.load(open(f"{out}/{folder}/summary.json"))["startToAnswerMs"])
def col(rs, name): return [float(r[name]) for r in rs if r["status"] == "200" and r[name]]
ceiling = float(re.search(r"([\d.]+) images/s", open(f"{out}/ceiling.txt").read()).group(1))
p, o = summary("peer-100u"), summary("ours-100u")
ps, os_ = rows("peer-serial"), rows("ours-serial")
lat = lambda rs: statistics.median(col(rs, "latency_ms"))
total, infer = statistics.median(col(os_, "total_ms")), statistics.median(col(os_, "inference_ms"))
rss_values = lambda name: [int(v) for v in open(f"{out}/{name}-rss.txt").read().split()]
# Steady load: the second half of the 100-client run, once every client is up.
steady = lambda name: statistics.median(rss_values(name)[len(rss_values(name)) // 2:])
peak = lambda name: max(rss_values(name))
sweep = lambda name: {int(r["size"]): float(r["total_ms"]) for r in csv.DictReader(open(f"{out}/{name}-sweep/sweep.csv"))}
ps6, os6 = sweep("peer"), sweep("ours")
lines = [
 ("1 throughput, 100 clients (RPS)", p["rps"], o["rps"], o["rps"] / p["rps"], ">= 2.0x peer (float), >= 3.5x (int8)"),
 ("1 share of the inference ceiling", ceiling, o["rps"], o["rps"] / ceiling, ">= 0.85"),
 ("1 failures", p["failures"], o["failures"], None, "0"),
 ("2 tail: p99 / median", p["p99Ms"] / p["medianMs"], o["p99Ms"] / o["medianMs"], None, "<= 1.5"),
 ("3 serial client latency (median ms)", lat(ps), lat(os_), lat(os_) / lat(ps), "<= 1.0x (float), <= 0.5x (int8)"),
 ("3 server total / inference (ours)", None, total / infer, None, "<= 1.25"),
 ("4 process start to first answer (ms)", start("peer-start"), start("ours-start"), start("ours-start") / start("peer-start"), "<= 0.5x"),
 ("5 RSS at steady load, 100 clients (MB, median)", steady("peer"), steady("ours"), steady("ours") / steady("peer"), "<= 0.8x"),
 ("5 peak RSS, 100 clients (MB)", peak("peer"), peak("ours"), peak("ours") / peak("peer"), ""),
 ("6 server total, 3200² JPEG (ms)", ps6[3200], os6[3200], os6[3200] / ps6[3200], "<= 0.5x"),
 ("6 ours: 3200² total / 256² total", ps6[3200] / ps6[256], os6[3200] / os6[256], None, "<= 3"),
]
print(f"model {model}; ceiling {ceiling:.1f} images/s")
print("| target | peer | ours | ratio | aim |\n| --- | ---: | ---: | ---: | --- |")
fmt = lambda v: "" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
for name, peer, ours, ratio, aim in lines:
    print(f"| {name} | {fmt(peer)} | {fmt(ours)} | {fmt(ratio)} | {aim} |")
PY
