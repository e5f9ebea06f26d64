"""PyTorch peer of packages/nn-probes/bench/probe.bench.ts (train-epoch), the way a researcher writes it:
nn.Sequential of bias-free nn.Linear + ReLU, nn.MSELoss on ±1 one-hot targets, torch.optim.SGD (lr 0.05,
batch 128, no momentum), float32 on the CPU, from the same initial weights; timed like one `trainMlp`
call with `epochs: 1`: loss and accuracy of the whole training set, one epoch, loss and accuracy again.
Threads: `NCLAB_TORCH_THREADS`, else every core (Debian's torch defaults to one thread here).

Prints one JSON line: {"times_s": [...], "result": {"loss_after": ..., "samples_per_second": ..., "threads": ...}}.
"""
import argparse
import json
import os
import time

import numpy as np
import torch


def build(ws):
    layers = []
    for i, w in enumerate(ws):
        lin = torch.nn.Linear(w.shape[1], w.shape[0], bias=False)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
        layers.append(lin)
        if i < len(ws) - 1:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def evaluate(net, x, y, labels):
    with torch.no_grad():
        out = net(x)
        acc = float((out.argmax(1) == labels).float().mean())
        return float(torch.nn.functional.mse_loss(out, y)), acc


def train_call(ws, x, y, labels, seed):
    net = build(ws)
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    loss_fn = torch.nn.MSELoss()
    evaluate(net, x, y, labels)
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(x.shape[0], generator=g)
    for s in range(0, x.shape[0], 128):
        idx = perm[s:s + 128]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return evaluate(net, x, y, labels)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--w", action="append", required=True)
    ap.add_argument("--w0", action="append")
    args = ap.parse_args()
    threads = int(os.environ.get("NCLAB_BENCH_THREADS") or os.environ.get("NCLAB_TORCH_THREADS") or os.cpu_count() or 1)
    torch.set_num_threads(threads)
    x = torch.from_numpy(np.load(args.x).astype(np.float32))
    labels_np = np.load(args.labels).astype(np.int64)
    labels = torch.from_numpy(labels_np)
    ws = [np.load(p).astype(np.float32) for p in args.w]
    K = ws[-1].shape[0]
    y = -torch.ones((x.shape[0], K), dtype=torch.float32)
    y[torch.arange(x.shape[0]), labels] = 1
    repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
    train_call(ws, x, y, labels, 0)
    times = []
    out = 0.0
    for r in range(repeats):
        t = time.perf_counter()
        out = train_call(ws, x, y, labels, r)
        times.append(time.perf_counter() - t)
    print(json.dumps({"times_s": times, "result": {"loss_after": out, "samples_per_second": x.shape[0] / float(np.median(times)), "threads": threads}}))


if __name__ == "__main__":
    main()
