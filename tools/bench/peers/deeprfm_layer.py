"""NumPy peer of packages/deep-rfm/bench/layer.bench.ts: one Deep RFM layer in float64.

Unit-norm rows, Laplace kernel exp(-||x-z||/2), solve (K + 1e-3 I) a = Y (+-1 one-hot), AGOP of the
predictor over the 10 outputs at the training points (self-pairs masked), normalised by its max, exact
square root by eigh, ReLU features relu(X M^{1/2} W^T) with the same W as ours.

NumPy's best route per phase (all float64):
- kernel: one GEMM X X^T, then the distance and exp passes in place (no N x N temporaries beyond K);
- solve: SciPy's Cholesky (cho_factor with overwrite_a on the Fortran-ordered view, cho_solve: LAPACK
  dpotrf/dpotrs; the final regression's kernel factored in place) when SciPy is installed, else
  np.linalg.solve (LU, dgesv);
- AGOP: the cheaper of two exact forms by flop count, as ours: the per-output gradient form
  (stacked gradients as in the RFM reference code, 2 K N^2 d) or the Gram form
  X^T (S X + diag(w) X) with S = (G G^T) * (a a^T) - G * (a A^T + A a^T), A = G a (N^3 + 4 N^2 d: G G^T
  by dsyrk);
  the route taken is printed in "phases" as agop_route;
- square root: np.linalg.eigh (LAPACK dsyevd).
With --once: one layer and the job's final regression (unit-norm features, Laplace kernel, Cholesky solve,
train accuracy), then one JSON line with the phases, NC1 of the input and of the AGOP point X M^{1/2}, and
the peak RSS (the whole-process peer deeprfm_layer_process.py runs it in a fresh process per repetition).
Otherwise prints one JSON line: {"times_s": [...], "cpu_times_s": [...], "result": {"agop_sum", "feature_sum", "phases"}}.
"""
import argparse
import json
import os
import resource
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
ap.add_argument("--once", action="store_true", help="one layer and the final regression, then exit (whole-process mode)")
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "3"))
X0 = np.load(a.x)
labels = np.load(a.labels).astype(int)
W = np.load(a.w)
L, reg = 2.0, 1e-3


def laplace(X, keep_dist=True):
    """Distances (kept for the AGOP's gradient weights) and the Laplace kernel exp(-||x-z||/L)."""
    sq = np.sum(X * X, axis=1)
    dist = X @ X.T
    dist *= -2.0
    dist += sq[:, None]
    dist += sq[None, :]
    np.maximum(dist, 0.0, out=dist)
    np.fill_diagonal(dist, 0.0)
    np.sqrt(dist, out=dist)
    if not keep_dist:  # the kernel in place of the distances: one N x N buffer
        dist /= -L
        np.exp(dist, out=dist)
        return None, dist
    K = dist / -L
    np.exp(K, out=K)
    return dist, K


def ridge_solve(K, Y, keep=True):
    """(K + reg I)^{-1} Y by Cholesky (SciPy) or LU (NumPy alone); K is left as it was when keep, else factored in place.

    SciPy's LAPACK wrappers copy a C-ordered array to Fortran order before factoring; K + reg I is symmetric, so
    its transpose (a Fortran-ordered view of the same memory, the same matrix) is factored in place instead
    (N = 5,000: 0.37-0.41 s against 0.48-0.84 s with the copy)."""
    n = K.shape[0]
    if cho_factor is not None:
        A = K.copy() if keep else K
        A.flat[:: n + 1] += reg
        alpha = cho_solve(cho_factor(A.T, lower=True, overwrite_a=True, check_finite=False), Y, check_finite=False)
        del A
        return alpha
    return np.linalg.solve(K + reg * np.eye(n), Y)


def nc1(Z, labels):
    """tr(Sigma_W)/tr(Sigma_B), Sigma_W over N, Sigma_B over the K class means about their mean (nclab's convention)."""
    means = np.stack([Z[labels == c].mean(axis=0) for c in range(10)])
    within = sum(float(np.sum((Z[labels == c] - means[c]) ** 2)) for c in range(10)) / Z.shape[0]
    between = float(np.sum((means - means.mean(axis=0)) ** 2)) / 10
    return within / between


def layer():
    ph = {}
    t = time.perf_counter()
    X = X0 / np.linalg.norm(X0, axis=1, keepdims=True)
    n, d = X.shape
    Y = -np.ones((n, 10))
    Y[np.arange(n), labels] = 1.0
    dist, K = laplace(X)
    ph["kernel"] = time.perf_counter() - t
    t = time.perf_counter()
    alpha = ridge_solve(K, Y)
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
        # G is symmetric, so G G = G G^T; NumPy sends a product with its own transpose to dsyrk (N^3 flops),
        # where G @ G is a general dgemm (2 N^3): 0.80 s against 1.48 s at N = 5,000 on this machine
        S = G @ G.T
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
    Z = X @ root
    F = np.maximum(Z @ W.T, 0.0)
    ph["features"] = time.perf_counter() - t
    return M, F, ph, (X, Z, Y)


def final_regression(F, Y):
    """The job's last step after the layer: unit-norm features, Laplace kernel (in place), ridge solve, train accuracy."""
    Xf = F / np.linalg.norm(F, axis=1, keepdims=True)
    _, K = laplace(Xf, keep_dist=False)
    alpha = ridge_solve(K, Y, keep=False)  # nothing needs K afterwards: factored in place, as ours
    del K
    return float(np.mean(np.argmax(Y - reg * alpha, axis=1) == labels))


if a.once:
    # one layer and the final regression in this process: the whole-process peer times the process
    # (tools/bench/peers/deeprfm_layer_process.py) and this prints the phases and the peak RSS.
    t0 = time.perf_counter()
    M, F, ph, (Xn, Z, Y) = layer()
    t = time.perf_counter()
    acc = final_regression(F, Y)
    ph["final"] = time.perf_counter() - t
    print(json.dumps({
        "nc1_in": nc1(Xn, labels), "nc1_agop": nc1(Z, labels), "final_train_acc": acc,
        "phases": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in ph.items()},
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))
    raise SystemExit(0)


layer()
times, cpu = [], []
for _ in range(repeats):
    t0, c0 = time.perf_counter(), time.process_time()
    M, F, ph, _ = layer()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": {"agop_sum": float(M.sum()), "feature_sum": float(F.sum()), "phases": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in ph.items()}}}))
