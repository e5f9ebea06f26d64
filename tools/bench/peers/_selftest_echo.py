"""Harness self-test peer (used by tools/bench/test): echoes its arguments and the environment it got.

Prints {"times_s": [...], "cpu_times_s": [...], "result": {...}} with fixed times per repetition (NCLAB_BENCH_REPEATS).
"""
import json
import os
import sys

repeats = int(os.environ.get("NCLAB_BENCH_REPEATS", "1"))
if "--fail" in sys.argv:
    sys.stderr.write("asked to fail\n")
    sys.exit(3)
print("a log line the harness must ignore")
print(json.dumps({
    "times_s": [0.5] * repeats,
    "cpu_times_s": [0.25] * repeats,
    "result": {
        "args": sys.argv[1:],
        "coretype_set": "OPENBLAS_CORETYPE" in os.environ,
        "l2_set": "OPENBLAS_L2_SIZE" in os.environ,
        "repeats": repeats,
    },
}))
