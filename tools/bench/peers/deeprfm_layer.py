"""NumPy peer of packages/deep-rfm/bench/layer.bench.ts: one Deep RFM layer in float64.

Unit-norm rows, Laplace kernel exp(-||x-z||/2), solve (K + 1e-3 I) a = Y (+-1 one-hot), AGOP of the
predictor over the 10 outputs at the training points (self-pairs masked; stacked per-output gradients
as in the RFM reference code), normalised by its max, exact square root by eigh, ReLU features
relu(X M^{1/2} W^T) with the same W as ours.
Prints one JSON line: {"times_s": [...], "cpu_times_s": [...], "result": {"agop_sum", "feature_sum", "phases"}}.
"""
import argparse
import json
import os
import time

import numpy as np

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
    D2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (X @ X.T), 0.0)
    np.fill_diagonal(D2, 0.0)
    dist = np.sqrt(D2)
    K = np.exp(-dist / L)
    ph["kernel"] = time.perf_counter() - t
    t = time.perf_counter()
    alpha = np.linalg.solve(K + reg * np.eye(n), Y)
    ph["solve"] = time.perf_counter() - t
    t = time.perf_counter()
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.where(dist < 1e-10, 0.0, K / (L * dist))
    # gradient of output c at x_i: sum_j alpha_jc G_ij (x_j - x_i)
    step1 = (alpha[:, :, None] * X[:, None, :]).reshape(n, -1)
    centres = (G @ step1).reshape(n, 10, d)
    samples = (G @ alpha)[:, :, None] * X[:, None, :]
    grads = (centres - samples).reshape(n * 10, d)
    M = grads.T @ grads / n
    M /= M.max()
    ph["agop"] = time.perf_counter() - t
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
print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": {"agop_sum": float(M.sum()), "feature_sum": float(F.sum()), "phases": {k: round(v, 3) for k, v in ph.items()}}}))
