"""NumPy peer of packages/deep-rfm/bench/layer.bench.ts: one Deep RFM layer in float64.

Unit-norm rows, Laplace kernel exp(-||x-z||/2), solve (K + 1e-3 I) a = Y (+-1 one-hot), AGOP of the
predictor over the 10 outputs at the training points (self-pairs masked), normalised by its max, exact
square root by eigh, ReLU features relu(X M^{1/2} W^T) with the same W as ours.

NumPy's best route per phase (all float64):
- kernel: one GEMM X X^T, then the distance and exp passes in place (no N x N temporaries beyond K);
- solve: SciPy's Cholesky (cho_factor with overwrite_a, cho_solve: LAPACK dpotrf/dpotrs) when SciPy is
  installed, else np.linalg.solve (LU, dgesv);
- AGOP: the cheaper of two exact forms by flop count, as ours: the per-output gradient form
  (stacked gradients as in the RFM reference code, 2 K N^2 d) or the Gram form
  X^T (S X + diag(w) X) with S = (G G) * (a a^T) - G * (a A^T + A a^T), A = G a (N^3 + 4 N^2 d);
  the route taken is printed in "phases" as agop_route;
- square root: np.linalg.eigh (LAPACK dsyevd).
Prints one JSON line: {"times_s": [...], "cpu_times_s": [...], "result": {"agop_sum", "feature_sum", "phases"}}.
"""
import argparse
import json
import os
import time

import numpy as np

try:
    from scipy.linalg import cho_factor, cho_solve
except ImportError:  # NumPy alone: LU
    cho_factor = None

ap = argparse.ArgumentParser()
ap.add_argument("--x", required=True)
ap.add_argument("--labels", required=True)
ap.add_argument("--w", required=True)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "3"))
X0 = np.load(a.x)
labels = np.load(a.labels).astype(int)
W = np.load(a.w)
L, reg = 2.0, 1e-3


def layer():
    ph = {}
    t = time.perf_counter()
    X = X0 / np.linalg.norm(X0, axis=1, keepdims=True)
    n, d = X.shape
    Y = -np.ones((n, 10))
    Y[np.arange(n), labels] = 1.0
    sq = np.sum(X * X, axis=1)
    dist = X @ X.T
    dist *= -2.0
    dist += sq[:, None]
    dist += sq[None, :]
    np.maximum(dist, 0.0, out=dist)
    np.fill_diagonal(dist, 0.0)
    np.sqrt(dist, out=dist)
    K = np.exp(dist / -L)
    ph["kernel"] = time.perf_counter() - t
    t = time.perf_counter()
    if cho_factor is not None:
        A = K.copy()
        A.flat[:: n + 1] += reg
        alpha = cho_solve(cho_factor(A, lower=True, overwrite_a=True, check_finite=False), Y, check_finite=False)
        del A
    else:
        alpha = np.linalg.solve(K + reg * np.eye(n), Y)
    ph["solve"] = time.perf_counter() - t
    t = time.perf_counter()
    # gradient weights G_ij = k / (L d), self-pairs 0, in place of K
    G = K
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(G, dist * L, out=G)
    G[dist < 1e-10] = 0.0
    del dist
    Aw = G @ alpha
    k_out = alpha.shape[1]
    if 2 * k_out * n * n * d <= n ** 3 + 4 * n * n * d:
        route = "gradient"
        # gradient of output c at x_i: sum_j alpha_jc G_ij (x_j - x_i)
        step1 = (alpha[:, :, None] * X[:, None, :]).reshape(n, -1)
        centres = (G @ step1).reshape(n, k_out, d)
        centres -= Aw[:, :, None] * X[:, None, :]
        grads = centres.reshape(n * k_out, d)
        M = grads.T @ grads / n
    else:
        route = "gram"
        S = G @ G
        S *= alpha @ alpha.T
        S -= G * (alpha @ Aw.T + Aw @ alpha.T)
        w = np.sum(Aw * Aw, axis=1)
        M = X.T @ (S @ X + w[:, None] * X) / n
        del S
    M = (M + M.T) / 2
    M /= M.max()
    ph["agop"] = time.perf_counter() - t
    ph["agop_route"] = route
    t = time.perf_counter()
    w, V = np.linalg.eigh(M)
    root = (V * np.sqrt(np.clip(w, 0, None))) @ V.T
    ph["sqrt"] = time.perf_counter() - t
    t = time.perf_counter()
    F = np.maximum((X @ root) @ W.T, 0.0)
    ph["features"] = time.perf_counter() - t
    return M, F, ph


layer()
times, cpu = [], []
for _ in range(repeats):
    t0, c0 = time.perf_counter(), time.process_time()
    M, F, ph = layer()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": {"agop_sum": float(M.sum()), "feature_sum": float(F.sum()), "phases": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in ph.items()}}}))
