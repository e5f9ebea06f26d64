"""PyTorch (CPU) peer of packages/ufm/bench/deep-linear-gd.bench.ts: the NumPy peer's algorithm in torch.

Same start (the .npy written by the bench), same float64 gradient descent on the deep linear UFM,
F = 1/(2N)||W_L...W_1 H_1 - Y||^2 + sum_l lam/2 ||W_l||^2 + lam/2 ||H_1||^2, with the same
prefix/suffix products and in-place updates (torch.matmul(..., out=), add_). Threads:
NCLAB_BENCH_THREADS (the harness sets the core count). Prints the final objective.
"""
import argparse
import json
import os
import time

import numpy as np
import torch


def unpack(x, K, N, dims):
    ws, off = [], 0
    L = len(dims)
    for l in range(L):
        rows = dims[l + 1] if l + 1 < L else K
        ws.append(x[off:off + rows * dims[l]].view(rows, dims[l]))
        off += rows * dims[l]
    return ws, x[off:off + dims[0] * N].view(dims[0], N)


def run(x0, K, n, dims, lam, lr, steps):
    N = K * n
    L = len(dims)
    y = torch.kron(torch.eye(K, dtype=torch.float64), torch.ones((1, n), dtype=torch.float64))
    x = x0.clone()
    ws, h = unpack(x, K, N, dims)
    g = torch.empty_like(x)
    gws, gh = unpack(g, K, N, dims)
    c_data = 1.0 / (2 * N)
    f = 0.0
    with torch.no_grad():
        for step in range(steps + 1):
            a = [None] * L
            if L > 1:
                a[L - 2] = ws[L - 1]
                for l in range(L - 2, 0, -1):
                    a[l - 1] = a[l] @ ws[l]
                p = a[0] @ ws[0]
            else:
                p = ws[0]
            r = p @ h - y
            f = c_data * float(torch.dot(r.view(-1), r.view(-1)))
            dz = (2 * c_data) * r
            torch.matmul(p.T, dz, out=gh)
            c = dz @ h.T
            for l in range(L):
                if l > 0:
                    c = c @ ws[l - 1].T
                if l == L - 1:
                    gws[l].copy_(c)
                else:
                    torch.matmul(a[l].T, c, out=gws[l])
            f += 0.5 * lam * float(torch.dot(x, x))
            g.add_(x, alpha=lam)
            if step == steps:
                break
            x.add_(g, alpha=-lr)
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
    torch.set_num_threads(int(os.environ.get("NCLAB_BENCH_THREADS", "1")))
    dims = [int(v) for v in args.dims.split(",")]
    x0 = torch.from_numpy(np.load(args.input).astype(np.float64).ravel())
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
