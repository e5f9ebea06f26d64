"""PyTorch peer of packages/spectra/bench/mlp-hessian-lanczos.bench.ts.

Model z = softplus(X W1 + b1) W2 + b2 with θ = [W1 (d×H), b1 (H), W2 (H×K), b2 (K)] row-major,
loss L = mean_i −log softmax(z_i)_{y_i} (F.cross_entropy), float32. Each Hessian-vector product is
torch.autograd double backward (grad with create_graph, then the gradient of g·v), as PyHessian does;
Lanczos (full re-orthogonalisation, float64 basis, NumPy) runs `--steps` products from `--start`.
Threads: `NCLAB_TORCH_THREADS`, else every core. Prints {"times_s": [...], "result": {"top": [...]}}.
"""
import argparse
import json
import os
import time

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--x", required=True)
ap.add_argument("--labels", required=True)
ap.add_argument("--params", required=True)
ap.add_argument("--start", required=True)
ap.add_argument("--hidden", type=int, required=True)
ap.add_argument("--steps", type=int, default=2)
a = ap.parse_args()
torch.set_num_threads(int(os.environ.get("NCLAB_BENCH_THREADS") or os.environ.get("NCLAB_TORCH_THREADS") or os.cpu_count() or 1))
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "1"))
X = torch.from_numpy(np.load(a.x).astype(np.float32))
y = torch.from_numpy(np.load(a.labels).astype(np.int64))
theta = np.load(a.params)
v0 = np.load(a.start)
N, d = X.shape
H = a.hidden
K = 10
shapes = [(d, H), (H,), (H, K), (K,)]
sizes = [int(np.prod(s)) for s in shapes]
offs = np.cumsum([0] + sizes)


def split(v):
    return [torch.from_numpy(np.ascontiguousarray(v[offs[i]:offs[i + 1]], dtype=np.float32)).reshape(shapes[i]) for i in range(4)]


params = [p.requires_grad_(True) for p in split(theta)]


def loss_fn(W1, b1, W2, b2):
    return torch.nn.functional.cross_entropy(torch.nn.functional.softplus(X @ W1 + b1) @ W2 + b2, y)


grads = torch.autograd.grad(loss_fn(*params), params, create_graph=True)


def hvp(v):
    vs = split(v)
    gv = sum((g * vi).sum() for g, vi in zip(grads, vs))
    hv = torch.autograd.grad(gv, params, retain_graph=True)
    return np.concatenate([h.detach().numpy().ravel() for h in hv]).astype(np.float64)


def lanczos(v0, m):
    Q = np.zeros((m, v0.shape[0]))
    alpha, beta = [], []
    q = v0 / np.linalg.norm(v0)
    for j in range(m):
        Q[j] = q
        w = hvp(q)
        alpha.append(q @ w)
        w = w - alpha[-1] * q - (beta[-1] * Q[j - 1] if j > 0 else 0)
        for _ in range(2):
            w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
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
