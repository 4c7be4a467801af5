#!/usr/bin/env python3
"""Eager compile of two (or more) wasmstream builds, compared in one run.

For each FILE, each build runs `wasmstream compile --json --no-cache --eager FILE` with
WASMSTREAM_WORKERS=1 and =2, alternating build by build and run by run, so that other
work on the machine stretches every build alike. Prints medians of --runs: module_ms
(wall, the CLI's time to Module) and the process's CPU time (user + sys, from wait4;
steadier on a shared machine), and the 2-worker / 1-worker wall ratio.

  bench/eager_ab.py [--runs=5] BUILD_DIR_OR_BINARY... -- FILE.wasm...

A build is a wasmstream binary or a folder holding one (e.g. a copy of
`$(bazel info -c opt bazel-bin)/tools/wasmstream` made before a change).
"""
import json
import os
import statistics
import subprocess
import sys


def binary(path):
    return os.path.join(path, "wasmstream") if os.path.isdir(path) else path


def one(wasmstream, workers, f):
    env = dict(os.environ, WASMSTREAM_WORKERS=str(workers))
    p = subprocess.Popen([wasmstream, "compile", "--json", "--no-cache", "--eager", f],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit(f"{wasmstream} failed on {f}")
    return json.loads(out)["timings"]["module_ms"], (ru.ru_utime + ru.ru_stime) * 1000


def main(argv):
    runs = 5
    args = []
    for a in argv:
        if a.startswith("--runs="):
            runs = int(a.split("=", 1)[1])
        else:
            args.append(a)
    if "--" not in args:
        sys.exit(__doc__)
    split = args.index("--")
    builds, files = [binary(b) for b in args[:split]], args[split + 1:]
    if not builds or not files:
        sys.exit(__doc__)
    print(f"median of {runs}; ms; cpu = process user + sys")
    print("module\tbuild\t1w wall\t1w cpu\t2w wall\t2w cpu\t2w/1w")
    for f in files:
        res = {}
        for _ in range(runs):
            for b in builds:
                for w in (1, 2):
                    res.setdefault((b, w), []).append(one(b, w, f))
        for b in builds:
            med = {w: (statistics.median(x[0] for x in res[(b, w)]),
                       statistics.median(x[1] for x in res[(b, w)])) for w in (1, 2)}
            print(f"{os.path.basename(f)}\t{b}\t{med[1][0]:.0f}\t{med[1][1]:.0f}\t"
                  f"{med[2][0]:.0f}\t{med[2][1]:.0f}\t{med[2][0] / med[1][0]:.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
