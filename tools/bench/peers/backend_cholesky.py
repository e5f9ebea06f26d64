"""NumPy peer of packages/backend/bench/cholesky-5000-*.bench.ts: np.linalg.cholesky (LAPACK potrf).

Prints one JSON line: {"times_s": [...], "result": {"half_logdet": Σ log L_ii}}.
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
l = np.linalg.cholesky(x)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    l = np.linalg.cholesky(x)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"half_logdet": float(np.log(np.diag(l)).sum())}}))
