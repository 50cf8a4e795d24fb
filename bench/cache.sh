#!/usr/bin/env bash
# The result cache measured (docs/performance.md, "Result cache"): our server as in its container,
# 100 closed-loop users, images from the built-in loopback image server (ETags, 304s), in one run:
#   1. the same URL with the cache off, then on: requests/s and failures;
#   2. --distinct-images below and above the cache's entries, taken in turn and at random: hit rate and
#      requests/s against what an LRU cache predicts;
#   3. the heap a full cache holds, after a full GC, against the bound it reports.
#   bench/cache.sh [RESULTS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/cache}
duration=${DURATION:-30s}
entries=${ENTRIES:-100}
source bench/ours.sh
mkdir -p "$out"
start_images
image=http://127.0.0.1:9000/files/chelsea.png

start_server() { # CACHE_ENTRIES [CACHE_BYTES]
  CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true CLASSIFIER_RESULT_CACHE_ENTRIES=$1 \
    CLASSIFIER_RESULT_CACHE_BYTES=${2:-8388608} SERVER_PORT=8082 \
    java $java_opts -jar $jar > "$out/server-$1.log" 2>&1 & server=$!; pids+=($server)
  until curl -sf -o /dev/null http://127.0.0.1:8082/_/health; do sleep 0.3; done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; }
load() { # NAME USERS ARGS...
  local name=$1 users=$2; shift 2
  $bench load --target http://127.0.0.1:8082/ --users "$users" --spawn-rate 100 --duration "$duration" \
    --out "$out/$name" "$@" > /dev/null 2>&1
  curl -s http://127.0.0.1:8082/metrics | grep '^imgfn_result_cache' > "$out/$name/metrics.txt" || true
}

start_server 0
load same-url-off 100 --image-url "$image"
stop_server
start_server 1000
load same-url-on 100 --image-url "$image"
stop_server

synthetic=http://127.0.0.1:9000/synthetic/256.jpg
small=$((entries / 2)) large=$((entries * 2))
# In turn, one user: the order the cache sees is the order sent, so LRU's answer is exact. At random,
# 100 users: LRU holds any `entries` of the `large` images, a hit `entries / large` of the time.
for distinct in $small $large; do
  start_server "$entries"
  load "distinct-$distinct-rotate" 1 --image-url "$synthetic" --distinct-images "$distinct" --image-order rotate
  stop_server
  start_server "$entries"
  load "distinct-$distinct-random" 100 --image-url "$synthetic" --distinct-images "$distinct" --image-order random
  stop_server
done
start_server 0
load "distinct-$large-random-off" 100 --image-url "$synthetic" --distinct-images "$large" --image-order random
stop_server

# 3. Heap held by a full cache: 2000 distinct tiny images, heap after a full GC before and after, with
# the cache on and (for what the same requests leave behind anyway) off.
heap_used() { # KB used in all generations after a full GC
  jcmd "$server" GC.run > /dev/null; sleep 1
  jcmd "$server" GC.heap_info | awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K.*/, "", v); kb += v}} END {print kb}'
}
for cache in 2000 0; do
  start_server $cache 67108864
  heap_used > "$out/heap-$cache-before.txt"
  $bench load --target http://127.0.0.1:8082/ --users 4 --spawn-rate 100 --requests 2000 --duration 300s \
    --image-url http://127.0.0.1:9000/synthetic/24.jpg --distinct-images 2000 --out "$out/heap-fill-$cache" > /dev/null 2>&1
  heap_used > "$out/heap-$cache-after.txt"
  curl -s http://127.0.0.1:8082/metrics | grep '^imgfn_result_cache' > "$out/heap-fill-$cache/metrics.txt"
  stop_server
done

/usr/bin/python3 - "$out" "$entries" <<'PY'
import json, sys
out, entries = sys.argv[1], int(sys.argv[2])
def summary(name): return json.load(open(f"{out}/{name}/summary.json"))["summaries"][0]
def metric(name, key):
    for line in open(f"{out}/{name}/metrics.txt"):
        if line.startswith(key + " "): return float(line.split()[1])
off, on = summary("same-url-off"), summary("same-url-on")
print("| run | requests/s | failures | cached | p50 ms | p99 ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name, s in (("same URL, cache off", off), ("same URL, cache on", on)):
    print(f"| {name} | {s['rps']:.1f} | {s['failures']} | {s['cached']} | {s['medianMs']:.1f} | {s['p99Ms']:.1f} |")
print(f"\ncache on / off: {on['rps'] / off['rps']:.1f}x requests/s\n")
# Throughput as the hit rate predicts it: a hit costs what it costs when (nearly) all are hits, a miss
# what it costs with the cache off, for the same images and users.
hit_rps = summary(f"distinct-{entries // 2}-random")["rps"]
miss_rps = summary(f"distinct-{entries * 2}-random-off")["rps"]
print(f"| distinct images (cache {entries}) | order, users | requests | hit rate | LRU predicts | requests/s | predicted | failures | evictions |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for distinct in (entries // 2, entries * 2):
    for order, users in (("rotate", 1), ("random", 100)):
        name = f"distinct-{distinct}-{order}"
        s = summary(name)
        n = s["requests"]
        predicted = (n - distinct) / n if distinct <= entries else (0.0 if order == "rotate" else entries / distinct)
        rps = f"{1 / (predicted / hit_rps + (1 - predicted) / miss_rps):.1f}" if users == 100 else ""
        print(f"| {distinct} | {order}, {users} | {n} | {s['cached'] / n:.3f} | {predicted:.3f} | {s['rps']:.1f} | {rps} | {s['failures']} | {metric(name, 'imgfn_result_cache_evictions_total'):.0f} |")
off = summary(f"distinct-{entries * 2}-random-off")
print(f"| {entries * 2} | random, 100, cache off | {off['requests']} | 0 | 0 | {off['rps']:.1f} | | {off['failures']} | |")
def grown(cache): return int(open(f"{out}/heap-{cache}-after.txt").read()) - int(open(f"{out}/heap-{cache}-before.txt").read())
results = metric("heap-fill-2000", "imgfn_result_cache_results")
reported = metric("heap-fill-2000", "imgfn_result_cache_bytes")
print(f"\nfull cache: {results:.0f} results + {metric('heap-fill-2000', 'imgfn_result_cache_urls'):.0f} URLs; heap after a full GC"
      f" grew {grown(2000)} KB with the cache, {grown(0)} KB without: the cache holds {grown(2000) - grown(0)} KB;"
      f" it reports {reported / 1024:.0f} KB")
PY
