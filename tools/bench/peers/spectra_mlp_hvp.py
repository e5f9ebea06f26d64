"""NumPy peer of packages/spectra/bench/mlp-hessian-lanczos.bench.ts.

Model z = softplus(X W1 + b1) W2 + b2 with θ = [W1 (d×H), b1 (H), W2 (H×K), b2 (K)] row-major,
loss L = mean_i −log softmax(z_i)_{y_i}. The Hessian-vector product is Pearlmutter's R-operator
written by hand (float32 like tfjs), and Lanczos (full re-orthogonalisation, float64 basis) runs
`--steps` products from `--start`. Prints {"times_s": [...], "result": {"top": [Ritz values, desc]}}.
"""
import argparse
import json
import os
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--x", required=True)
ap.add_argument("--labels", required=True)
ap.add_argument("--params", required=True)
ap.add_argument("--start", required=True)
ap.add_argument("--hidden", type=int, required=True)
ap.add_argument("--steps", type=int, default=2)
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "1"))
X = np.load(a.x).astype(np.float32)
y = np.load(a.labels).astype(np.int64)
theta = np.load(a.params)
v0 = np.load(a.start)
N, d = X.shape
H = a.hidden
K = 10
Y = np.zeros((N, K), np.float32)
Y[np.arange(N), y] = 1
sizes = [d * H, H, H * K, K]
offs = np.cumsum([0] + sizes)


def split(v):
    v = v.astype(np.float32)
    return (v[offs[0]:offs[1]].reshape(d, H), v[offs[1]:offs[2]], v[offs[2]:offs[3]].reshape(H, K), v[offs[3]:offs[4]])


W1, b1, W2, b2 = split(theta)
A = X @ W1 + b1
S = 1 / (1 + np.exp(-A))          # softplus'(a)
Hh = np.logaddexp(0, A)           # softplus(a)
Z = Hh @ W2 + b2
Z -= Z.max(axis=1, keepdims=True)
P = np.exp(Z)
P /= P.sum(axis=1, keepdims=True)
dZ = (P - Y) / N
dH = dZ @ W2.T


def hvp(v):
    V1, c1, V2, c2 = split(v)
    RA = X @ V1 + c1
    RH = S * RA
    RZ = RH @ W2 + Hh @ V2 + c2
    RP = P * RZ - P * (P * RZ).sum(axis=1, keepdims=True)
    RdZ = RP / N
    RW2 = RH.T @ dZ + Hh.T @ RdZ
    Rb2 = RdZ.sum(axis=0)
    RdH = RdZ @ W2.T + dZ @ V2.T
    RdA = RdH * S + dH * (S * (1 - S)) * RA
    RW1 = X.T @ RdA
    Rb1 = RdA.sum(axis=0)
    return np.concatenate([RW1.ravel(), Rb1, RW2.ravel(), Rb2]).astype(np.float64)


def lanczos(v0, m):
    Q = []
    alpha, beta = [], []
    q = v0 / np.linalg.norm(v0)
    for j in range(m):
        Q.append(q)
        w = hvp(q)
        alpha.append(q @ w)
        w = w - alpha[-1] * q - (beta[-1] * Q[-2] if j > 0 else 0)
        Qm = np.array(Q)
        for _ in range(2):
            w = w - Qm.T @ (Qm @ w)
        b = np.linalg.norm(w)
        if j < m - 1:
            beta.append(b)
            q = w / b
    T = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    return np.linalg.eigh(T)[0][::-1]


vals = lanczos(v0, a.steps)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    vals = lanczos(v0, a.steps)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times_s": times, "result": {"top": [float(x) for x in vals]}}))
