"""NumPy peer of packages/nn-probes/bench/probe.bench.ts (train-epoch): what one `trainMlp` call with
`epochs: 1` does: the loss and accuracy of the whole training set at initialisation, one epoch of
minibatch SGD (lr 0.05, batch 128, no momentum) on a bias-free ReLU MLP with MSE on ±1 one-hot targets
(mean over N·K entries), float32, hand-written forward and backward passes, from the same initial
weights, then the loss and accuracy again. The PyTorch peer is nnprobes_train_torch.py.

Prints one JSON line: {"times_s": [...], "result": {"loss_after": ..., "samples_per_second": ...}}.
"""
import argparse
import json
import os
import time

import numpy as np


def epoch(ws, x, y, lr, batch, rng):
    ws = [w.copy() for w in ws]
    n = x.shape[0]
    perm = rng.permutation(n)
    for s in range(0, n, batch):
        idx = perm[s:s + batch]
        h = [x[idx]]
        zs = []
        for w in ws[:-1]:
            z = h[-1] @ w.T
            zs.append(z)
            h.append(np.maximum(z, 0))
        out = h[-1] @ ws[-1].T
        g = (2.0 / out.size) * (out - y[idx])  # d mean((out−y)²) / d out
        grads = [None] * len(ws)
        grads[-1] = g.T @ h[-1]
        g = g @ ws[-1]
        for l in range(len(ws) - 2, -1, -1):
            g = g * (zs[l] > 0)
            grads[l] = g.T @ h[l]
            if l > 0:
                g = g @ ws[l]
        for l in range(len(ws)):
            ws[l] -= np.float32(lr) * grads[l]
    return ws


def loss(ws, x, y, labels=None):
    h = x
    for w in ws[:-1]:
        h = np.maximum(h @ w.T, 0)
    out = h @ ws[-1].T
    if labels is not None:
        float(np.mean(out.argmax(1) == labels))  # the accuracy trainMlp reports beside the loss
    return float(np.mean((out - y) ** 2))


def train_call(ws, x, y, labels, rng):
    loss(ws, x, y, labels)
    out = epoch(ws, x, y, 0.05, 128, rng)
    loss(out, x, y, labels)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--w", action="append", required=True)
    ap.add_argument("--w0", action="append")
    args = ap.parse_args()
    x = np.load(args.x).astype(np.float32)
    labels = np.load(args.labels).astype(np.int64)
    ws = [np.load(p).astype(np.float32) for p in args.w]
    K = ws[-1].shape[0]
    y = -np.ones((x.shape[0], K), dtype=np.float32)
    y[np.arange(x.shape[0]), labels] = 1
    repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
    train_call(ws, x, y, labels, np.random.default_rng(0))
    times = []
    for r in range(repeats):
        t = time.perf_counter()
        out = train_call(ws, x, y, labels, np.random.default_rng(r))
        times.append(time.perf_counter() - t)
    print(json.dumps({"times_s": times, "result": {"loss_after": loss(out, x, y), "samples_per_second": x.shape[0] / float(np.median(times))}}))


if __name__ == "__main__":
    main()
