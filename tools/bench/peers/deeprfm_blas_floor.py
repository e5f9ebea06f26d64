"""NumPy peer of packages/deep-rfm/bench/blas-floor.bench.ts: the float64 BLAS calls of one Deep RFM layer and
its final regression, back to back, in NumPy's best routes (X @ X.T and A @ A.T go to dsyrk; SciPy's dpotrf on
the Fortran-ordered view of a copy of the symmetric A, so no transposing copy; np.linalg.cholesky when SciPy
is missing). A = X X^T + N I is built untimed, as ours. Prints one JSON line:
{"times_s": [...], "cpu_times_s": [...], "result": {"kernel_trace", "agop_trace", "final_trace", "last_factor"}}.
"""
import argparse
import json
import os
import time

import numpy as np

try:
    from scipy.linalg.lapack import dpotrf
except ImportError:  # NumPy alone
    dpotrf = None

ap = argparse.ArgumentParser()
ap.add_argument("--x", required=True)
ap.add_argument("--f", required=True)
ap.add_argument("--w", required=True)
ap.add_argument("--r", required=True)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "3"))
X, F, W, R = (np.load(p) for p in (a.x, a.f, a.w, a.r))
n = X.shape[0]
A = X @ X.T
A.flat[:: n + 1] += n
B = np.empty_like(A)


def factor():
    np.copyto(B, A)
    if dpotrf is not None:
        c, info = dpotrf(B.T, lower=1, overwrite_a=1, clean=0)
        assert info == 0
        return c[-1, -1]  # B.T factored in place: L[n-1, n-1]
    return np.linalg.cholesky(B)[-1, -1]


def run():
    kernel = X @ X.T
    factor()
    agop = A @ A.T
    A @ X
    X @ R
    X @ W.T
    fin = F @ F.T
    last = factor()
    return {"kernel_trace": float(np.trace(kernel)), "agop_trace": float(np.trace(agop)), "final_trace": float(np.trace(fin)), "last_factor": float(last)}


out = run()  # warm-up
times, cpu = [], []
for _ in range(repeats):
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = run()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": out}))
