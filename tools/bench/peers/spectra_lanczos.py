"""NumPy peer of packages/spectra/bench/lanczos-wishart.bench.ts.

Lanczos with full re-orthogonalisation (classical Gram-Schmidt twice) for `--steps` steps on the
dense symmetric matrix in `--input`, from the start vector in `--start`; the Ritz values come from
np.linalg.eigh of the tridiagonal matrix. Prints {"times_s": [...], "result": {"top": [k largest]}}.
"""
import argparse
import json
import os
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
ap.add_argument("--start", required=True)
ap.add_argument("--steps", type=int, default=100)
ap.add_argument("--k", type=int, default=10)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
A = np.load(a.input)
v0 = np.load(a.start)


def lanczos(A, v0, m):
    n = v0.shape[0]
    Q = np.zeros((m, n))
    alpha = np.zeros(m)
    beta = np.zeros(max(m - 1, 0))
    q = v0 / np.linalg.norm(v0)
    for j in range(m):
        Q[j] = q
        w = A @ q
        alpha[j] = q @ w
        w -= alpha[j] * q
        if j > 0:
            w -= beta[j - 1] * Q[j - 1]
        for _ in range(2):
            w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        b = np.linalg.norm(w)
        if j < m - 1:
            beta[j] = b
            q = w / b
    T = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    return np.linalg.eigh(T)[0][::-1]


vals = lanczos(A, v0, a.steps)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    vals = lanczos(A, v0, a.steps)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"top": [float(x) for x in vals[: a.k]]}}))
