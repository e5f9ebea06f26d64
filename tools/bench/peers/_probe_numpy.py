"""Prints one JSON line describing the NumPy the peers run with: version, BLAS build, running OpenBLAS core.

Used by the nclab bench harness (tools/bench/src/peer.ts); not a benchmark itself.
"""
import ctypes
import io
import json
import contextlib
import os
import sys


def blas_build(np):
    try:
        cfg = np.show_config(mode="dicts")
        return cfg.get("Build Dependencies", {}).get("blas")
    except TypeError:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            np.show_config()
        return buf.getvalue()[:2000]


def running_core():
    """Asks the loaded OpenBLAS which kernel it chose (what threadpoolctl reports as internal_api/corename)."""
    try:
        import threadpoolctl  # noqa: F401

        info = threadpoolctl.threadpool_info()
        return [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")} for d in info]
    except ImportError:
        pass
    found = []
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return None
    for p in paths:
        if not os.path.exists(p):
            continue
        lib = ctypes.CDLL(p)
        entry = {"filepath": p}
        for prefix in ("", "scipy_"):
            for suffix in ("", "64_"):
                name = f"{prefix}openblas_get_corename{suffix}"
                fn = getattr(lib, name, None)
                if fn is not None:
                    fn.restype = ctypes.c_char_p
                    entry["architecture"] = fn().decode()
                    nt = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}", None)
                    if nt is not None:
                        entry["num_threads"] = nt()
                    break
            if "architecture" in entry:
                break
        found.append(entry)
    return found


def main():
    try:
        import numpy as np
    except ImportError as e:
        print(json.dumps({"ok": False, "reason": f"numpy not importable: {e}"}))
        return
    print(json.dumps({
        "ok": True,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "blas_build": blas_build(np),
        "blas_runtime": running_core(),
    }, default=str))


main()
