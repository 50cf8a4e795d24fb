#!/usr/bin/env bash
# Our function against the Python peer (../shared/peer/server.py: Flask + waitress, torch, torchvision),
# in one run on one machine, loopback only, the same load tool (bench) against all: the ratios of the
# performance targets (docs/performance.md), for each of our engines.
#   [ENGINES="onnxruntime pytorch"] bench/compare-peer.sh [RESULTS_DIR] [MODEL]
#   MODEL: mobilenet_v2 (default) or mobilenet_v2_int8 (PyTorch only); the peer always runs the .pt file.
# Installs the peer's Debian packages when missing (needs root). Debian's torch takes its BLAS from the
# libblas.so.3 alternative: with the reference BLAS (libblas3) its 1x1 convolutions make a forward pass
# ~190 ms instead of ~10 ms, so OpenBLAS is installed too. The peer runs twice, at its best for each
# figure: "peer-blas" with OpenBLAS's own threads (one per core, best for one client) and "peer" with
# OPENBLAS_NUM_THREADS=1 (best under load, where torch's threads already use both cores); every ratio is
# taken against the better of the two. The report checks the peer's forward pass.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/compare-peer}
model=${2:-mobilenet_v2}
engines=${ENGINES:-onnxruntime pytorch}
peer=${PEER:-../shared/peer/server.py}
duration=${DURATION:-60s}

if ! /usr/bin/python3 -c 'import torch, torchvision, flask, waitress, requests' 2>/dev/null \
    || ! dpkg -s libopenblas0-pthread > /dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    python3-torch python3-torchvision python3-flask python3-waitress python3-requests libopenblas0-pthread
fi
source bench/ours.sh
mkdir -p "$out"
start_images
image=http://127.0.0.1:9000/files/chelsea.png

# 4. Cold start: process start to first classified answer; then the other figures.
peer_cmd="exec /usr/bin/python3 $peer models/$model.pt models/synset.txt"
for setting in "peer-blas " "peer OPENBLAS_NUM_THREADS=1"; do
  set -- $setting
  name=$1 blas=${2:-}
  $bench coldstart --runs 3 --image-url $image --target http://127.0.0.1:9191/ --spawn "$blas $peer_cmd 9191" --out "$out/$name-start" > /dev/null 2>&1
  env $blas /usr/bin/python3 "$peer" models/$model.pt models/synset.txt 9100 > "$out/$name.log" 2>&1 & peer_pid=$!; pids+=($peer_pid)
  run_target "$name" 9100 $peer_pid
  kill $peer_pid; wait $peer_pid 2>/dev/null || true
done

for engine in $engines; do
  export CLASSIFIER_ENGINE=$engine
  # Libraries already unpacked (as in the image): ONNX Runtime's by bench/ours.sh, libtorch by the CDS run.
  measure_ours "$engine" "$jar" CLASSIFIER_MODEL="$model"
  $bench inference-ceiling --model "$model" --seconds 10 > "$out/$engine-ceiling.txt" 2>/dev/null
done

/usr/bin/python3 - "$out" "$model" $engines <<'PY'
import re, statistics, sys
sys.path.insert(0, "bench")
from figures import best_of, col, figures, rows
out, model, engines = sys.argv[1], sys.argv[2], sys.argv[3:]

aims = {"1 throughput": ">= 2.5x", "2 tail": "<= 1.5", "3 serial client": "<= 0.6x", "3 server overhead": "<= 1 ms",
        "4 process": "<= 0.4x", "5 idle": "<= 0.5x", "5 peak": "<= 0.8x", "6 server total, 3200": "<= 0.5x",
        "1 failures": "0"}
peer = best_of(out, ["peer-blas", "peer"])
ours = {e: figures(out, e) for e in engines}
forwards = {n: statistics.median(col(rows(out, f"{n}-serial"), "inference_ms")) for n in ("peer-blas", "peer")}
ceilings = {e: re.search(r"([\d.]+) images/s", open(f"{out}/{e}-ceiling.txt").read()).group(1) for e in engines}
print(f"model {model}; peer's serial forward pass (ms): " + ", ".join(f"{n} {v:.1f}" for n, v in forwards.items())
      + "; forward-only ceilings (images/s): " + ", ".join(f"{e} {c}" for e, c in ceilings.items()))
if min(forwards.values()) > 20:
    print(f"WARNING: the peer is degraded (forward pass over 20 ms, healthy ~10 ms): the ratios mean nothing")
fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)
print("| target | best peer (run) | " + " | ".join(f"{e} | ratio" for e in engines) + " | aim |")
print("| --- | ---: | " + " | ".join("---: | ---:" for _ in engines) + " | --- |")
for key, (p, which) in peer.items():
    cells = []
    for e in engines:
        o = ours[e][key]
        ratio = o / p if isinstance(o, (int, float)) and isinstance(p, (int, float)) and p and "failures" not in key \
            and "tail" not in key and "overhead" not in key else None
        cells.append(f"{fmt(o)} | {fmt(ratio) + 'x' if ratio is not None else ''}")
    aim = next((a for k, a in aims.items() if key.startswith(k)), "")
    print(f"| {key} | {fmt(p)} ({which}) | " + " | ".join(cells) + f" | {aim} |")
print()
print("Both peer runs:")
PY
python3 bench/figures.py "$out" peer-blas peer
