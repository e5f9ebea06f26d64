"""NumPy peer of packages/nn-probes/bench/probe.bench.ts (probe): one full probe of a bias-free ReLU
MLP at N = 2,000, the way the Python references do it (float64 statistics, explicit matrices):
- forward pass keeping every layer input, pre-activation and output;
- per feature set (input / pre-activation / output of each hidden layer, logits): class means, tr Σ_W
  (1/N), tr Σ_B (1/K, global mean = average of class means), Σ_B eigenpairs and NC2 ETF error;
- SVD of every weight matrix (singular values, numerical rank);
- AGOP of every sub-network with respect to its layer input: per-sample Jacobians for all K outputs
  by the chain rule (the role of torch.func.vmap(jacrev) in the references), G_lᵀG_l / N, plus the
  centred AGOP;
- AGOP^{1/2} by eigh, and Pearson correlations of WᵀW and (W−W₀)ᵀ(W−W₀) with it.

Prints one JSON line: {"times_s": [...], "result": {"nc1_right": [...], "nfa_corr_sqrt": [...], ...}}.
"""
import argparse
import json
import os
import time

import numpy as np


def nc(X, y, K):
    X = X.astype(np.float64)
    N = X.shape[0]
    M = np.stack([X[y == k].mean(0) for k in range(K)])
    mg = M.mean(0)
    R = X - M[y]
    trw = float((R * R).sum() / N)
    Mc = M - mg
    Sb = Mc.T @ Mc / K
    np.linalg.eigvalsh(Mc @ Mc.T / K)  # the K×K form of Σ_B's spectrum
    trb = float(np.trace(Sb))
    H = Mc / np.linalg.norm(Mc, axis=1, keepdims=True)
    etf = (K / (K - 1)) * (np.eye(K) - np.ones((K, K)) / K)
    return trw / trb, float(np.linalg.norm(H @ H.T - etf))


def corr(a, b):
    a = a.ravel() - a.mean()
    b = b.ravel() - b.mean()
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


def psd_sqrt(a):
    lam, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(lam, 0, None))) @ v.T


def probe(x, y, ws, w0s):
    K = ws[-1].shape[0]
    L = len(ws) - 1
    h = [x]
    zs = []
    for w in ws[:-1]:
        z = h[-1] @ w.T
        zs.append(z)
        h.append(np.maximum(z, 0))
    logits = h[-1] @ ws[-1].T
    nc1 = {}
    for l in range(L):
        nc1[(l, "input")] = nc(h[l], y, K)
        nc1[(l, "right")] = nc(zs[l], y, K)
        nc1[(l, "output")] = nc(h[l + 1], y, K)
    nc1[(L, "logits")] = nc(logits, y, K)
    spectra = [np.linalg.svd(w.astype(np.float64), compute_uv=False) for w in ws]
    ranks = [int((s > max(w.shape) * np.finfo(np.float64).eps * s[0]).sum()) for s, w in zip(spectra, ws)]
    N = x.shape[0]
    # Jacobians of all K outputs with respect to each layer input, stacked [K, N, d_l].
    g = np.broadcast_to(ws[-1][:, None, :], (K, N, ws[-1].shape[1])).astype(np.float32)
    agops, cagops = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        g = (g * (zs[l] > 0)[None]) @ ws[l]  # [K, N, d_l]
        G = g.reshape(-1, g.shape[-1]).astype(np.float64)
        A = G.T @ G / N
        gbar = g.mean(1).astype(np.float64)  # [K, d_l]
        agops[l] = A
        cagops[l] = A - gbar.T @ gbar
    out = {"nc1_right": [], "nfa_corr": [], "nfa_corr_sqrt": [], "nfa_corr_sqrt_delta": [], "nfa_corr_sqrt_centred": [], "ranks": ranks}
    for l in range(L):
        w = ws[l].astype(np.float64)
        dw = w - w0s[l].astype(np.float64)
        root = psd_sqrt(agops[l])
        croot = psd_sqrt(cagops[l])
        out["nc1_right"].append(nc1[(l, "right")][0])
        out["nfa_corr"].append(corr(w.T @ w, agops[l]))
        out["nfa_corr_sqrt"].append(corr(w.T @ w, root))
        out["nfa_corr_sqrt_delta"].append(corr(dw.T @ dw, root))
        out["nfa_corr_sqrt_centred"].append(corr(w.T @ w, croot))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--w", action="append", required=True)
    ap.add_argument("--w0", action="append", required=True)
    args = ap.parse_args()
    x = np.load(args.x).astype(np.float32)
    y = np.load(args.labels).astype(np.int64)
    ws = [np.load(p).astype(np.float32) for p in args.w]
    w0s = [np.load(p).astype(np.float32) for p in args.w0]
    repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
    result = probe(x, y, ws, w0s)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = probe(x, y, ws, w0s)
        times.append(time.perf_counter() - t)
    print(json.dumps({"times_s": times, "result": result}))


if __name__ == "__main__":
    main()
