"""Prints one JSON line describing the NumPy the peers run with: version, BLAS build, running OpenBLAS core.

Used by the nclab bench harness (tools/bench/src/peer.ts); not a benchmark itself.
"""
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
    """The OpenBLAS this process loaded: kernel chosen at run time, build config, threads (threadpoolctl's view added when installed)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _probe_blas import describe, loaded_openblas

    found = [describe(p) for p in loaded_openblas() if os.path.exists(p)]
    try:
        import threadpoolctl

        for d in threadpoolctl.threadpool_info():
            for e in found:
                if e.get("filepath") == d.get("filepath"):
                    e["internal_api"] = d.get("internal_api")
                    e["version"] = d.get("version")
    except ImportError:
        pass
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
