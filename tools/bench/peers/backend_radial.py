"""NumPy peer of packages/backend/bench/radial.bench.ts: the Laplace kernel map of a Gram block.

NumPy's best route: in-place ufuncs into one preallocated block (no temporaries):
out = exp(−sqrt(max(‖x‖² + ‖z‖² − 2g, 0)) / L).
Prints one JSON line: {"times_s": [...], "result": {"sample_sum": Σ out.flat[::97]}}.
"""
import argparse
import json
import os
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--gram", required=True)
ap.add_argument("--row-sq", required=True)
ap.add_argument("--col-sq", required=True)
ap.add_argument("--bandwidth", type=float, required=True)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "9"))
g = np.load(a.gram)
rs = np.load(a.row_sq)[:, None]
cs = np.load(a.col_sq)[None, :]
out = np.empty_like(g)
inv = -1.0 / a.bandwidth


def run():
    np.multiply(g, -2.0, out=out)
    np.add(out, rs, out=out)
    np.add(out, cs, out=out)
    np.maximum(out, 0.0, out=out)
    np.sqrt(out, out=out)
    np.multiply(out, inv, out=out)
    np.exp(out, out=out)


for _ in range(3):
    run()
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    run()
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"sample_sum": float(out.flat[::97].sum())}}))
