"""Prints one JSON line describing OpenBLAS libraries given by path: build config, chosen kernel, threads.

Used by the nclab bench harness for our own side (the libraries our process loaded, found in
/proc/self/maps): run under the same environment as our process, OpenBLAS chooses the same kernel.
Also imported by _probe_numpy.py / _probe_torch.py for the libraries their process loaded.
"""
import ctypes
import json
import os
import sys


def describe(path):
    """openblas_get_config / corename / num_threads of the library at `path` (any symbol prefix/suffix)."""
    entry = {"filepath": path}
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        entry["error"] = str(e)
        return entry
    for prefix in ("", "scipy_"):
        for suffix in ("", "64_"):
            core = getattr(lib, f"{prefix}openblas_get_corename{suffix}", None)
            if core is None:
                continue
            core.restype = ctypes.c_char_p
            entry["architecture"] = core().decode()
            cfg = getattr(lib, f"{prefix}openblas_get_config{suffix}", None)
            if cfg is not None:
                cfg.restype = ctypes.c_char_p
                entry["config"] = cfg().decode()
            nt = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}", None)
            if nt is not None:
                entry["num_threads"] = nt()
            return entry
    entry["architecture"] = None
    return entry


def loaded_openblas():
    """Paths of the OpenBLAS libraries mapped into this process."""
    try:
        with open("/proc/self/maps") as f:
            return sorted({line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return []


if __name__ == "__main__":
    print(json.dumps({"ok": True, "libraries": [describe(p) for p in sys.argv[1:] if os.path.exists(p)]}))
