"""NumPy peer of packages/backend/bench/pairwise-20000-*.bench.ts: squared distances of the rows of X.

Idiomatic NumPy in float32: D = ‖x_i‖² + ‖x_j‖² − 2 X Xᵀ (norms in float64 then cast, as ours),
clamped at 0 with a zero diagonal. Prints {"times_s": [...], "result": {"sum": ΣD, "d01": D[0, 1]}}.
"""
import argparse
import json
import os
import time

import numpy as np


def sq_distances(x):
    sq = np.einsum("ij,ij->i", x, x, dtype=np.float64).astype(np.float32)
    d = x @ x.T
    d *= -2
    d += sq[:, None]
    d += sq[None, :]
    np.maximum(d, 0, out=d)
    np.fill_diagonal(d, 0)
    return d


ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "3"))
x = np.load(a.input).astype(np.float32)
d = sq_distances(x)  # warm-up
times = []
for _ in range(repeats):
    del d
    t0 = time.perf_counter()
    d = sq_distances(x)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"sum": float(d.sum(dtype=np.float64)), "d01": float(d[0, 1])}}))
