"""Whole-process NumPy peer of packages/nclab/bench/deep-rfm-process.bench.ts.

Each repetition starts a fresh `python3 deeprfm_layer.py --once ...` (interpreter start, imports, loading the
.npy inputs, one Deep RFM layer in NumPy's best route per phase, the final kernel regression) and times the
whole process from outside, as the bench times `nclab deep-rfm --depth 1`. The child reports its phases, its
NC1 values and its peak RSS (getrusage ru_maxrss); no warm-up run (a process starts cold every time).
Prints one JSON line: {"times_s": [...], "cpu_times_s": [...], "result": {child's report, peak_rss_bytes = max}}.
"""
import json
import os
import resource
import subprocess
import sys
import time

repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "1"))
child = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "deeprfm_layer.py"), "--once", *sys.argv[1:]]
times, cpu, reports = [], [], []
for _ in range(repeats):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(child, check=True, capture_output=True, text=True).stdout
    times.append(time.perf_counter() - t0)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    reports.append(json.loads(out.strip().splitlines()[-1]))
result = dict(reports[-1])
result["peak_rss_bytes"] = max(r["peak_rss_bytes"] for r in reports)
print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": result}))
