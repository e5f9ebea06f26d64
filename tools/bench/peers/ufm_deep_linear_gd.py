"""NumPy peer of packages/ufm/bench/deep-linear-gd.bench.ts.

Full-batch gradient descent on the deep linear UFM (Garrod & Keating scaling)
    F = 1/(2N)||W_L...W_1 H_1 - Y||^2 + sum_l lam/2 ||W_l||^2 + lam/2 ||H_1||^2
from the same starting point (the flat vector [W_1 | ... | W_L | H_1] written by the bench as .npy),
with the same gradient algorithm as @nclab/ufm: P = W_L...W_1, Z = P H, G = dZ H^T,
grad H = P^T dZ, grad W_l = A_l^T (G B_l^T) with prefix/suffix products. Prints the final objective.
"""
import argparse
import json
import os
import time

import numpy as np


def unpack(x, K, N, dims):
    ws, off = [], 0
    L = len(dims)
    for l in range(L):
        rows = dims[l + 1] if l + 1 < L else K
        ws.append(x[off:off + rows * dims[l]].reshape(rows, dims[l]))
        off += rows * dims[l]
    h = x[off:off + dims[0] * N].reshape(dims[0], N)
    return ws, h


def run(x0, K, n, dims, lam, lr, steps):
    N = K * n
    L = len(dims)
    y = np.kron(np.eye(K), np.ones((1, n)))
    x = x0.copy()
    ws, h = unpack(x, K, N, dims)  # views into x: updated in place
    g = np.empty_like(x)
    gws, gh = unpack(g, K, N, dims)
    c_data = 1.0 / (2 * N)
    f = 0.0
    for step in range(steps + 1):
        # A[l] = W_L ... W_{l+1} (A[L-1] = I); P = A[0] W_1
        a = [None] * L
        if L > 1:
            a[L - 2] = ws[L - 1]
            for l in range(L - 2, 0, -1):
                a[l - 1] = a[l] @ ws[l]
            p = a[0] @ ws[0]
        else:
            p = ws[0]
        r = p @ h - y
        f = c_data * np.vdot(r, r)
        dz = (2 * c_data) * r
        np.matmul(p.T, dz, out=gh)
        c = dz @ h.T
        for l in range(L):
            if l > 0:
                c = c @ ws[l - 1].T
            if l == L - 1:
                gws[l][...] = c
            else:
                np.matmul(a[l].T, c, out=gws[l])
        reg = 0.0
        for l in range(L):
            reg += 0.5 * lam * np.vdot(ws[l], ws[l])
        reg += 0.5 * lam * np.vdot(h, h)
        f += reg
        g += lam * x
        if step == steps:
            break
        x -= lr * g
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--K", type=int, required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--dims", required=True, help="comma list d_1..d_L")
    ap.add_argument("--lam", type=float, required=True)
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--steps", type=int, required=True)
    args = ap.parse_args()
    dims = [int(v) for v in args.dims.split(",")]
    x0 = np.load(args.input).astype(np.float64).ravel()
    repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
    f = run(x0, args.K, args.n, dims, args.lam, args.lr, args.steps)  # untimed warm-up
    times, cpu = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        f = run(x0, args.K, args.n, dims, args.lam, args.lr, args.steps)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": {"objective": float(f), "steps": args.steps}}))


if __name__ == "__main__":
    main()
