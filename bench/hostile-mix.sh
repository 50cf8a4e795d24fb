#!/usr/bin/env bash
# Issue #13's acceptance run: our server with the container's JVM settings (serial GC, 128 MB heap, exit on
# OutOfMemoryError), 100 closed-loop users classifying chelsea.png from the loopback image server, and
# bench/hostile.py sending every hostile request of the issue a few times a second, for DURATION (10 min).
# Reports the good requests' failures, what each attack got, whether the process ever restarted or
# died, and its RSS against the container's 1024 MiB limit (stack.yml).
#   [DURATION=600] bench/hostile-mix.sh [RESULTS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/hostile-mix}
seconds=${DURATION:-600}
source bench/ours.sh
mkdir -p "$out"
start_images
image=http://127.0.0.1:9000/files/chelsea.png

CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true SERVER_PORT=8082 \
  java $java_opts -XX:+ExitOnOutOfMemoryError -jar $jar > "$out/server.log" 2>&1 & server=$!; pids+=($server)
until curl -sf -o /dev/null http://127.0.0.1:8082/_/health; do sleep 0.3; done

rss_samples "$server" "$seconds" > "$out/rss.txt" & sampler=$!
/usr/bin/python3 bench/hostile.py 8082 "$seconds" "$out/hostile.csv" & hostile=$!
$bench load --target http://127.0.0.1:8082/ --image-url "$image" --users 100 --spawn-rate 10 \
  --duration "${seconds}s" --out "$out/good" > "$out/load.log" 2>&1
wait $hostile $sampler
alive=$(kill -0 "$server" 2>/dev/null && echo yes || echo no)
curl -s http://127.0.0.1:8082/metrics > "$out/metrics.txt" || true

/usr/bin/python3 - "$out" "$alive" <<'PY'
import collections, csv, json, sys
out, alive = sys.argv[1], sys.argv[2]
good = json.load(open(f"{out}/good/summary.json"))["summaries"][0]
codes = collections.Counter((r["status"], r["error_code"]) for r in csv.DictReader(open(f"{out}/good/requests.csv")))
rss = [int(v) for v in open(f"{out}/rss.txt").read().split() if int(v) > 0]
log = open(f"{out}/server.log").read()
print(f"good requests: {good['requests']} at {good['rps']:.1f}/s, failures {good['failures']}"
      f" ({', '.join(f'{n} x {s} {c}'.strip() for (s, c), n in codes.items() if s != '200') or 'none'}),"
      f" median {good['medianMs']:.0f} ms, p99 {good['p99Ms']:.0f} ms")
print(f"server alive at the end: {alive}; starts in its log: {log.count('Listening on')};"
      f" OutOfMemoryError in its log: {'OutOfMemoryError' in log}")
print(f"RSS: max {max(rss)} MB, median {sorted(rss)[len(rss) // 2]} MB (container limit 1024 MiB)")
print("\n| hostile request | sent | answers (status code: count) | slowest s |")
print("| --- | ---: | --- | ---: |")
by_kind = collections.defaultdict(list)
for r in csv.DictReader(open(f"{out}/hostile.csv")):
    by_kind[r["kind"]].append(r)
for kind, rs in by_kind.items():
    answers = collections.Counter(f"{r['status']} {r['code']}".strip() for r in rs)
    print(f"| {kind} | {len(rs)} | {', '.join(f'{a}: {n}' for a, n in answers.most_common())} | {max(float(r['seconds']) for r in rs):.1f} |")
PY
