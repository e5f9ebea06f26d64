"""NumPy peer of packages/backend/bench/primitives.bench.ts: one primitive on the [n, n] input.

--op gemm (np.matmul(a, a, out=c), float64), sgemm (the same in float32, input cast once untimed),
syrk (a.T @ a: NumPy calls dsyrk for a product with its own transpose), cholesky
(np.linalg.cholesky), eigh (np.linalg.eigh, values and vectors). --no-warmup skips the untimed run
(large n). Prints one JSON line: {"times_s": [...], "cpu_times_s": [...], "result": {"summary": ...}}
with summary = sum of C (gemm/sgemm), trace (syrk), L[n-1, n-1] (cholesky), sum of eigenvalues (eigh).
"""
import argparse
import json
import os
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
ap.add_argument("--op", required=True, choices=["gemm", "sgemm", "syrk", "cholesky", "eigh"])
ap.add_argument("--no-warmup", action="store_true")
a = ap.parse_args()
repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
x = np.load(a.input).astype(np.float32 if a.op == "sgemm" else np.float64)
c = np.empty_like(x)


def run():
    if a.op in ("gemm", "sgemm"):
        return np.matmul(x, x, out=c)
    if a.op == "syrk":
        return x.T @ x
    if a.op == "cholesky":
        return np.linalg.cholesky(x)
    return np.linalg.eigh(x)


def summary(out):
    if a.op in ("gemm", "sgemm"):
        return float(out.sum(dtype=np.float64))
    if a.op == "syrk":
        return float(np.trace(out))
    if a.op == "cholesky":
        return float(out[-1, -1])
    return float(out[0].sum())


out = None if a.no_warmup else run()
times, cpu = [], []
for _ in range(repeats):
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = run()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": {"summary": summary(out)}}))
