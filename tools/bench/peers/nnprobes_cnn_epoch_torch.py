"""PyTorch peer of packages/nn-probes/bench/cnn.bench.ts: one epoch of minibatch SGD (lr 0.05, batch 64,
no momentum) on the bias-free VGG-style CNN of `nclab probe cnn` (3×3 'same' conv → ReLU → 2×2 max pool per
block, flatten in (h, w, c) order, ReLU hidden layers, linear head), MSE on ±1 one-hot targets (mean over
N·K entries), float32 on the CPU, from the same initial weights and in the same sample order as nclab.
Needs torch (Debian's python3-torch: /usr/bin/python3).

Prints one JSON line: {"times_s": [...], "result": {"loss_after": ..., "samples_per_second": ...}}.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F


def forward(convs, fcs, x):
    h = x
    for w in convs:
        h = F.max_pool2d(F.relu(F.conv2d(h, w, padding=w.shape[-1] // 2)), 2)
    h = h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)  # nclab flattens channels-last
    for w in fcs[:-1]:
        h = F.relu(h @ w.T)
    return h @ fcs[-1].T


def epoch(convs0, fcs0, x, y, perm, lr, batch):
    params = [w.clone().requires_grad_(True) for w in convs0 + fcs0]
    nc = len(convs0)
    for s in range(0, x.shape[0], batch):
        idx = perm[s:s + batch]
        loss = torch.mean((forward(params[:nc], params[nc:], x[idx]) - y[idx]) ** 2)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= lr * g
    return [p.detach() for p in params]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True, help="images [N, H, W, C] float32")
    ap.add_argument("--labels", required=True)
    ap.add_argument("--perm", required=True, help="nclab's sample order of the epoch")
    ap.add_argument("--conv", action="append", required=True, help="[C_out, C_in*k*k] per block")
    ap.add_argument("--fc", action="append", required=True, help="[out, in] per FC layer")
    ap.add_argument("--kernel", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("NCLAB_BENCH_THREADS", "2")))
    x = torch.from_numpy(np.load(args.x).astype(np.float32)).permute(0, 3, 1, 2).contiguous()
    labels = np.load(args.labels).astype(np.int64)
    perm = torch.from_numpy(np.load(args.perm).astype(np.int64))
    k = args.kernel
    convs = []
    for p in args.conv:
        w = np.load(p).astype(np.float32)
        convs.append(torch.from_numpy(w.reshape(w.shape[0], -1, k, k).copy()))
    fcs = [torch.from_numpy(np.load(p).astype(np.float32)) for p in args.fc]
    K = fcs[-1].shape[0]
    y = -torch.ones((x.shape[0], K))
    y[torch.arange(x.shape[0]), torch.from_numpy(labels)] = 1
    repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "3"))
    epoch(convs, fcs, x, y, perm, 0.05, 64)  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = epoch(convs, fcs, x, y, perm, 0.05, 64)
        times.append(time.perf_counter() - t)
    with torch.no_grad():
        loss = float(torch.mean((forward(out[:len(convs)], out[len(convs):], x) - y) ** 2))
    print(json.dumps({"times_s": times, "result": {"loss_after": loss, "samples_per_second": x.shape[0] / float(np.median(times))}}))


if __name__ == "__main__":
    main()
