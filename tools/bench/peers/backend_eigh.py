"""NumPy peer of packages/backend/bench/eigh-1024-*.bench.ts: np.linalg.eigh (LAPACK syevd).

Prints one JSON line: {"times_s": [...], "result": {"min": λ_min, "max": λ_max, "sum_sq": Σλ²}}.
"""
import argparse
import json
import os
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "3"))
x = np.load(a.input)
w, v = np.linalg.eigh(x)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    w, v = np.linalg.eigh(x)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"min": float(w[0]), "max": float(w[-1]), "sum_sq": float((w * w).sum())}}))
