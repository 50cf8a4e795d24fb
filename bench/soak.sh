#!/usr/bin/env bash
# Memory under a long load: our server as in its container, 100 closed-loop clients on chelsea.png from
# loopback for MINUTES (default 10), RSS sampled every second; prints the median RSS of each minute,
# the growth from minute 2 to the last minute, and the failures.
#   bench/soak.sh [RESULTS_DIR] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/soak}
minutes=${2:-10}
[ "$minutes" -ge 2 ] || { echo "MINUTES must be at least 2: the growth is taken from minute 2 on" >&2; exit 2; }
source bench/ours.sh
mkdir -p "$out"

$bench images --port 9001 --dir docs/examples > /dev/null 2>&1 & pids+=($!)
SERVER_PORT=8095 CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true java $java_opts -jar $jar > "$out/server.log" 2>&1 & server=$!; pids+=($server)
until curl -sf -o /dev/null http://127.0.0.1:8095/_/health && curl -sf -o /dev/null http://127.0.0.1:9001/files/chelsea.png; do sleep 0.3; done

seconds=$((minutes * 60))
rss_samples "$server" "$seconds" > "$out/rss.txt" & sampler=$!
$bench load --target http://127.0.0.1:8095/ --image-url http://127.0.0.1:9001/files/chelsea.png --users 100 --spawn-rate 10 \
  --duration "${seconds}s" --out "$out/load" > /dev/null 2>&1
wait $sampler

python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
rss = [int(v) for v in open(f"{out}/rss.txt").read().split()]
minutes = [statistics.median(rss[i:i + 60]) for i in range(0, len(rss), 60)]
s = json.load(open(f"{out}/load/summary.json"))["summaries"][0]
print("median RSS per minute (MB):", " ".join(f"{m:.0f}" for m in minutes))
print(f"growth from minute 2 to the last: {100 * (minutes[-1] / minutes[1] - 1):.1f} % (aim <= 10 %); peak {max(rss)} MB")
print(f"{s['rps']:.1f} requests/s, median {s['medianMs']:.0f} ms, p99 {s['p99Ms']:.0f} ms, failures {s['failures']}")
PY
