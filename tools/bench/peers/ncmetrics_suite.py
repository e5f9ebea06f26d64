"""NumPy peer of packages/nc-metrics/bench/suite.bench.ts: the full NC metric suite computed the way the
Python references do it (rhubarbwu/neural-collapse, the Papyan Colab, Zhu et al.'s validate_NC.py):
class means, then the explicit d×d within-class covariance Σ_W = RᵀR/N and between-class covariance
Σ_B, an eigendecomposition of Σ_B for the top-(K−1) pseudo-inverse, and NCC decisions from
‖x‖² + ‖μ‖² − 2xᵀμ. Statistics in float64 (as ours), logits/NCC distances in float64 too.

Conventions (same as computeMetrics' fixed keys): global mean = average of class means; Σ_W / N;
Σ_B / K; NC1 pinv = tr(Σ_W Σ_B^†)/K with the top K−1 eigenpairs.

Prints one JSON line: {"times_s": [...], "result": {metric: value, ...}}.
"""
import argparse
import json
import os
import time

import numpy as np


def suite(X, y, W, b, K):
    N, d = X.shape
    Xd = X.astype(np.float64)
    counts = np.bincount(y, minlength=K).astype(np.float64)
    onehot = np.zeros((N, K))
    onehot[np.arange(N), y] = 1.0
    M = (onehot.T @ Xd) / counts[:, None]  # [K, d]
    mu_g = M.mean(axis=0)
    Mc = M - mu_g
    R = Xd - M[y]
    Sw = (R.T @ R) / N  # explicit d×d, as the references do
    Sb = (Mc.T @ Mc) / K
    lam, V = np.linalg.eigh(Sb)
    lam, V = lam[::-1][: K - 1], V[:, ::-1][:, : K - 1]
    inv_sb = (V / lam) @ V.T
    nc1_pinv = float(np.trace(Sw @ inv_sb) / K)
    tr_w, tr_b = float(np.trace(Sw)), float(np.trace(Sb))
    tr_t = float(((Xd - mu_g) ** 2).sum() / N)
    # CDNV
    var_c = np.bincount(y, weights=(R * R).sum(axis=1), minlength=K) / counts
    iu = np.triu_indices(K, 1)
    dist = ((M[:, None, :] - M[None, :, :]) ** 2).sum(-1)
    cdnv = float(((var_c[:, None] + var_c[None, :])[iu] / (2 * dist[iu])).mean())
    # NC2
    norms = np.linalg.norm(Mc, axis=1)
    H = Mc / norms[:, None]
    etf = (K / (K - 1)) * (np.eye(K) - np.ones((K, K)) / K)
    nc2_etf = float(np.linalg.norm(H @ H.T - etf))
    G = Mc @ Mc.T
    nc2_gram = float(np.linalg.norm(G / np.linalg.norm(G) - (np.eye(K) - 1.0 / K) / np.sqrt(K - 1)))
    equinorm = float(norms.std(ddof=1) / norms.mean())
    cos = H @ H.T
    off = ~np.eye(K, dtype=bool)
    equiangular = float(np.abs(cos[off] + 1.0 / (K - 1)).mean())
    # NC3, NC4, NCC
    Wd = W.astype(np.float64)
    nc3 = float(np.linalg.norm(Wd / np.linalg.norm(Wd) - Mc / np.linalg.norm(Mc)))
    logits = Xd @ Wd.T + b
    d2 = (Xd * Xd).sum(1)[:, None] + (M * M).sum(1)[None, :] - 2 * Xd @ M.T
    ncc = d2.argmin(1)
    pred = logits.argmax(1)
    s = np.linalg.svd(Mc, compute_uv=False)
    return {
        "nc1_pinv": nc1_pinv,
        "nc1_trace_ratio": tr_w / tr_b,
        "nc1_within_total": tr_w / tr_t,
        "nc1_cdnv": cdnv,
        "nc2_etf": nc2_etf,
        "nc2_etf_gram": nc2_gram,
        "nc2_equinorm": equinorm,
        "nc2_equiangular": equiangular,
        "nc3": nc3,
        "nc4": float((pred != ncc).mean()),
        "ncc_accuracy": float((ncc == y).mean()),
        "mean_sv_max": float(s[0]),
    }


ap = argparse.ArgumentParser()
ap.add_argument("--features", required=True)
ap.add_argument("--labels", required=True)
ap.add_argument("--classifier", required=True)
ap.add_argument("--bias", required=True)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
X = np.load(a.features)
y = np.load(a.labels).astype(np.int64)
W = np.load(a.classifier)
b = np.load(a.bias).astype(np.float64)
K = int(y.max()) + 1
result = suite(X, y, W, b, K)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    result = suite(X, y, W, b, K)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": result}))
