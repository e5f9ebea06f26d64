"""NumPy peer of packages/datasets/bench/mnist-subset.bench.ts.

Reads the MNIST IDX label and image files, takes the first n images of each class (grouped by
class, file order within a class), and scales them to float32 in [0, 1]: the same work as
loadMnist({ perClass: n, scale: 'unit', dtype: 'float32' }). Image rows are gathered from a
memory map, so only the needed pages are read (the idiomatic fast NumPy route).

With --per-class 0 it reads the whole file instead (np.fromfile), like loadMnist() without perClass.

Prints one JSON line: {"times_s": [...], "cpu_times_s": [...], "result": {...checksums...}}.
"""
import argparse
import json
import os
import time

import numpy as np


def read_idx_header(path, expected_magic):
    with open(path, "rb") as f:
        head = f.read(4)
        magic = int.from_bytes(head, "big")
        if magic != expected_magic:
            raise ValueError(f"{path}: magic {magic:#x}, expected {expected_magic:#x}")
        nd = head[3]
        dims = [int.from_bytes(f.read(4), "big") for _ in range(nd)]
    offset = 4 + 4 * nd
    if os.path.getsize(path) != offset + int(np.prod(dims)):
        raise ValueError(f"{path}: size does not match shape {dims}")
    return dims, offset


def load_all(images_path, labels_path):
    (n_labels,), loff = read_idx_header(labels_path, 0x00000801)
    labels = np.fromfile(labels_path, dtype=np.uint8, offset=loff)
    dims, ioff = read_idx_header(images_path, 0x00000803)
    if dims[0] != n_labels:
        raise ValueError("image and label counts differ")
    images = np.fromfile(images_path, dtype=np.uint8, offset=ioff).reshape(dims[0], -1)
    return images.astype(np.float32) / np.float32(255), labels.astype(np.int32)


def load_subset(images_path, labels_path, per_class):
    if per_class == 0:
        return load_all(images_path, labels_path)
    (n_labels,), loff = read_idx_header(labels_path, 0x00000801)
    labels = np.fromfile(labels_path, dtype=np.uint8, offset=loff)
    dims, ioff = read_idx_header(images_path, 0x00000803)
    if dims[0] != n_labels:
        raise ValueError("image and label counts differ")
    k = int(labels.max()) + 1
    idx = np.concatenate([np.flatnonzero(labels == c)[:per_class] for c in range(k)])
    d = int(np.prod(dims[1:]))
    images = np.memmap(images_path, dtype=np.uint8, mode="r", offset=ioff, shape=(dims[0], d))
    x = images[idx].astype(np.float32) / np.float32(255)
    return x, labels[idx].astype(np.int32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--per-class", type=int, default=500, help="0 = the whole file, in file order")
    a = ap.parse_args()
    repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "5"))
    x, y = load_subset(a.images, a.labels, a.per_class)  # warm-up
    times, cpu = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        x, y = load_subset(a.images, a.labels, a.per_class)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    result = {
        "shape": list(x.shape),
        "label_counts": np.bincount(y).tolist(),
        "sum": float(x.sum(dtype=np.float64)),
        "row0_sum": float(x[0].sum(dtype=np.float64)),
        "last_row_sum": float(x[-1].sum(dtype=np.float64)),
    }
    print(json.dumps({"times_s": times, "cpu_times_s": cpu, "result": result}))


main()
