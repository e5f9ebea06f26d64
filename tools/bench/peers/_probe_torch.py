"""Prints one JSON line describing the PyTorch the torch peers run with: version, threads, BLAS.

Used by the nclab bench harness (tools/bench/src/probe.ts); not a benchmark itself.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe_blas import describe, loaded_openblas  # noqa: E402


def main():
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"ok": False, "reason": f"torch not importable: {e}"}))
        return
    default_threads = torch.get_num_threads()
    want = os.environ.get("NCLAB_BENCH_THREADS")
    if want:
        torch.set_num_threads(int(want))
    blas = None
    try:
        cfg = torch.__config__.show()
        keys = ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP")
        items = [t.split(":")[-1].strip() for t in cfg.replace("\n", ",").split(",")]
        blas = ", ".join(t for t in items if t.split("=")[0] in keys) or None
    except Exception:  # noqa: BLE001
        pass
    print(json.dumps({
        "ok": True,
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "default_threads": default_threads,
        "threads": torch.get_num_threads(),
        "blas_build": blas,
        "blas_runtime": [describe(p) for p in loaded_openblas()],
    }))


main()
