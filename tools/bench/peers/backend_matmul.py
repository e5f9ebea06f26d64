"""NumPy peer of packages/backend/bench/matmul-*-1024-*.bench.ts: C = A @ A for the [n, n] input.

--dtype float64 (dgemm) or float32 (sgemm, the input cast once outside the timed loop).
--out: write into one preallocated C (np.matmul(x, x, out=c)), the peer of gemm(a, a, { out }).
Prints one JSON line: {"times_s": [...], "result": {"sum": ..., "c00": ...}}.
"""
import argparse
import json
import os
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
ap.add_argument("--out", action="store_true")
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
x = np.load(a.input).astype(a.dtype)
c = x @ x  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    if a.out:
        np.matmul(x, x, out=c)
    else:
        c = x @ x
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"sum": float(c.sum(dtype=np.float64)), "c00": float(c[0, 0])}}))
