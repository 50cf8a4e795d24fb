"""Figures of the servers that a benchmark script measured (bench/ours.sh's run_target), for its report.

python3 bench/figures.py RESULTS_DIR NAME... prints them side by side, with the last against the first.
"""
import csv
import json
import statistics
import sys

def rows(out, folder): return [r for r in csv.DictReader(open(f"{out}/{folder}/requests.csv")) if r["status"] == "200"]
def summary(out, folder): return json.load(open(f"{out}/{folder}/summary.json"))["summaries"][0]
def col(rs, name): return [float(r[name]) for r in rs if r[name]]
def rss(out, name, kind=""): return [int(v) for v in open(f"{out}/{name}{kind}-rss.txt").read().split()]
def sweep(out, name): return {int(r["size"]): float(r["total_ms"]) for r in csv.DictReader(open(f"{out}/{name}-sweep/sweep.csv"))}

def figures(out, name):
    """The figures of one server measured by bench/ours.sh's run_target and coldstart, as NAME under OUT."""
    s, serial, sw, load_rss = summary(out, f"{name}-100u"), rows(out, f"{name}-serial"), sweep(out, name), rss(out, name)
    return {
        "1 throughput, 100 clients (RPS)": s["rps"],
        "1 failures at 100 clients": s["failures"],
        "2 tail at 100 clients: p99 / median": s["p99Ms"] / s["medianMs"],
        "3 serial client latency (median ms)": statistics.median(col(serial, "latency_ms")),
        "3 serial server stages network / cpu / inference (median ms)": "%.1f / %.1f / %.1f" % tuple(
            statistics.median(col(serial, c)) for c in ("network_ms", "cpu_ms", "inference_ms")),
        "3 server overhead: total - network - cpu - inference (median ms)": statistics.median(
            [float(r["total_ms"]) - float(r["network_ms"]) - float(r["cpu_ms"]) - float(r["inference_ms"]) for r in serial]),
        "4 process start to first answer (median ms)": statistics.median(
            json.load(open(f"{out}/{name}-start/summary.json"))["startToAnswerMs"]),
        "5 idle RSS after one request (MB)": statistics.median(rss(out, name, "-idle")),
        "5 RSS at steady load, 100 clients (MB, median of the second half)": statistics.median(load_rss[len(load_rss) // 2:]),
        "5 peak RSS, 100 clients (MB)": max(load_rss),
        "6 server total, 3200² JPEG (ms)": sw[3200],
        "6 server total, 256² JPEG (ms)": sw[256],
    }


HIGHER_IS_BETTER = {"1 throughput, 100 clients (RPS)"}


def best_of(out, names):
    """Per figure, the best of several runs of one server (the peer in two settings), and which run gave it;
    a figure that is not a number comes from the run with the best serial latency."""
    measured = {n: figures(out, n) for n in names}
    fastest = min(names, key=lambda n: measured[n]["3 serial client latency (median ms)"])
    best = {}
    for key, value in measured[fastest].items():
        if isinstance(value, (int, float)):
            pick = max if key in HIGHER_IS_BETTER else min
            name = pick(names, key=lambda n: measured[n][key])
            best[key] = (measured[name][key], name)
        else:
            best[key] = (value, fastest)
    return best


def table(out, names):
    measured = {n: figures(out, n) for n in names}
    fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)
    print("| figure | " + " | ".join(names) + f" | {names[-1]} / {names[0]} |")
    print("| --- |" + " ---: |" * (len(names) + 1))
    for key, first in measured[names[0]].items():
        last = measured[names[-1]][key]
        ratio = f"{last / first:.2f}x" if isinstance(first, (int, float)) and first else ""
        print(f"| {key} | " + " | ".join(fmt(measured[n][key]) for n in names) + f" | {ratio} |")


if __name__ == "__main__":
    table(sys.argv[1], sys.argv[2:])
